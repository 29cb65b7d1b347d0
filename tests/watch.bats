#!/usr/bin/env bats
# tnos lsmount --watch: fanotify mount events, checked against the unique
# mount ids the kernel gives through statx(STATX_MNT_ID_UNIQUE) (python3
# ctypes, tests/lib/mntchurn.py), /proc/self/mountinfo and the kernel's errno.
load helpers

churn() { python3 "$BATS_TEST_DIRNAME/lib/mntchurn.py" "$@"; }

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
}

teardown_file() { tn_teardown_tmpfs; }

setup() {
	W=$(mktemp -d "$TT/w.XXXXXX")
	WATCH_PID=
}

teardown() {
	if [ -n "$WATCH_PID" ]; then
		kill -CONT "$WATCH_PID" 2>/dev/null || true
		kill "$WATCH_PID" 2>/dev/null || true
		wait "$WATCH_PID" 2>/dev/null || true
	fi
	umount -R "$W" 2>/dev/null || true
}

# start_watch OUT ERR ARGS...: the watch in the background, subscribed when
# this returns (its listing of the current mounts has begun: it subscribes
# before it lists)
start_watch() {
	local out=$1 err=$2
	shift 2
	"$TNOS" lsmount --watch --ndjson "$@" >"$out" 2>"$err" &
	WATCH_PID=$!
	for _ in $(seq 200); do
		[ -s "$out" ] && return 0
		sleep 0.02
	done
	echo "the watch never listed anything" >&2
	return 1
}

# wait_for OUT JQ: until a line of OUT matches the jq condition (5 s)
wait_for() {
	local end=$(($(date +%s) + 5))
	while [ "$(date +%s)" -le "$end" ]; do
		jq -n -e "[inputs | select($2)] | length > 0" "$1" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "no event matching $2 in $1" >&2
	return 1
}

# stop_watch: SIGTERM, which ends it cleanly (exit 0)
stop_watch() {
	kill -TERM "$WATCH_PID"
	local rc=0
	wait "$WATCH_PID" || rc=$?
	WATCH_PID=
	[ "$rc" = 0 ]
}

# sentinel: one last mount, and wait for its attach (every event before it
# has been written)
sentinel() {
	mkdir -p "$W/sentinel"
	mount -t tmpfs sentinel "$W/sentinel"
	local id
	id=$(churn ids "$W/sentinel")
	wait_for "$1" ".event == \"attach\" and .mnt_id == $id"
}

@test "1,000 mounts, unmounts and moves: each reported once, in order, with the kernel's id" {
	start_watch "$W/out" "$W/err"
	churn churn "$W" 1000 15 >"$W/expected"
	sentinel "$W/out"
	stop_watch
	# the statx ids and the events, one for one, in order
	jq -r 'select(.event != "mounted" and .mnt_point != "'"$W/sentinel"'") | "\(.event) \(.mnt_id)"' \
		"$W/out" >"$W/got"
	diff "$W/expected" "$W/got"
	[ "$(wc -l <"$W/expected")" -ge 1000 ]
	grep -q '^move ' "$W/expected"
	[ ! -s "$W/err" ]
}

@test "the initial listing is every mount of mountinfo, then events follow" {
	mkdir "$W/late"
	start_watch "$W/out" "$W/err"
	mount -t tmpfs late "$W/late"
	id=$(churn ids "$W/late")
	wait_for "$W/out" ".event == \"attach\" and .mnt_id == $id"
	stop_watch
	# the mounted records are mountinfo's mounts (by mount point, stacked
	# mounts included), and the attach is after them
	diff <(awk '{ print $5 }' /proc/self/mountinfo | grep -v "^$W/late\$" | sort) \
	     <(jq -r 'select(.event == "mounted") | .mnt_point' "$W/out" | sort)
	[ "$(tail -n 1 "$W/out" | jq -r .event)" = attach ]
	[ "$(tail -n 1 "$W/out" | jq -r .mnt_point)" = "$W/late" ]
	[ "$(tail -n 1 "$W/out" | jq -r .sb_source)" = late ]
	[ "$(tail -n 1 "$W/out" | jq -r .fs_type)" = tmpfs ]
}

@test "a detach carries the last record seen; a move the new mount point" {
	mkdir "$W/a" "$W/b"
	start_watch "$W/out" "$W/err"
	mount -t tmpfs -o size=1m keep "$W/a"
	id=$(churn ids "$W/a")
	wait_for "$W/out" ".event == \"attach\" and .mnt_id == $id"
	mount --move "$W/a" "$W/b"
	wait_for "$W/out" ".event == \"move\""
	[ "$(churn ids "$W/b")" = "$id" ]
	umount "$W/b"
	wait_for "$W/out" ".event == \"detach\""
	stop_watch
	run -0 jq -r 'select(.event != "mounted") | "\(.event) \(.mnt_id) \(.mnt_point) \(.sb_source) \(.note | join(","))"' "$W/out"
	[ "${lines[0]}" = "attach $id $W/a keep " ]
	[ "${lines[1]}" = "move $id $W/b keep " ]
	[ "${lines[2]}" = "detach $id $W/b keep last-seen" ]
	[ "${#lines[@]}" = 3 ]
}

@test "people get one aligned line per event, the heading first" {
	mkdir "$W/m"
	"$TNOS" lsmount --watch --no-initial --count 2 >"$W/out" 2>"$W/err" &
	WATCH_PID=$!
	sleep 0.3
	mount -t tmpfs people "$W/m"
	umount "$W/m"
	wait "$WATCH_PID"
	WATCH_PID=
	run -0 cat "$W/out"
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[0]}" == EVENT* ]]
	[[ "${lines[1]}" == attach* ]]
	[[ "${lines[2]}" == detach* ]]
	# the TARGET column starts where its heading does, on every line
	col=$(awk '{ print index($0, "TARGET") }' <<<"${lines[0]}")
	for l in 1 2; do
		[ "$(awk -v c="$col" '{ print substr($0, c, length("'"$W/m"'")) }' <<<"${lines[$l]}")" = "$W/m" ]
	done
	# no blanks left at the end of a line
	run ! grep -q ' $' "$W/out"
}

@test "a mount point with control bytes: escaped for people, exact in --ndjson" {
	d="$W/"$'e\033[31mx'
	mkdir "$d"
	"$TNOS" lsmount --watch --no-initial --count 1 --timeout 10 >"$W/people" &
	P=$!
	"$TNOS" lsmount --watch --no-initial --ndjson --count 1 --timeout 10 >"$W/json" &
	Q=$!
	sleep 0.4
	mount -t tmpfs esc "$d"
	wait "$P" "$Q"
	run ! grep -q $'\033' "$W/people"
	grep -q 'e\\x1b\[31mx' "$W/people"
	[ "$(jq -r .mnt_point "$W/json")" = "$d" ]
	# the kernel's own view agrees: mountinfo escapes nothing but \ and
	# blanks, so the raw byte is there
	grep -q $'\033' /proc/self/mountinfo
}

@test "filters: -t, --source and a MOUNT argument (its subtree)" {
	mkdir -p "$W/sub" "$W/out1" "$W/p"
	mount -t tmpfs subtree "$W/sub"
	mkdir "$W/sub/in"
	start_watch "$W/all" "$W/err"
	"$TNOS" lsmount --watch --ndjson --no-initial --source wanted >"$W/src" &
	P1=$!
	"$TNOS" lsmount --watch --ndjson --no-initial -t noproc >"$W/types" &
	P2=$!
	"$TNOS" lsmount --watch --ndjson "$W/sub" >"$W/subtree" &
	P3=$!
	sleep 0.5
	mount -t tmpfs wanted "$W/out1"
	mount -t proc proc "$W/p"
	mount -t tmpfs inside "$W/sub/in"
	umount "$W/p"
	sentinel "$W/all"
	kill "$P1" "$P2" "$P3"
	wait "$P1" "$P2" "$P3" || true
	stop_watch
	run -0 jq -r '"\(.event) \(.mnt_point)"' "$W/src"
	[ "$output" = "attach $W/out1" ]
	# -t noproc: every tmpfs event, no proc one
	run -0 jq -r 'select(.fs_type == "proc")' "$W/types"
	[ -z "$output" ]
	[ "$(jq -r 'select(.event == "attach") | .mnt_point' "$W/types" | grep -c "$W")" = 3 ]
	# the subtree: its mount listed, then the mount inside it only
	run -0 jq -r '"\(.event) \(.mnt_point)"' "$W/subtree"
	[ "${lines[0]}" = "mounted $W/sub" ]
	[ "${lines[1]}" = "attach $W/sub/in" ]
	[ "${#lines[@]}" = 2 ]
}

@test "--until attach: a mount made before, during and after the subscription, 200 times" {
	for i in $(seq 200); do
		mkdir "$W/u$i"
		case $((i % 3)) in
		0)	mount -t tmpfs "u$i" "$W/u$i"
			"$TNOS" lsmount --watch --ndjson --until attach "$W/u$i" --timeout 10 >"$W/o$i" ;;
		1)	"$TNOS" lsmount --watch --ndjson --until attach "$W/u$i" --timeout 10 >"$W/o$i" &
			mount -t tmpfs "u$i" "$W/u$i"
			wait $! ;;
		2)	"$TNOS" lsmount --watch --ndjson --until attach "$W/u$i" --timeout 10 >"$W/o$i" &
			sleep 0.02
			mount -t tmpfs "u$i" "$W/u$i"
			wait $! ;;
		esac
	done
	# each ended (exit 0, or the loop had failed) with one record: the
	# mount's, with the id statx gives; "mounted" when it was there first
	ids=($(cd "$W" && churn ids $(seq -f 'u%g' 200)))
	for i in $(seq 200); do
		[ "$(wc -l <"$W/o$i")" = 1 ]
		[ "$(jq -r .mnt_id "$W/o$i")" = "${ids[$((i - 1))]}" ]
		ev=$(jq -r .event "$W/o$i")
		if [ $((i % 3)) = 0 ]; then [ "$ev" = mounted ]; else [[ "$ev" = attach || "$ev" = mounted ]]; fi
	done
}

@test "a mount made between the subscription and the listing: listed once, no second attach" {
	mkdir "$W/between"
	# strace holds fanotify_mark's return for a second: the mark is in place
	# (the attach event is queued), the listing is still to come
	# (LeakSanitizer cannot run under ptrace: an ASan build leaves it out here)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o /dev/null -e trace=fanotify_mark -e inject=fanotify_mark:delay_exit=1000000 \
		"$TNOS" lsmount --watch --ndjson --timeout 3 >"$W/out" &
	P=$!
	sleep 0.5
	mount -t tmpfs between "$W/between"
	id=$(churn ids "$W/between")
	wait "$P"
	run -0 jq -r 'select(.mnt_id == '"$id"') | .event' "$W/out"
	[ "$output" = mounted ]
}

@test "--until attach of a mount made just before the subscription: listed, not missed" {
	mkdir "$W/before"
	# strace holds fanotify_mark back for a second: the mount is made before
	# the subscription, and only a listing made after it can see it
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o /dev/null -e trace=fanotify_mark -e inject=fanotify_mark:delay_enter=1000000 \
		"$TNOS" lsmount --watch --ndjson --until attach "$W/before" --timeout 5 >"$W/out" &
	P=$!
	sleep 0.5
	mount -t tmpfs before "$W/before"
	wait "$P"
	run -0 jq -r '"\(.event) \(.mnt_id)"' "$W/out"
	[ "$output" = "mounted $(churn ids "$W/before")" ]
}

@test "--until detach and move by mount id; detach of what is not mounted is true at once" {
	mkdir "$W/a" "$W/b"
	mount -t tmpfs d "$W/a"
	id=$(churn ids "$W/a")
	"$TNOS" lsmount --watch --ndjson --until move "$id" --timeout 10 >"$W/move" &
	P=$!
	"$TNOS" lsmount --watch --ndjson --until detach "$id" --timeout 10 >"$W/detach" &
	Q=$!
	sleep 0.4
	mount --move "$W/a" "$W/b"
	wait "$P"
	umount "$W/b"
	wait "$Q"
	run -0 jq -r '"\(.event) \(.mnt_id) \(.mnt_point)"' "$W/move"
	[ "$output" = "move $id $W/b" ]
	run -0 jq -r '"\(.event) \(.mnt_id) \(.mnt_point) \(.note | join(","))"' "$W/detach"
	[ "$output" = "detach $id $W/b last-seen" ]
	# not mounted at the subscription: reported absent, exit 0
	run -0 --separate-stderr "$TNOS" lsmount --watch --ndjson --until detach "$W/b" --timeout 10
	[ "$(jq -r '"\(.event) \(.mnt_point)"' <<<"$output")" = "absent $W/b" ]
}

@test "--timeout: exit 1 when --until found nothing, with nothing on stdout" {
	mkdir "$W/never"
	start=$(date +%s%N)
	run -1 --separate-stderr "$TNOS" lsmount --watch --until attach "$W/never" --timeout 0.5
	end=$(date +%s%N)
	[ -z "$output" ]
	[[ "$stderr" == *"--timeout 0.5: no attach of $W/never"* ]]
	# it waited the half second, and not much more
	[ $(((end - start) / 1000000)) -ge 450 ]
	[ $(((end - start) / 1000000)) -lt 3000 ]
	# a plain watch with a timeout ends with 0
	run -0 --separate-stderr "$TNOS" lsmount --watch --no-initial --timeout 0.2
}

@test "--count N ends after N events (exit 0), or exits 1 at --timeout" {
	mkdir "$W/c"
	"$TNOS" lsmount --watch --ndjson --no-initial --count 3 --timeout 10 >"$W/out" &
	P=$!
	sleep 0.4
	for k in 1 2 3 4 5; do mount -t tmpfs "c$k" "$W/c"; done
	wait "$P"
	[ "$(wc -l <"$W/out")" = 3 ]
	[ "$(jq -r .sb_source "$W/out" | paste -sd,)" = c1,c2,c3 ]
	run -1 --separate-stderr "$TNOS" lsmount --watch --no-initial --count 1 --timeout 0.2
	[[ "$stderr" == *"0 of 1 events"* ]]
}

@test "a queue overflow re-lists: the differences come as resync events, said on stderr" {
	mkdir -p "$W/ov/keep" "$W/ov/flood"
	for k in 1 2 3; do mkdir "$W/ov/gone$k"; mount -t tmpfs "gone$k" "$W/ov/gone$k"; done
	start_watch "$W/out" "$W/err"
	kill -STOP "$WATCH_PID"
	# more events than the queue holds (16384), then what the re-sync must find
	churn flood "$W/ov/flood" 8400
	churn umount "$W/ov/gone1" "$W/ov/gone2" "$W/ov/gone3" | sort >"$W/gone"
	churn mount "$W/ov" 5 | sort >"$W/new"
	kill -CONT "$WATCH_PID"
	sentinel "$W/out"
	stop_watch
	grep -q 'overflowed (FAN_Q_OVERFLOW)' "$W/err"
	diff "$W/gone" <(jq -r 'select(.event == "detach" and (.note | index("resync"))) | .mnt_id' "$W/out" | sort)
	# (the sentinel, mounted after SIGCONT, may already be there when the
	# watch lists again: then its attach is a resync one)
	s=$(churn ids "$W/sentinel")
	diff "$W/new" <(jq -r 'select(.event == "attach" and (.note | index("resync"))) | .mnt_id' "$W/out" |
			grep -vx "$s" | sort)
	# and what the stream says is mounted under ov is what statx finds there
	jq -r 'select(.event == "attach") | .mnt_id' "$W/out" | sort >"$W/att"
	jq -r 'select(.event == "detach") | .mnt_id' "$W/out" | sort >"$W/det"
	diff <(comm -23 "$W/att" "$W/det" | sort) \
	     <( (cat "$W/new"; churn ids "$W/sentinel") | sort)
}

@test "SIGINT and SIGTERM end it cleanly; a closed pipe ends it at once" {
	for sig in INT TERM; do
		"$TNOS" lsmount --watch --ndjson >"$W/out" 2>"$W/err" &
		P=$!
		sleep 0.3
		kill -"$sig" "$P"
		rc=0
		wait "$P" || rc=$?
		[ "$rc" = 0 ]
		jq -e . "$W/out" >/dev/null
		[ ! -s "$W/err" ]
	done
	# no event ever comes, yet the reader's going away is noticed: it ends
	# as a write to the closed pipe would, by SIGPIPE, with nothing said
	run -0 python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.Popen([sys.argv[1], "lsmount", "--watch", "--no-initial"], stdout=w,
                     stderr=subprocess.PIPE)
os.close(w)
try:
    err = p.communicate(timeout=5)[1]
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit("still running after 5 s")
print(p.returncode, repr(err))' "$TNOS"
	[ "$output" = "-13 b''" ]
}

@test "refused: -J, the watch options without --watch, a bad --until or --timeout" {
	run -2 --separate-stderr "$TNOS" lsmount --watch -J
	[[ "$stderr" == *"--ndjson"* ]]
	[ -z "$output" ]
	run -2 --separate-stderr "$TNOS" lsmount --until attach /
	[[ "$stderr" == *"--until needs --watch"* ]]
	run -2 --separate-stderr "$TNOS" lsmount --watch --until mount /
	run -2 --separate-stderr "$TNOS" lsmount --watch --until attach
	run -2 --separate-stderr "$TNOS" lsmount --watch --timeout soon
	run -2 --separate-stderr "$TNOS" lsmount --watch --count 0
	run -2 --separate-stderr "$TNOS" lsmount --watch --reverse
	run -2 --separate-stderr "$TNOS" lsmount -o EVENT
	[[ "$stderr" == *"EVENT: a column of --watch"* ]]
}

@test "a kernel without mount events exits 3 naming Linux 6.15" {
	# fanotify_init refuses FAN_REPORT_MNT with EINVAL before 6.15
	run -3 --separate-stderr tn_nosys fanotify_init=22 "$TNOS" lsmount --watch
	[[ "$stderr" == *"FAN_REPORT_MNT"*"Linux 6.15"* ]]
	[ -z "$output" ]
	# the namespace mark (FAN_MARK_MNTNS) is the other half
	run -3 --separate-stderr tn_nosys fanotify_mark=22 "$TNOS" lsmount --watch
	[[ "$stderr" == *"FAN_MARK_MNTNS"*"Linux 6.15"* ]]
	# no fanotify at all
	run -3 --separate-stderr tn_nosys fanotify_init "$TNOS" lsmount --watch
	[[ "$stderr" == *"Linux 6.15"* ]]
	[ -z "$output" ]
}

@test "without CAP_SYS_ADMIN it says so (exit 1), as the kernel refuses" {
	# the kernel's answer, through python3 ctypes: the namespace mark
	# (FAN_MARK_ADD | FAN_MARK_MNTNS, FAN_MNT_ATTACH | FAN_MNT_DETACH) is EPERM
	run -0 setpriv --inh-caps=-all --bounding-set=-sys_admin python3 -c '
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
libc.fanotify_mark.argtypes = [ctypes.c_int, ctypes.c_uint, ctypes.c_uint64, ctypes.c_int, ctypes.c_char_p]
fd = libc.fanotify_init(0x4000, 0)
r = fd if fd < 0 else libc.fanotify_mark(fd, 0x111, 0x03000000, os.open("/proc/self/ns/mnt", os.O_RDONLY), None)
print(errno.errorcode[ctypes.get_errno()] if r < 0 else "ok")'
	[ "$output" = EPERM ]
	run -1 --separate-stderr setpriv --inh-caps=-all --bounding-set=-sys_admin "$TNOS" lsmount --watch
	[[ "$stderr" == *"CAP_SYS_ADMIN"* ]]
	[[ "$stderr" == *"Operation not permitted"* ]]
	[ -z "$output" ]
}

@test "--ns PID|PATH: the events of another mount namespace" {
	mkdir "$W/other"
	unshare -m --propagation private sleep 60 &
	NSP=$!
	for _ in $(seq 100); do
		[ "$(readlink /proc/$NSP/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break
		sleep 0.02
	done
	"$TNOS" lsmount --watch --ndjson --no-initial --ns "$NSP" --count 1 --timeout 10 >"$W/out" &
	P=$!
	"$TNOS" lsmount --watch --ndjson --no-initial --ns "/proc/$NSP/ns/mnt" --count 1 --timeout 10 >"$W/out2" &
	Q=$!
	sleep 0.4
	# a mount here is not in that namespace; one made there is
	mount -t tmpfs here "$W/other"
	nsenter -t "$NSP" -m mount -t tmpfs there "$W/other"
	wait "$P" "$Q"
	# the id is the one statx gives inside that namespace
	id=$(nsenter -t "$NSP" -m python3 "$BATS_TEST_DIRNAME/lib/mntchurn.py" ids "$W/other")
	kill "$NSP"
	for f in out out2; do
		run -0 jq -r '"\(.event) \(.sb_source) \(.mnt_point) \(.mnt_id)"' "$W/$f"
		[ "$output" = "attach there $W/other $id" ]
	done
}
