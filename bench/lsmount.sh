#!/bin/bash
# Benchmark lsmount/statmount against findmnt and a bare-syscall floor, in a
# private mount namespace with N bind mounts (N = 1,000, 10,000, 50,000).
# Run via bench/run (which builds the helpers); prints one table with ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TNOS=${TNOS:-$here/../tnos}
FLOOR=$here/floor-lsmount
SIZES=${BENCH_MOUNTS:-"1000 10000 50000"}
RUNS=${BENCH_RUNS:-10}

if [ "${TNOS_BENCH_NS:-}" != 1 ]; then
	exec env TNOS_BENCH_NS=1 unshare -m --propagation private -- "$0" "$@"
fi
[ "$(cat /proc/sys/fs/mount-max)" -ge 60000 ] || echo 100000 > /proc/sys/fs/mount-max

work=$(mktemp -d /tmp/tnos-bench.XXXXXX)
mount -t tmpfs bench "$work"
mkdir -p "$work/src"
export LC_ALL=C.UTF-8

# mean seconds of a command over $RUNS runs (hyperfine, no shell)
mean() {
	local runs=$1; shift
	hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" --output null -- "$*" >/dev/null 2>&1
	jq '.results[0].mean' "$work/h.json"
}
rss() {	# peak RSS in KiB
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}
ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

have=0
printf '%-8s %-28s %10s %10s\n' MOUNTS COMMAND MS RATIO
for n in $SIZES; do
	# top up to n bind mounts (each size adds to the previous one)
	mkdir -p "$work/m$n"
	"$here/mkmounts" $((n - have)) "$work/src" "$work/m$n"
	have=$n
	total=$(wc -l < /proc/self/mountinfo)
	target=$work/m$n/7
	r=$RUNS; [ "$n" -ge 50000 ] && r=3
	floor=$(mean "$r" "$FLOOR")
	tl=$(mean "$r" "$TNOS lsmount -l")
	tj=$(mean "$r" "$TNOS lsmount -J")
	tt=$(mean "$r" "$TNOS lsmount")
	tm=$(mean "$r" "$TNOS lsmount --mountinfo")
	cm=$(mean "$r" "cat /proc/self/mountinfo")
	fl=$(mean "$r" "findmnt -l")
	fj=$(mean "$r" "findmnt -J")
	if [ "$n" -ge 50000 ]; then ft=$(mean 1 "findmnt"); else ft=$(mean "$r" "findmnt"); fi
	sfloor=$(mean 20 "$FLOOR stat $target")
	ts=$(mean 20 "$TNOS statmount $target")
	fs=$(mean "$r" "findmnt --target $target")
	echo "# $total mounts in the namespace"
	printf '%-8s %-28s %10s %10s\n' "$n" "floor (listmount+statmount)" "$(ms "$floor")" 1.00x
	printf '%-8s %-28s %10s %10s\n' "$n" "tnos lsmount -l" "$(ms "$tl")" "$(ratio "$tl" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "findmnt -l" "$(ms "$fl")" "$(ratio "$fl" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "tnos lsmount -J" "$(ms "$tj")" "$(ratio "$tj" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "findmnt -J" "$(ms "$fj")" "$(ratio "$fj" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "tnos lsmount (tree)" "$(ms "$tt")" "$(ratio "$tt" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "findmnt (tree)" "$(ms "$ft")" "$(ratio "$ft" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "tnos lsmount --mountinfo" "$(ms "$tm")" "$(ratio "$tm" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "cat /proc/self/mountinfo" "$(ms "$cm")" "$(ratio "$cm" "$floor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "floor statx+statmount" "$(ms "$sfloor")" 1.00x
	printf '%-8s %-28s %10s %10s\n' "$n" "tnos statmount PATH" "$(ms "$ts")" "$(ratio "$ts" "$sfloor")"
	printf '%-8s %-28s %10s %10s\n' "$n" "findmnt --target PATH" "$(ms "$fs")" "$(ratio "$fs" "$sfloor")"
	echo "#   tnos -l vs findmnt -l: $(ratio "$fl" "$tl") faster; tree/list: $(ratio "$tt" "$tl"); statmount vs findmnt --target: $(ratio "$fs" "$ts") faster; --mountinfo vs cat mountinfo: $(ratio "$tm" "$cm") (target: within 1.30x at 10000)"
	if [ "$n" -ge 50000 ]; then
		echo "#   peak RSS KiB: tnos lsmount -l $(rss "$TNOS" lsmount -l), tnos lsmount $(rss "$TNOS" lsmount), tnos -J $(rss "$TNOS" lsmount -J), findmnt -l $(rss findmnt -l), findmnt -J $(rss findmnt -J)"
	fi
done
umount -l "$work"	# one lazy detach; umount -R of 50k mounts takes an hour
rmdir "$work"
