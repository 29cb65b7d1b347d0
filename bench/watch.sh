#!/bin/bash
# The latency of lsmount --watch: from mount(2) returning to the event's
# line reaching a pipe, median and 99th percentile over N mounts (N =
# BENCH_WATCH, default 1000), beside the bare kernel (a fanotify group read
# with no process in between) and findmnt --poll (which rereads mountinfo
# on each change), with BENCH_WATCH_MOUNTS other mounts in the namespace
# (default "0 1000": tnos asks statmount about the one mount, findmnt
# reads them all).  Run via bench/run (which builds bench/watch-lat and
# bench/mkmounts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TNOS=${TNOS:-$here/../tnos}
LAT=$here/watch-lat
N=${BENCH_WATCH:-1000}
SIZES=${BENCH_WATCH_MOUNTS:-"0 1000"}
# findmnt --poll compares the whole table on each change (about 0.2 s an
# event at 1,000 mounts): with other mounts it is timed over fewer events
FN=${BENCH_WATCH_FINDMNT:-100}

if [ "${TNOS_BENCH_NS:-}" != 1 ]; then
	exec env TNOS_BENCH_NS=1 unshare -m --propagation private -- "$0" "$@"
fi
work=$(mktemp -d /tmp/tnos-bench-watch.XXXXXX)
mount -t tmpfs bench "$work"
trap 'umount -l "$work"; rmdir "$work"' EXIT
export LC_ALL=C.UTF-8

row() {	# row OTHERS LABEL CMD...: median and p99 of CMD's latency (N events)
	local others=$1 label=$2
	shift 2
	read -r med p99 < <("$LAT" "${n:-$N}" "$work" "$@")
	printf '%-8s %-40s %10s %10s\n' "$others" "$label" "$med" "$p99"
}

mkdir -p "$work/src" "$work/bg"
have=0
printf '%-8s %-40s %10s %10s\n' OTHERS COMMAND MEDIAN-US P99-US
for m in $SIZES; do
	[ "$m" -gt "$have" ] && "$here/mkmounts" $((m - have)) "$work/src" "$work/bg" && have=$m
	echo "# $N mounts timed one at a time; $(wc -l </proc/self/mountinfo) mounts in the namespace"
	row "$m" "floor (fanotify read, no process)" floor
	row "$m" "tnos lsmount --watch --ndjson" "$TNOS" lsmount --watch --no-initial --ndjson -o EVENT,ID
	row "$m" "tnos lsmount --watch (people)" "$TNOS" lsmount --watch --no-initial -n
	if [ "$m" -gt 0 ] && [ "$FN" -lt "$N" ]; then
		n=$FN row "$m" "findmnt --poll ($FN events)" findmnt --poll -n -o ACTION,TARGET
	else
		row "$m" "findmnt --poll" findmnt --poll -n -o ACTION,TARGET
	fi
done
