#!/bin/bash
# The latency of lsmount --watch: from mount(2) returning to the event's
# line reaching a pipe, median and 99th percentile over N mounts (N =
# BENCH_WATCH, default 1000), beside the bare kernel (a fanotify group read
# with no process in between) and findmnt --poll (which rereads mountinfo
# on each change).  Run via bench/run (which builds bench/watch-lat).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TNOS=${TNOS:-$here/../tnos}
LAT=$here/watch-lat
N=${BENCH_WATCH:-1000}

if [ "${TNOS_BENCH_NS:-}" != 1 ]; then
	exec env TNOS_BENCH_NS=1 unshare -m --propagation private -- "$0" "$@"
fi
work=$(mktemp -d /tmp/tnos-bench-watch.XXXXXX)
mount -t tmpfs bench "$work"
trap 'umount -R "$work"; rmdir "$work"' EXIT
export LC_ALL=C.UTF-8

row() {	# row LABEL CMD...: median and p99 of CMD's latency
	local label=$1
	shift
	read -r med p99 < <("$LAT" "$N" "$work" "$@")
	printf '%-40s %10s %10s\n' "$label" "$med" "$p99"
}

echo "# $N mounts, one at a time; $(wc -l </proc/self/mountinfo) mounts in the namespace"
printf '%-40s %10s %10s\n' COMMAND MEDIAN-US P99-US
row "floor (fanotify read, no process)" floor
row "tnos lsmount --watch --ndjson" "$TNOS" lsmount --watch --no-initial --ndjson -o EVENT,ID
row "tnos lsmount --watch (people)" "$TNOS" lsmount --watch --no-initial -n
row "findmnt --poll" findmnt --poll -n -o ACTION,TARGET
