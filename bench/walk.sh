#!/bin/bash
# bench/walk.sh - tnos walk against find, bfs and the bare safe loops.
#
# Usage: bench/walk.sh [DIRS [FILES]]     (default 1000 x 1000 = 1,001,002 entries)
#   RUNS=3      rounds (after one warm-up round); each command's best round is kept
#   WHERE="tmpfs ext4"   which filesystems: tmpfs; ext4 (a loop image under
#               /var/tmp, mounted in the namespace); disk (a tree under
#               /var/tmp on whatever filesystem holds it)
#   SHAPES="top wide"    top: everything in one top directory (ROOT/top/dirN,
#               the /mnt/pool/dataset shape); wide: DIRS entries at the root
#               (the same tree walked from ROOT/top)
#   KEEP=1      keep the disk tree / ext4 image under /var/tmp for the next run
#
# Three modes of tnos walk are timed against their own floor and peers:
#   names  (plain listing, -0)                 vs bfs -xdev and find -xdev
#   stat   (--ndjson, -o PATH,SIZE,BTIME,
#           and both)                         vs the readdir+statx floor and
#                                                 find -printf '%p %s %B@\n'
#   fd     (--open-flags rdonly,noatime)       vs the readdir+openat2+statx+close floor
# each with one job and -j2.  The lines after each table are the targets of
# the walk's speed (ratios of best-round seconds).
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
WHERE=${WHERE:-tmpfs ext4}
SHAPES=${SHAPES:-top wide}
[ -x "$TNOS" ] || { echo "bench/walk.sh: build tnos first (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/walk.sh: needs /usr/bin/time (apt install time)" >&2; exit 2; }
command -v bfs >/dev/null || { echo "bench/walk.sh: needs bfs (make deps)" >&2; exit 2; }
FLOOR=$here/floor-walk
tf=$(mktemp)
trap 'rm -f "$tf"' EXIT
cc -O2 -o "$FLOOR" "$here/walk-floor.c"

mktree() {	# DIR: DIR/top holding DIRS directories of FILES small files each
	python3 - "$1" "$DIRS" "$FILES" <<'EOF'
import os, sys
root, nd, nf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
top = os.path.join(root, "top")
os.mkdir(top)
for i in range(nd):
    d = os.path.join(top, "dir%04d" % i)
    os.mkdir(d)
    dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    for j in range(nf):
        fd = os.open("file%04d" % j, flags, 0o644, dir_fd=dfd)
        os.write(fd, b"x" * (j % 64))
        os.close(fd)
    os.close(dfd)
open(os.path.join(root, ".complete"), "w").close()
EOF
	# written back before anything is timed: a million dirty inodes
	# flushed under the first shape's rounds would be counted against it
	sync -f "$1"
}

# Commands are timed in rounds: each round runs every command once, so a
# change in the machine's load hits all of them alike; a command's figure is
# its best round.  CPU is user+system seconds of that best round.
declare -A SECS CPU RSS CMDS FAILED
order=()
add() {	# NAME CMD...
	local name=$1
	shift
	CMDS[$name]=$(printf '%q ' "$@")
	order+=("$name")
}
run_rounds() {
	local n t u sy c m
	for n in "${order[@]}"; do eval "${CMDS[$n]}" >/dev/null 2>&1 || true; done	# warm
	for _ in $(seq "$RUNS"); do
		for n in "${order[@]}"; do
			eval "/usr/bin/time -o \"\$tf\" -f '%e %U %S %M' ${CMDS[$n]}" >/dev/null 2>/dev/null ||
				FAILED[$n]=1	# every command here exits 0 on a sound tree
			read -r t u sy m < <(tail -n 1 "$tf")	# after any "exited with" line
			c=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
			if [ -z "${SECS[$n]:-}" ] || awk -v a="$t" -v b="${SECS[$n]}" 'BEGIN { exit !(a < b) }'; then
				SECS[$n]=$t CPU[$n]=$c
			fi
			if [ "$m" -gt "${RSS[$n]:-0}" ]; then RSS[$n]=$m; fi
		done
	done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# Whether A and B (of WHAT) have figures to compare; if not, a line says why
timed() {	# WHAT A B
	if [ -n "${FAILED[$2]:-}${FAILED[$3]:-}" ]; then
		printf '  %-58s a command failed: no figure\n' "$1"
		return 1
	fi
	if awk -v a="${SECS[$2]}" -v b="${SECS[$3]}" 'BEGIN { exit !(a == 0 || b == 0) }'; then
		printf '  %-58s too fast to time at this size\n' "$1"
		return 1
	fi
}

# A target: the ratio of A's best-round seconds to B's against a bound, "ok"
# or "MISSED" (and the ratio of their CPU seconds, steadier on a busy machine)
target() {	# WHAT A B OP BOUND
	local r c v
	timed "$1" "$2" "$3" || return 0
	r=$(ratio "${SECS[$2]}" "${SECS[$3]}")
	c=$(ratio "${CPU[$2]}" "${CPU[$3]}")
	v=MISSED
	if awk -v r="$r" -v b="$5" -v op="$4" 'BEGIN { exit !(op == "<" ? r < b : r <= b) }'; then v=ok; fi
	printf '  %-58s %5sx %s %-5s %-6s (cpu %sx)\n' "$1" "$r" "$4" "$5" "$v" "$c"
}

# The same ratio with no bound: what a target is measured against
figure() {	# WHAT A B
	timed "$1" "$2" "$3" || return 0
	printf '  %-58s %5sx (cpu %sx)\n' "$1" "$(ratio "${SECS[$2]}" "${SECS[$3]}")" \
		"$(ratio "${CPU[$2]}" "${CPU[$3]}")"
}

report() {	# WHERE SHAPE ROOT
	printf '\n== %s, %s shape: %s (%d dirs x %d files, %s entries, warm cache, best of %d rounds, load %s)\n' \
		"$1" "$2" "$3" "$DIRS" "$FILES" "$(find "$3" -xdev -mindepth 1 -printf . | wc -c)" "$RUNS" \
		"$(cut -d" " -f1-3 /proc/loadavg)"
	printf '%-34s %8s %8s %9s\n' command seconds "cpu s" "RSS KiB"
	for n in "${order[@]}"; do
		printf '%-34s %8s %8s %9s%s\n' "$n" "${SECS[$n]}" "${CPU[$n]}" "${RSS[$n]}" \
			"${FAILED[$n]:+  (failed)}"
	done
	echo "targets:"
	target "names: walk / bfs -xdev (one job)" "walk" "bfs -xdev" "<=" 1.2
	target "names: walk -j2 / find -xdev" "walk -j2" "find -xdev" "<" 1
	target "stat: walk --ndjson / readdir+statx floor" "walk --ndjson" "floor statx" "<=" 1.1
	target "stat: walk -o PATH,SIZE,BTIME / floor" "walk -o PATH,SIZE,BTIME" "floor statx" "<=" 1.1
	target "stat: walk --ndjson -o PATH,SIZE,BTIME / floor" "walk --ndjson -o PATH,SIZE,BTIME" "floor statx" "<=" 1.1
	target "stat: walk --ndjson / find -printf" "walk --ndjson" "find -printf" "<=" 0.75
	target "stat: walk -o PATH,SIZE,BTIME / find -printf" "walk -o PATH,SIZE,BTIME" "find -printf" "<=" 0.75
	target "stat: walk --ndjson -o PATH,SIZE,BTIME / find -printf" "walk --ndjson -o PATH,SIZE,BTIME" "find -printf" "<=" 0.75
	target "fd: walk --open-flags / readdir+openat2+statx+close floor" "walk --open-flags" "floor open" "<=" 1.1
	target "names: -j2 / one job" "walk -j2" "walk" "<=" 0.6
	target "stat: --ndjson -j2 / one job" "walk -j2 --ndjson" "walk --ndjson" "<=" 0.6
	target "fd: --open-flags -j2 / one job" "walk -j2 --open-flags" "walk --open-flags" "<=" 0.6
	target "#12: walk --ndjson / walk --stats (both statx)" "walk --ndjson" "walk --stats" "<=" 1.3
	# what bounds the find -printf targets: a stat mode is no faster than
	# its floor, so these can hold only where the floor is well under 0.75
	figure "bound: readdir+statx floor / find -printf" "floor statx" "find -printf"
	local r=${RSS[walk -j2 --ndjson]}
	for n in "walk -j2" "walk -j2 --open-flags"; do [ "${RSS[$n]}" -gt "$r" ] && r=${RSS[$n]}; done
	if [ "$r" -lt 8192 ]; then
		printf '  %-58s %5s KiB < 8192 ok\n' "peak RSS at -j2" "$r"
	else
		printf '  %-58s %5s KiB < 8192 MISSED\n' "peak RSS at -j2" "$r"
	fi
}

bench_tree() {	# WHERE ROOT FSNAME
	local where=$1 root=$2 fs=$3 shape dir rel a b
	for shape in $SHAPES; do
		case $shape in
		top) dir=$root rel=() ;;
		wide) dir=$root/top rel=(--relative top) ;;
		*) echo "bench/walk.sh: SHAPES: top or wide, not '$shape'" >&2; exit 2 ;;
		esac
		order=() SECS=() CPU=() RSS=() CMDS=() FAILED=()
		# sanity: tnos walk walks find's set
		a=$("$TNOS" walk -0 "${rel[@]}" "$root" "$fs" | tr -cd '\0' | wc -c)
		b=$(find "$dir" -xdev -mindepth 1 ! -type l -printf . | wc -c)
		[ "$a" = "$b" ] || { echo "bench/walk.sh: tnos walk saw $a entries, find $b" >&2; exit 1; }
		local w=("$TNOS" walk "${rel[@]}")
		add "floor statx" "$FLOOR" -s "$dir"
		add "floor open" "$FLOOR" "$dir"
		add "walk" "${w[@]}" "$root" "$fs"
		add "walk -0" "${w[@]}" -0 "$root" "$fs"
		add "walk -j2" "${w[@]}" -j 2 "$root" "$fs"
		add "walk --stats" "${w[@]}" --stats "$root" "$fs"
		add "walk --ndjson" "${w[@]}" --ndjson "$root" "$fs"
		add "walk -o PATH,SIZE,BTIME" "${w[@]}" -o PATH,SIZE,BTIME "$root" "$fs"
		add "walk --ndjson -o PATH,SIZE,BTIME" "${w[@]}" --ndjson -o PATH,SIZE,BTIME "$root" "$fs"
		add "walk -j2 --ndjson" "${w[@]}" -j 2 --ndjson "$root" "$fs"
		add "walk --open-flags" "${w[@]}" --open-flags rdonly,noatime "$root" "$fs"
		add "walk -j2 --open-flags" "${w[@]}" -j 2 --open-flags rdonly,noatime "$root" "$fs"
		add "find -xdev" find "$dir" -xdev
		add "bfs -xdev" bfs "$dir" -xdev
		add "find -printf" find "$dir" -xdev -printf '%p %s %B@\n'
		run_rounds
		report "$where" "$shape" "$dir"
	done
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
	ext4)
		img=/var/tmp/tnos-walk-bench-${DIRS}x$FILES.ext4
		m=$(mktemp -d /tmp/tnos-walk-ext4.XXXXXX)
		if [ ! -e "$img.complete" ]; then
			rm -f "$img"
			# small files live in their inodes (inline_data): the image
			# is about 512 bytes per entry, not a block per file
			truncate -s $((DIRS * FILES / 2048 + 128))M "$img"
			mkfs.ext4 -q -F -O inline_data -I 256 -N $((DIRS * FILES + DIRS + 1024)) "$img"
			mount -o loop "$img" "$m"
			mktree "$m"
			touch "$img.complete"
		else
			mount -o loop "$img" "$m"
		fi
		bench_tree ext4 "$m" "$(findmnt -no SOURCE -T "$m" | head -n 1)"
		umount "$m"
		rmdir "$m"
		[ "${KEEP:-}" = 1 ] || rm -f "$img" "$img.complete"
		;;
	disk)
		d=/var/tmp/tnos-walk-bench-${DIRS}x$FILES
		# a kept tree is reused only if whole: an interrupted rm -rf can
		# leave the marker behind, so count the entries too
		if [ ! -e "$d/.complete" ] ||
		   [ "$(find "$d" -xdev -mindepth 1 -printf . | wc -c)" -ne $((DIRS * FILES + DIRS + 2)) ]; then
			rm -rf "$d"
			mkdir -p "$d"
			mktree "$d"
		fi
		bench_tree disk "$d" "$(findmnt -no SOURCE -T "$d" | head -n 1)"
		[ "${KEEP:-}" = 1 ] || { rm -f "$d/.complete"; rm -rf "$d"; }
		;;
	*)
		echo "bench/walk.sh: WHERE: tmpfs, ext4 or disk, not '$w'" >&2
		exit 2
		;;
	esac
done
