#!/bin/bash
# bench/walk.sh - tnos walk against find, bfs and the bare safe loop.
#
# Usage: bench/walk.sh [DIRS [FILES]]     (default 1000 x 1000 = 1,001,000 entries)
#   RUNS=3      rounds (after one warm-up round); each command's best round is kept
#   WHERE="tmpfs disk"   which trees to build and walk
#   KEEP=1      keep the disk tree under /var/tmp for the next run
#
# Runs in its own private mount namespace (the tmpfs is never seen by the
# host).  Every command writes to /dev/null; peak RSS is /usr/bin/time's %M.
set -eu
if [ "${TNOS_BENCH_NS:-}" != 1 ]; then
	exec unshare -m --propagation private env TNOS_BENCH_NS=1 "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
TNOS=${TNOS:-$here/../tnos}
DIRS=${1:-1000}
FILES=${2:-1000}
RUNS=${RUNS:-3}
WHERE=${WHERE:-tmpfs disk}
[ -x "$TNOS" ] || { echo "bench/walk.sh: build tnos first (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/walk.sh: needs /usr/bin/time (apt install time)" >&2; exit 2; }
FLOOR=$here/floor-walk
tf=$(mktemp)
trap 'rm -f "$tf"' EXIT
cc -O2 -o "$FLOOR" "$here/walk-floor.c"

mktree() {	# DIR: DIRS directories of FILES small files each
	python3 - "$1" "$DIRS" "$FILES" <<'EOF'
import os, sys
root, nd, nf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
for i in range(nd):
    d = os.path.join(root, "dir%04d" % i)
    os.mkdir(d)
    dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    for j in range(nf):
        fd = os.open("file%04d" % j, flags, 0o644, dir_fd=dfd)
        os.write(fd, b"x" * (j % 64))
        os.close(fd)
    os.close(dfd)
open(os.path.join(root, ".complete"), "w").close()
EOF
}

# Commands are timed in rounds: each round runs every command once, so a
# change in the machine's load hits all of them alike; a command's figure is
# its best round.  CPU is user+system seconds of that best round.
declare -A SECS CPU RSS CMDS
order=()
add() {	# NAME CMD...
	local name=$1
	shift
	CMDS[$name]=$(printf '%q ' "$@")
	order+=("$name")
}
run_rounds() {
	local n out t c m
	for n in "${order[@]}"; do eval "${CMDS[$n]}" >/dev/null 2>&1 || true; done	# warm
	for _ in $(seq "$RUNS"); do
		for n in "${order[@]}"; do
			eval "/usr/bin/time -o \"\$tf\" -f '%e %U %S %M' ${CMDS[$n]}" >/dev/null 2>/dev/null || true
			read -r t u sy m < <(tail -n 1 "$tf")	# after any "exited with" line
			c=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
			if [ -z "${SECS[$n]:-}" ] || awk -v a="$t" -v b="${SECS[$n]}" 'BEGIN { exit !(a < b) }'; then
				SECS[$n]=$t CPU[$n]=$c
			fi
			if [ "$m" -gt "${RSS[$n]:-0}" ]; then RSS[$n]=$m; fi
		done
	done
}

report() {	# WHERE ROOT
	local f=${SECS[floor]} p=${SECS[find -printf]}
	printf '\n== %s: %s (%d dirs x %d files, %s entries, warm cache, best of %d rounds, load %s)\n' \
		"$1" "$2" "$DIRS" "$FILES" "$(find "$2" -xdev -mindepth 1 | wc -l)" "$RUNS" "$(cut -d" " -f1-3 /proc/loadavg)"
	printf '%-24s %8s %8s %9s %15s %9s\n' command seconds "cpu s" "vs floor" "vs find-printf" "RSS KiB"
	for n in "${order[@]}"; do
		printf '%-24s %8s %8s %9s %15s %9s\n' "$n" "${SECS[$n]}" "${CPU[$n]}" \
			"$(awk -v a="${SECS[$n]}" -v b="$f" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')" \
			"$(awk -v a="${SECS[$n]}" -v b="$p" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')" \
			"${RSS[$n]}"
	done
}

bench_tree() {	# WHERE ROOT FSNAME
	local where=$1 root=$2 fs=$3
	order=() SECS=() CPU=() RSS=() CMDS=()
	# sanity: tnos walks find's set
	local a b
	a=$("$TNOS" walk -0 "$root" "$fs" | tr -cd '\0' | wc -c)
	b=$(find "$root" -xdev -mindepth 1 ! -type l -printf . | wc -c)
	[ "$a" = "$b" ] || { echo "bench/walk.sh: tnos walk saw $a entries, find $b" >&2; exit 1; }
	add floor "$FLOOR" "$root"
	add "tnos walk" "$TNOS" walk "$root" "$fs"
	add "tnos walk -0" "$TNOS" walk -0 "$root" "$fs"
	add "tnos walk --ndjson" "$TNOS" walk --ndjson "$root" "$fs"
	add "tnos walk -j2" "$TNOS" walk -j 2 "$root" "$fs"
	add "tnos walk -j2 -0" "$TNOS" walk -j 2 -0 "$root" "$fs"
	add "tnos walk -j2 --ndjson" "$TNOS" walk -j 2 --ndjson "$root" "$fs"
	add "tnos walk -j2 O_PATH" "$TNOS" walk -j 2 --open-flags path "$root" "$fs"
	add "find -xdev" find "$root" -xdev
	add "find -printf" find "$root" -xdev -printf '%p %s %B@\n'
	add "bfs -xdev" bfs "$root" -xdev
	run_rounds
	report "$where" "$root"
}

echo "tnos $("$TNOS" --version | cut -d' ' -f2), kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for w in $WHERE; do
	case $w in
	tmpfs)
		t=$(mktemp -d /tmp/tnos-walk-bench.XXXXXX)
		mount -t tmpfs -o size=4g,nr_inodes=4m tnos-walk-bench "$t"
		mktree "$t"
		bench_tree tmpfs "$t" tnos-walk-bench
		umount "$t"
		rmdir "$t"
		;;
	disk)
		d=/var/tmp/tnos-walk-bench-${DIRS}x$FILES
		# a kept tree is reused only if whole: an interrupted rm -rf can
		# leave the marker behind, so count the entries too
		if [ ! -e "$d/.complete" ] ||
		   [ "$(find "$d" -xdev -mindepth 1 -printf . | wc -c)" -ne $((DIRS * FILES + DIRS + 1)) ]; then
			rm -rf "$d"
			mkdir -p "$d"
			mktree "$d"
		fi
		bench_tree disk "$d" "$(findmnt -no SOURCE -T "$d" | head -n 1)"
		[ "${KEEP:-}" = 1 ] || { rm -f "$d/.complete"; rm -rf "$d"; }
		;;
	esac
done
