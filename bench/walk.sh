#!/bin/bash
# bench/walk.sh - tnos walk against find, bfs and the bare safe loop.
#
# Usage: bench/walk.sh [DIRS [FILES]]     (default 1000 x 1000 = 1,001,000 entries)
#   RUNS=3      timed runs per command (after one warm-up); the best time is kept
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

# time_it NAME CMD...: best elapsed of RUNS, max RSS
declare -A SECS RSS
order=()
time_it() {
	local name=$1 best= rss=0 t m out
	shift
	"$@" >/dev/null 2>&1 || true	# warm the cache
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -o "$tf" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
		out=$(tail -n 1 "$tf")
		t=${out% *} m=${out#* }
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	SECS[$name]=$best RSS[$name]=$rss
	order+=("$name")
}

report() {	# WHERE ROOT
	local f=${SECS[floor]} p=${SECS[find -printf]}
	printf '\n== %s: %s (%d dirs x %d files, %s entries, warm cache, best of %d)\n' \
		"$1" "$2" "$DIRS" "$FILES" "$(find "$2" -xdev -mindepth 1 | wc -l)" "$RUNS"
	printf '%-26s %8s %9s %13s %9s\n' command seconds "vs floor" "vs find-printf" "RSS KiB"
	for n in "${order[@]}"; do
		printf '%-26s %8s %9s %13s %9s\n' "$n" "${SECS[$n]}" \
			"$(awk -v a="${SECS[$n]}" -v b="$f" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')" \
			"$(awk -v a="${SECS[$n]}" -v b="$p" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')" \
			"${RSS[$n]}"
	done
}

bench_tree() {	# WHERE ROOT FSNAME
	local where=$1 root=$2 fs=$3
	order=()
	# sanity: tnos walks find's set
	local a b
	a=$("$TNOS" walk -0 "$root" "$fs" | tr -cd '\0' | wc -c)
	b=$(find "$root" -xdev -mindepth 1 ! -type l -printf . | wc -c)
	[ "$a" = "$b" ] || { echo "bench/walk.sh: tnos walk saw $a entries, find $b" >&2; exit 1; }
	time_it floor "$FLOOR" "$root"
	time_it "tnos walk" "$TNOS" walk "$root" "$fs"
	time_it "tnos walk -0" "$TNOS" walk -0 "$root" "$fs"
	time_it "tnos walk --ndjson" "$TNOS" walk --ndjson "$root" "$fs"
	time_it "tnos walk -j2" "$TNOS" walk -j 2 "$root" "$fs"
	time_it "tnos walk -j2 --ndjson" "$TNOS" walk -j 2 --ndjson "$root" "$fs"
	time_it "find -xdev" find "$root" -xdev
	time_it "find -printf" find "$root" -xdev -printf '%p %s %B@\n'
	time_it "bfs -xdev" bfs "$root" -xdev
	report "$where" "$root"
}

echo "tnos $("$TNOS" --version | cut -d' ' -f2), kernel $(uname -r), $(nproc) CPUs"
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
		if [ ! -e "$d/.complete" ]; then
			rm -rf "$d"
			mkdir -p "$d"
			mktree "$d"
		fi
		bench_tree disk "$d" "$(findmnt -no SOURCE -T "$d" | head -n 1)"
		[ "${KEEP:-}" = 1 ] || rm -rf "$d"
		;;
	esac
done
