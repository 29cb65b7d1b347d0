#!/usr/bin/env bats
# Faults and limits: few file descriptors, many mounts, long names and
# paths, a full disk and a closed pipe on stdout.  Oracles: mountinfo,
# /proc/PID/fd, stat(1), python3 os.stat, the kernel's errno.
load helpers

NMOUNTS=5000

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	# 5,000 bind mounts of one directory, made with mount(2) directly
	mkdir -p "$TT/many/src"
	python3 - "$TT/many" "$NMOUNTS" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
base, n = sys.argv[1], int(sys.argv[2])
MS_BIND = 4096
for i in range(n):
    d = f"{base}/m{i}"
    os.mkdir(d)
    if libc.mount(f"{base}/src".encode(), d.encode(), None, MS_BIND, None) != 0:
        sys.exit(f"mount {d}: {os.strerror(ctypes.get_errno())}")
PY
}

teardown_file() {
	# one lazy detach of the whole tree: umount -R of 5,000 mounts is slow
	[ -z "${TT:-}" ] || umount -l "$TT" 2>/dev/null || true
	tn_teardown_tmpfs
}

mi_old_ids() { awk '{ print $1 }' /proc/self/mountinfo | sort -n; }

# with_fds N CMD ARGS...: run CMD with only fds 0-2 open (bats keeps others)
# and at most N file descriptors (ulimit -n N)
with_fds() {
	bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
		ulimit -n "$0" && exec "$@"' "$@"
}

@test "ulimit -n 5: lsmount lists all 5,000+ mounts (fds do not grow with mounts)" {
	[ "$(awk -v p="$TT/many/" 'index($5, p) == 1' /proc/self/mountinfo | wc -l)" -ge "$NMOUNTS" ]
	run -0 --separate-stderr with_fds 5 "$TNOS" lsmount -l -r -n -o OLD-ID
	[ "$stderr" = "" ]
	diff <(echo "$output" | sort -n) <(mi_old_ids)
	run -0 --separate-stderr with_fds 5 "$TNOS" lsmount -J -o OLD-ID,TARGET
	diff <(echo "$output" | jq '.. | objects | select(has("mnt_id_old")) | .mnt_id_old' | sort -n) <(mi_old_ids)
	run -0 --separate-stderr with_fds 5 "$TNOS" lsmount --batch 7 --ndjson -o OLD-ID
	diff <(echo "$output" | jq .mnt_id_old | sort -n) <(mi_old_ids)
}

@test "the fds of a running lsmount stay bounded: /proc/PID/fd sampled while it is blocked writing" {
	fifo=$BATS_TEST_TMPDIR/fifo
	mkfifo "$fifo"
	# bash closes what bats left open and becomes tnos: $! is tnos's pid
	bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec "$@"' with_fds "$TNOS" lsmount --ndjson --batch 64 -o ID,TARGET,SOURCE,OPTIONS > "$fifo" &
	pid=$!
	# read slowly: the pipe fills, tnos blocks in write(2) mid-list, and
	# between reads we count its open fds
	run -0 python3 - "$fifo" "$pid" "$TNOS" <<'PY'
import os, sys, time
fifo, pid, tnos = sys.argv[1], sys.argv[2], os.path.realpath(sys.argv[3])
f = open(fifo, "rb", buffering=0)
most = samples = lines = 0
while True:
    try:
        # count only once bash has exec'd tnos (and until it exits)
        if os.readlink(f"/proc/{pid}/exe") == tnos:
            n = len(os.listdir(f"/proc/{pid}/fd"))
            most = max(most, n)
            samples += 1
    except FileNotFoundError:
        pass
    b = f.read(4096)
    if not b:
        break
    lines += b.count(b"\n")
    time.sleep(0.001)
print(most, samples, lines)
PY
	wait "$pid"
	read -r most samples lines <<<"$output"
	echo "# lsmount fds: at most $most open over $samples samples, $lines mounts" >&3
	[ "$lines" -ge "$NMOUNTS" ]
	[ "$samples" -ge 20 ]
	# stdin, stdout, stderr and at most two more (listmount/statmount use none)
	[ "$most" -le 5 ]
}

@test "too few fds: the error names the limit (EMFILE), no crash" {
	mkdir -p "$TT/lim"
	echo x > "$TT/lim/f"
	run -1 --separate-stderr with_fds 4 "$TNOS" openat2 --dir "$TT/lim" --cat f
	[ "$output" = "" ]
	[ "$stderr" = "tnos openat2: f: Too many open files (the limit, ulimit -n, is 4)" ]
	# one fd more and it works
	run -0 --separate-stderr with_fds 5 "$TNOS" openat2 --dir "$TT/lim" --cat f
	[ "$output" = x ]
}

@test "a 255-byte name works everywhere; 256 bytes is ENAMETOOLONG, named" {
	mkdir -p "$TT/names"
	n255=$(printf 'n%.0s' $(seq 255))
	echo two55 > "$TT/names/$n255"
	run -0 --separate-stderr "$TNOS" statx -J -o NAME,INO "$TT/names/$n255"
	[ "$(echo "$output" | jq .stx_ino)" = "$(stat -c %i "$TT/names/$n255")" ]
	[ "$(echo "$output" | jq -r .name)" = "$n255" ]
	run -0 --separate-stderr "$TNOS" statx --dir "$TT/names" -J "$n255"
	[ "$(echo "$output" | jq .stx_size)" = 6 ]
	run -0 --separate-stderr "$TNOS" openat2 --dir "$TT/names" --resolve beneath --cat "$n255"
	[ "$output" = two55 ]
	run -0 --separate-stderr "$TNOS" fhandle encode -J "$TT/names/$n255"
	run -0 --separate-stderr "$TNOS" statmount -o TARGET -n "$TT/names/$n255"
	# 256 bytes: the kernel's ENAMETOOLONG (python3 agrees), one line, exit 1
	python3 -c 'import os, sys
try: os.stat(sys.argv[1])
except OSError as e: assert e.strerror == "File name too long", e
else: sys.exit("stat of a 256-byte name worked")' "$TT/names/${n255}x"
	for cmd in "statx $TT/names/${n255}x" "statx --dir $TT/names ${n255}x" \
		   "openat2 --dir $TT/names ${n255}x" "openat2 --dir $TT/names --resolve beneath --cat ${n255}x"; do
		run -1 --separate-stderr "$TNOS" $cmd
		[ "$output" = "" ]
		[[ $stderr == "tnos ${cmd%% *}: "*"${n255}x: File name too long" ]]
		[ "$(echo "$stderr" | wc -l)" = 1 ]
	done
}

@test "a path longer than PATH_MAX: ENAMETOOLONG named, exit 1; a path just under it works" {
	cd "$TT"
	d=$(printf 'd%.0s' $(seq 200))
	mkdir -p "$TT/deep"
	cd "$TT/deep"
	for i in $(seq 25); do mkdir "$d"; cd "$d"; done
	echo deep > f
	ino=$(stat -c %i f)
	cd "$TT"
	long=$(printf "$d/%.0s" $(seq 25))f	# 5,026 bytes
	[ "${#long}" -gt 4096 ]
	for cmd in "statx --dir $TT/deep" "openat2 --dir $TT/deep" "openat2 --dir $TT/deep --resolve beneath --cat"; do
		run -1 --separate-stderr "$TNOS" $cmd "$long"
		[ "$output" = "" ]
		[[ $stderr == "tnos ${cmd%% *}: $d/"*"/f: File name too long" ]]
		[ "$(echo "$stderr" | wc -l)" = 1 ]
	done
	run -1 --separate-stderr "$TNOS" statx "$TT/deep/$long"
	[[ $stderr == *": File name too long" ]]
	# 19 levels: 3,819 bytes, under PATH_MAX; tnos agrees with python3 os.stat
	mid=$(printf "$d/%.0s" $(seq 19))
	mid=${mid%/}
	[ "${#mid}" -lt 4096 ]
	want=$(cd "$TT/deep" && python3 -c 'import os, sys; print(os.stat(sys.argv[1]).st_ino)' "$mid")
	run -0 --separate-stderr "$TNOS" statx --dir "$TT/deep" -J "$mid"
	[ "$(echo "$output" | jq .stx_ino)" = "$want" ]
	run -0 --separate-stderr "$TNOS" openat2 --dir "$TT/deep" --resolve beneath -J -o INO "$mid"
	[ "$(echo "$output" | jq .stx_ino)" = "$want" ]
	[ "$ino" != "$want" ]
}

# every listing command, each output format
listings=(
	"lsmount"
	"lsmount -J"
	"lsmount --ndjson"
	"lsmount -P"
	"statmount / /proc"
	"statmount -J /"
	"statx / /proc /tmp"
	"statx -J / /proc /tmp"
	"statx --ndjson / /proc /tmp"
)

# every other writer of stdout: walk's own buffered writer (paths, -0,
# records, threads), the --cat copy, help, version, --list-columns
writers=(
	"walk \$TT tnos-test"
	"walk -0 \$TT tnos-test"
	"walk --ndjson \$TT tnos-test"
	"walk --jobs 3 \$TT tnos-test"
	"openat2 --cat \$TT/file"
	"fhandle open --cat \$HANDLE"
	"lsmount --list-columns"
	"statx --help"
	"--help"
	"--version"
)

@test "> /dev/full: exit 1 with one message, in one wording, for every command that writes stdout" {
	# the kernel's words for the error, from python's own write to /dev/full
	want=$(python3 -c 'import errno, os
try: os.write(os.open("/dev/full", os.O_WRONLY), b"x")
except OSError as e: assert e.errno == errno.ENOSPC; print(e.strerror)')
	[ -n "$want" ]
	head -c 100000 /dev/zero > "$TT/file"
	HANDLE=$("$TNOS" fhandle encode -o HANDLE -n "$TT/file")
	for c in "${listings[@]}" "${writers[@]}"; do
		c=$(eval echo "$c")
		run -1 --separate-stderr bash -c '"$0" $1 > /dev/full' "$TNOS" "$c"
		name=${c%% *}; [[ $name == -* ]] && p="tnos:" || p="tnos $name:"
		[ "$stderr" = "$p write error on standard output: $want" ] ||
			{ echo "$c: $stderr"; return 1; }
	done
}

# Quiet: nothing on stderr, and exit 0 or death by SIGPIPE (141), as
# coreutils do; tnos re-raises SIGPIPE after an EPIPE.
@test "| head -1: quiet (no message, 0 or SIGPIPE) for every listing command, large outputs too" {
	# many files for statx: its output is far larger than a pipe's buffer
	mkdir -p "$TT/files"
	(cd "$TT/files" && touch $(seq 3000))
	big=("lsmount -l" "lsmount -J" "statx --ndjson $TT/files/*" "statx $TT/files/*")
	for c in "${listings[@]}" "${big[@]}"; do
		err=$BATS_TEST_TMPDIR/err
		bash -c '"$0" $1 2> "$2" | head -1 > /dev/null; echo "${PIPESTATUS[0]}" > "$2.rc"' \
			"$TNOS" "$c" "$err"
		case $(cat "$err.rc") in 0|141) ;; *) echo "$c: exit $(cat "$err.rc")"; return 1 ;; esac
		[ ! -s "$err" ] || { echo "$c: $(cat "$err")"; return 1; }
	done
	# the same with SIGPIPE ignored (EPIPE from write(2) instead of the signal)
	head -c 1000000 /dev/zero > "$TT/big"
	for c in "lsmount -J" "statx $TT/files/*" "walk $TT tnos-test" "walk --jobs 3 $TT tnos-test" \
		 "openat2 --cat $TT/big"; do
		bash -c 'trap "" PIPE; "$0" $1 2> "$2" | head -1 > /dev/null; echo "${PIPESTATUS[0]}" > "$2.rc"' \
			"$TNOS" "$c" "$err"
		case $(cat "$err.rc") in 0|141) ;; *) echo "$c (SIGPIPE ignored): exit $(cat "$err.rc")"; return 1 ;; esac
		[ ! -s "$err" ]
	done
}
