#!/usr/bin/env bats
# tnos walk under faults and races: descriptors bounded by depth, names and
# paths beyond PATH_MAX, a tree changing under the walk, interrupts with
# resume tokens.  Oracles: find, getfattr via python, the kernel's limits.
load helpers

setup_file() {
	tn_setup_tmpfs
	W=$TT/w
	mkdir -p "$W"
	mount -t tmpfs -o size=512m,nr_inodes=400000 hard-src "$W"
	export W
}

teardown_file() { tn_teardown_tmpfs; }

@test "100,000 entries with ulimit -n 16: descriptors grow with depth, not entries" {
	mkdir -p "$W/big"
	python3 - "$W/big" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    p = os.path.join(root, f"d{d}")
    os.mkdir(p)
    for f in range(999):
        os.close(os.open(os.path.join(p, f"f{f}"), os.O_CREAT | os.O_WRONLY, 0o644))
PY
	want=$(find "$W/big" -mindepth 1 | wc -l)
	[ "$want" -eq 100000 ]
	got=$(bash -c "ulimit -n 16; exec '$TNOS' walk --relative big '$W' hard-src -0" | tr -cd '\0' | wc -c)
	[ "$got" -eq "$want" ]
	# two threads sharing the directories: still threads x depth, and the
	# stat and fd modes too
	for mode in --ndjson "--open-flags rdonly"; do
		got=$(bash -c "ulimit -n 16; exec '$TNOS' walk -j2 $mode --relative big '$W' hard-src" | wc -l)
		[ "$got" -eq "$want" ]
	done
	got=$(bash -c "ulimit -n 16; exec '$TNOS' walk -j2 -0 --relative big '$W' hard-src" | tr -cd '\0' | wc -c)
	[ "$got" -eq "$want" ]
}

@test "--exec sees a bounded number of open descriptors in the walker" {
	mkdir -p "$W/fdcount/a/b/c"
	for i in $(seq 1 300); do echo "$i" > "$W/fdcount/a/b/c/f$i"; echo "$i" > "$W/fdcount/f$i"; done
	max=$("$TNOS" walk --relative fdcount "$W" hard-src \
		--exec sh -c 'ls /proc/$PPID/fd | wc -l' \; | grep -E '^[0-9]+$' | sort -n | tail -1)
	# stdin/stdout/stderr, root, one per level (4), the entry, pipes: a handful
	[ "$max" -le 16 ]
}

@test "a 255-byte name and a path far beyond PATH_MAX" {
	n255=$(printf 'n%.0s' $(seq 255))
	mkdir -p "$W/long"
	cd "$W/long"
	for i in $(seq 1 24); do mkdir "$n255"; cd "$n255"; done
	echo deep > "$n255"
	cd /
	want=$(find "$W/long" -mindepth 1 | wc -l)
	got=$("$TNOS" walk -0 --relative long "$W" hard-src | tr -cd '\0' | wc -c)
	[ "$want" -eq "$got" ]
	# the deepest path is longer than PATH_MAX and still printed whole
	longest=$("$TNOS" walk -0 --relative long "$W" hard-src | tr '\0' '\n' | awk '{ print length }' | sort -n | tail -1)
	[ "$longest" -gt 4096 ]
	# statx on such a path through --dir: a clear ENAMETOOLONG, no crash
	p=$(printf "$n255/%.0s" $(seq 1 24))
	run -1 --separate-stderr "$TNOS" statx --dir "$W/long" "${p}$n255"
	[[ $stderr == *"File name too long"* ]]
}

@test "a directory swapped for a symlink to / or a bind mount never leads the walk outside" {
	mkdir -p "$W/race/swap/sub" "$W/race/keep" /tmp/outside-secret.$$
	echo SECRET-OUTSIDE > /tmp/outside-secret.$$/secret
	for i in $(seq 1 50); do echo in > "$W/race/swap/sub/f$i"; echo in > "$W/race/keep/f$i"; done
	rm -f "$W/race.stop"
	(
		# swaps until the walks below are done: a count of walks, not a
		# time, so a loaded machine runs them all the same (the time is
		# only a bound for a test that failed before it said stop)
		end=$((SECONDS + 600))
		while [ ! -e "$W/race.stop" ] && [ $SECONDS -lt $end ]; do
			mv "$W/race/swap" "$W/race/swap.real" 2>/dev/null
			ln -s / "$W/race/swap" 2>/dev/null
			rm -f "$W/race/swap"
			mkdir -p "$W/race/swap" 2>/dev/null
			mount --bind /tmp/outside-secret.$$ "$W/race/swap" 2>/dev/null
			umount "$W/race/swap" 2>/dev/null
			rmdir "$W/race/swap" 2>/dev/null
			mv "$W/race/swap.real" "$W/race/swap" 2>/dev/null
		done
	) 3>&- &
	churn=$!
	want_dev=$(stat -c '%Hd:%Ld' "$W")
	for run in $(seq 1 12); do
		# records: never a path from outside, every device is the walked one's
		out=$("$TNOS" walk --ndjson --relative race "$W" hard-src 2>/dev/null || true)
		[[ $out != *'"name":"passwd"'* ]]
		[[ $out != *outside-secret* ]]
		bad=$(printf '%s\n' "$out" | jq -r 'select(.stx_dev_major != null) | "\(.stx_dev_major):\(.stx_dev_minor)"' |
			grep -vxF "$want_dev" || true)
		[ -z "$bad" ]
		# contents: --exec reads each verified fd, never the file outside
		out=$("$TNOS" walk --relative race "$W" hard-src --exec cat \; 2>/dev/null || true)
		[[ $out != *SECRET-OUTSIDE* ]]
	done
	touch "$W/race.stop"
	wait "$churn" || true
	rm -rf /tmp/outside-secret.$$
}

@test "names and stat modes under a swapper: nothing outside is listed, a file mounted over a file is never statx'd as ours" {
	mkdir -p "$W/race2/swap/sub" "$W/race2/keep" /tmp/outside2.$$
	echo SECRET-OUTSIDE-LONGER-THAN-ANY >/tmp/outside2.$$/secret
	for i in $(seq 1 50); do echo in >"$W/race2/swap/sub/f$i"; echo in >"$W/race2/keep/f$i"; done
	(
		end=$((SECONDS + 8))
		while [ $SECONDS -lt $end ]; do
			mv "$W/race2/swap" "$W/race2/swap.real" 2>/dev/null
			ln -s /etc "$W/race2/swap" 2>/dev/null
			rm -f "$W/race2/swap"
			mkdir -p "$W/race2/swap" 2>/dev/null
			mount --bind /tmp/outside2.$$ "$W/race2/swap" 2>/dev/null
			mount --bind /tmp/outside2.$$/secret "$W/race2/keep/f7" 2>/dev/null
			umount "$W/race2/swap" 2>/dev/null
			rmdir "$W/race2/swap" 2>/dev/null
			mv "$W/race2/swap.real" "$W/race2/swap" 2>/dev/null
			umount "$W/race2/keep/f7" 2>/dev/null
		done
	) 3>&- &
	churn=$!
	runs=0
	want_dev=$(stat -c '%Hd:%Ld' "$W")
	secret_size=$(stat -c %s /tmp/outside2.$$/secret)
	while kill -0 "$churn" 2>/dev/null; do
		# names: only names of the walked directories (never /etc's, never the secret's)
		out=$("$TNOS" walk -0 --relative race2 "$W" hard-src 2>/dev/null | tr '\0' '\n' || true)
		[[ $out != *passwd* ]]
		[[ $out != *secret* ]]
		bad=$(printf '%s\n' "$out" | grep -v "^$W/race2/\(swap\|keep\|swap.real\)\(/\|$\)" | grep -v '^$' || true)
		[ -z "$bad" ]
		# stat: every record is of the walked filesystem, never the mounted file
		out=$("$TNOS" walk --ndjson -o PATH,SIZE,DEV --relative race2 "$W" hard-src 2>/dev/null || true)
		bad=$(printf '%s\n' "$out" | jq -r 'select(.stx_dev_major != null) | "\(.stx_dev_major):\(.stx_dev_minor)"' |
			grep -vxF "$want_dev" || true)
		[ -z "$bad" ]
		[ -z "$(printf '%s\n' "$out" | jq -r "select(.stx_size == $secret_size) | .path")" ]
		runs=$((runs + 1))
	done
	wait "$churn" || true
	echo "# $runs walks during the churn" >&3
	[ "$runs" -ge 5 ]
	umount "$W/race2/keep/f7" 2>/dev/null || true
	rm -rf /tmp/outside2.$$
}

@test "files deleted under the walk: counted in cnt_vanished, never an error, exit 0" {
	mkdir -p "$W/van"
	# The walk's stdout is a pipe nobody reads yet: it blocks writing with
	# the rest of getdents' buffer not yet statx'd (or opened); the files are
	# deleted then, and the pipe drained.
	for mode in --ndjson "--ndjson --open-flags rdonly"; do
		python3 - "$TNOS" "$W" "$mode" <<'PY'
import json, os, subprocess, sys, time
tnos, w, mode = sys.argv[1], sys.argv[2], sys.argv[3].split()
d = os.path.join(w, "van")
names = [f"file-with-a-long-name-{i:05d}" for i in range(4000)]
for n in names:
    os.close(os.open(os.path.join(d, n), os.O_CREAT | os.O_WRONLY, 0o644))
p = subprocess.Popen([tnos, "walk", *mode, "--stats", "--relative", "van", w, "hard-src"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(1.5)
assert p.poll() is None, "the walk did not block on its full pipe"
for n in names:
    os.unlink(os.path.join(d, n))
out, err = p.communicate()
assert p.returncode == 0, (p.returncode, err)
lines = err.decode().splitlines()
assert len(lines) == 1, lines          # the --stats line, no error
st = json.loads(lines[0])
rows = out.decode().splitlines()
print(mode, "listed", len(rows), "vanished", st["cnt_vanished"])
assert st["errors"] == 0 and st["state"] == "done", st
assert st["cnt"] == len(rows), (st, len(rows))
assert st["cnt_vanished"] > 0, st
assert st["cnt"] + st["cnt_vanished"] <= len(names), st
PY
	done
	rmdir "$W/van"
}

@test "SIGINT with a resume token: finished directories keep it, the current one does not" {
	T=0123456789abcdef0123456789abcdef
	mkdir -p "$W/intr"
	for d in 1 2 3 4 5; do mkdir "$W/intr/d$d"; for f in $(seq 1 20); do echo "$d$f" > "$W/intr/d$d/f$f"; done; done
	# interrupt from inside: the 45th file's --exec sends SIGINT to the walker
	run --separate-stderr "$TNOS" walk --relative intr --resume-token user.tnos=$T \
		--exec sh -c '[ "$(basename "$TNOS_PATH")" != f5 ] || [ "${TNOS_PATH%/*}" != "'"$W"'/intr/d3" ] || kill -INT $PPID' \; \
		"$W" hard-src
	[ "$status" -eq 130 ]
	python3 - "$W/intr" <<'PY'
import os, sys
root = sys.argv[1]
marked = {d for d in os.listdir(root)
          if "user.tnos" in os.listxattr(os.path.join(root, d))}
assert "user.tnos" not in os.listxattr(root), "root marked"
# walk order is the directory order; the interrupted one is unmarked
assert "d3" not in marked, marked
print(sorted(marked))
PY
}
