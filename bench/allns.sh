#!/bin/bash
# lsmount --all-ns against reading every namespace's mountinfo: BENCH_NS
# mount namespaces (default 10), each an `unshare -m` process holding
# BENCH_NS_MOUNTS bind mounts of its own (default 1000).  The peers read
# /proc/PID/mountinfo of one process per namespace: cat of them all (the
# bytes alone, the floor of any mountinfo parser) and findmnt -N PID for
# each (what a script does today).  Run via bench/run (which builds
# bench/mkmounts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TNOS=${TNOS:-$here/../tnos}
NNS=${BENCH_NS:-10}
M=${BENCH_NS_MOUNTS:-1000}
RUNS=${BENCH_RUNS:-10}

if [ "${TNOS_BENCH_NS:-}" != 1 ]; then
	exec env TNOS_BENCH_NS=1 unshare -m --propagation private -- "$0" "$@"
fi
work=$(mktemp -d /tmp/tnos-bench-allns.XXXXXX)
mount -t tmpfs bench "$work"
mkdir -p "$work/src"
pids=()
cleanup() {
	[ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	umount -l "$work"
	rmdir "$work"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8

# one namespace per process, its mounts made inside it, then it waits
for i in $(seq 1 "$NNS"); do
	mkdir "$work/ns$i"
	unshare -m --propagation private -- sh -c \
		'"$1" "$2" "$3" "$4" && touch "$5" && exec sleep 100000' \
		sh "$here/mkmounts" "$M" "$work/src" "$work/ns$i" "$work/ready$i" &
	pids+=($!)
done
for i in $(seq 1 "$NNS"); do
	while [ ! -e "$work/ready$i" ]; do sleep 0.05; done
done
files=() loop=""
for p in "${pids[@]}"; do
	files+=("/proc/$p/mountinfo")
	loop="$loop findmnt -l -N $p;"
done
total=$(cat "${files[@]}" | wc -l)
listed=$("$TNOS" lsmount --all-ns -l -n -o NS-ID,ID | wc -l)

mean() {	# mean seconds of a command over $RUNS runs (hyperfine)
	hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/h.json" --output null -- "$1" >/dev/null 2>&1
	jq '.results[0].mean' "$work/h.json"
}
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

ta=$(mean "$TNOS lsmount --all-ns -l")
tj=$(mean "$TNOS lsmount --all-ns --ndjson")
tc=$(mean "cat ${files[*]}")
tf=$(mean "sh -c '$loop'")
echo "# $NNS namespaces x $M mounts: $total mountinfo lines of those processes; --all-ns lists $listed mounts (every namespace, this one too)"
printf '%-36s %10s %10s\n' COMMAND MS "VS CAT"
printf '%-36s %10s %10s\n' "tnos lsmount --all-ns -l" "$(ms "$ta")" "$(ratio "$ta" "$tc")"
printf '%-36s %10s %10s\n' "tnos lsmount --all-ns --ndjson" "$(ms "$tj")" "$(ratio "$tj" "$tc")"
printf '%-36s %10s %10s\n' "cat every /proc/PID/mountinfo" "$(ms "$tc")" 1.00x
printf '%-36s %10s %10s\n' "findmnt -l -N PID, each namespace" "$(ms "$tf")" "$(ratio "$tf" "$tc")"
echo "#   --all-ns vs findmnt per namespace: $(ratio "$tf" "$ta") faster"
