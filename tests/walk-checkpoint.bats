#!/usr/bin/env bats
# tnos walk --checkpoint / --resume: oracles are find(1), stat(1), python's
# json, os and base64, and jq.
load helpers

setup_file() {
	tn_setup_tmpfs
	# the checkpoints live here, on the suite's tmpfs; each walked tree is a
	# tmpfs of its own below it
	mkdir -p "$TT/ck"
	export CKD=$TT/ck
}

teardown_file() {
	tn_teardown_tmpfs
}

# A fresh tmpfs at $TT/$1 (source $1-src) as $W.
new_tree() {
	W=$TT/$1
	mkdir -p "$W"
	mount -t tmpfs "$1-src" "$W"
}

# find's listing of $W, one path a line, sorted (no symlinks there)
find_list() {
	find "$W" -xdev -mindepth 1 | LC_ALL=C sort
}

# A walk stopped by SIGINT when it runs --exec on the file $1 (a path below
# $W): its output in $CKD/$2.out, the checkpoint in $CKD/$2.json.
walk_stopped_at() {
	run -130 --separate-stderr "$TNOS" walk --checkpoint "$CKD/$2.json" \
		--exec sh -c '[ "$TNOS_PATH" != "$1" ] || kill -INT $PPID' sh "$1" \; \
		"$W" "$(basename "$W")-src"
	printf '%s\n' "$output" >"$CKD/$2.out"
	[[ $stderr == *"stopped by Interrupt"*"--resume $CKD/$2.json"* ]]
}

@test "a walk stopped by SIGINT and resumed lists every entry of find -xdev once" {
	new_tree big
	python3 -c '
import os, sys
r = sys.argv[1]
for i in range(60):
    d = os.path.join(r, "d%02d" % i, "sub")
    os.makedirs(d)
    for j in range(150):
        open(os.path.join(r, "d%02d" % i, "f%03d" % j), "w").close()
    for j in range(20):
        open(os.path.join(d, "g%02d" % j), "w").close()
' "$W"
	want=$(find_list)
	[ "$(printf '%s\n' "$want" | wc -l)" -gt 10000 ]
	# the walk writes into a FIFO; after 2000 lines the reader sends SIGINT
	# and reads on to the end
	mkfifo "$CKD/fifo"
	"$TNOS" walk --checkpoint "$CKD/big.json" --checkpoint-every 100 "$W" big-src \
		>"$CKD/fifo" 2>"$CKD/big.err" &
	pid=$!
	python3 -c '
import os, signal, sys
n = 0
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "wb") as out:
    for line in f:
        out.write(line)
        n += 1
        if n == 2000:
            os.kill(int(sys.argv[3]), signal.SIGINT)
' "$CKD/fifo" "$CKD/big.1" "$pid"
	# (wait in this shell: run's subshell is not the walk's parent)
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 130 ] || { echo "status $st"; cat "$CKD/big.err"; false; }
	grep -q "stopped by Interrupt" "$CKD/big.err"
	# it stopped part of the way, and says where
	n1=$(wc -l <"$CKD/big.1")
	[ "$n1" -ge 2000 ]
	[ "$n1" -lt "$(printf '%s\n' "$want" | wc -l)" ]
	run -0 jq -e '.done == false and .version == 1 and (.dir_stack | length) >= 1' "$CKD/big.json"
	[ "$(jq -r .cnt "$CKD/big.json")" -eq "$n1" ]
	[ "$(jq -r '.dir_stack[0].path' "$CKD/big.json")" = "$W" ]
	[ "$(jq -r '.dir_stack[0].inode' "$CKD/big.json")" = "$(stat -c %i "$W")" ]

	run -0 --separate-stderr "$TNOS" walk --resume "$CKD/big.json" "$W" big-src
	printf '%s\n' "$output" >"$CKD/big.2"
	[ -z "$stderr" ]
	# nothing twice, and together exactly find's entries
	[ -z "$(cat "$CKD/big.1" "$CKD/big.2" | LC_ALL=C sort | uniq -d)" ]
	[ "$(cat "$CKD/big.1" "$CKD/big.2" | LC_ALL=C sort)" = "$want" ]
	# the file now says the walk finished, with the count of both runs
	run -0 jq -e --argjson n "$(printf '%s\n' "$want" | wc -l)" '.done == true and .cnt == $n' "$CKD/big.json"
	umount "$W"
}

@test "a walk killed outright (SIGKILL) loses nothing: what its checkpoint counts was written out" {
	new_tree kill
	python3 -c '
import os, sys
for i in range(30):
    d = os.path.join(sys.argv[1], "d%02d" % i)
    os.makedirs(d)
    for j in range(100):
        open(os.path.join(d, "file-with-a-long-name-%03d" % j), "w").close()
' "$W"
	# the reader holds the FIFO open, its pipe made one page small, and
	# reads nothing until told: the walk blocks once the pipe is full
	mkfifo "$CKD/kfifo"
	python3 -c '
import fcntl, os, sys, time
fifo, out, ready, go = sys.argv[1:]
fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
fcntl.fcntl(fd, 1031, 4096)   # F_SETPIPE_SZ
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
with open(out, "wb") as f:
    while True:
        b = os.read(fd, 65536)
        if not b:
            break
        f.write(b)
' "$CKD/kfifo" "$CKD/k.1" "$CKD/k.ready" "$CKD/k.go" &
	rpid=$!
	for _ in $(seq 100); do [ -e "$CKD/k.ready" ] && break; sleep 0.05; done
	"$TNOS" walk --checkpoint "$CKD/k.json" --checkpoint-every 10 "$W" kill-src >"$CKD/kfifo" &
	pid=$!
	for _ in $(seq 100); do [ -e "$CKD/k.json" ] && break; sleep 0.05; done
	# blocked: the saved count stays put
	a=x b=y
	while [ "$a" != "$b" ]; do
		a=$(jq .cnt "$CKD/k.json"); sleep 0.3; b=$(jq .cnt "$CKD/k.json")
	done
	kill -KILL "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	touch "$CKD/k.go"
	wait "$rpid"
	saved=$(jq .cnt "$CKD/k.json")
	[ "$saved" -gt 0 ]
	[ "$(wc -l <"$CKD/k.1")" -ge "$saved" ]
	[ "$(wc -l <"$CKD/k.1")" -lt "$(find_list | wc -l)" ]
	# the resume lists the rest: together every entry, and nothing twice
	# among what the checkpoint counted
	run -0 --separate-stderr "$TNOS" walk --resume "$CKD/k.json" "$W" kill-src
	printf '%s\n' "$output" >"$CKD/k.2"
	[ "$(cat "$CKD/k.1" "$CKD/k.2" | LC_ALL=C sort -u)" = "$(find_list)" ]
	[ -z "$(head -n "$saved" "$CKD/k.1" | LC_ALL=C sort | LC_ALL=C comm -12 - <(LC_ALL=C sort "$CKD/k.2"))" ]
	umount "$W"
}

@test "stopped twice and resumed twice: the three runs list find's entries once each" {
	new_tree twice
	mkdir -p "$W"/a/b/c "$W"/d/e/h "$W"/g
	for d in a a/b a/b/c d d/e d/e/h g; do for j in 1 2 3 4 5; do echo "$j" >"$W/$d/f$j"; done; done
	# the stops: a file three levels down in the first of a/b/c and d/e/h
	# walked, then one in a directory walked after it (the walk's own order
	# picks them; find is the oracle)
	order=$("$TNOS" walk "$W" twice-src)
	s1=$(printf '%s\n' "$order" | grep -m1 -E '/(c|h)/f3$')
	d1=$(dirname "$s1")
	s2=$(printf '%s\n' "$order" | sed -n "\\|^$s1\$|,\$p" | grep -v "^$d1/" | grep -m1 '/f2$')
	[ -n "$s2" ]
	walk_stopped_at "$s1" t1
	# the deepest saved directory is the one it was in, and its parents
	[ "$(jq -r '.dir_stack | length' "$CKD/t1.json")" -eq 4 ]
	[ "$(jq -r '.dir_stack[-1].path' "$CKD/t1.json")" = "$d1" ]
	[ "$(jq -r '.dir_stack[-1].inode' "$CKD/t1.json")" = "$(stat -c %i "$d1")" ]
	[ "$(jq -r '.dir_stack[1].inode' "$CKD/t1.json")" = "$(stat -c %i "$(dirname "$(dirname "$d1")")")" ]
	# the second run resumes and is stopped again, by SIGTERM, in another
	# directory
	run -143 --separate-stderr "$TNOS" walk --resume "$CKD/t1.json" \
		--exec sh -c '[ "$TNOS_PATH" != "$1" ] || kill -TERM $PPID' sh "$s2" \; \
		"$W" twice-src
	printf '%s\n' "$output" >"$CKD/t2.out"
	[[ $stderr == *"stopped by Terminated"*"--resume $CKD/t1.json"* ]]
	[ "$(jq -r '.dir_stack[-1].path' "$CKD/t1.json")" = "$(dirname "$s2")" ]
	run -0 --separate-stderr "$TNOS" walk --resume "$CKD/t1.json" "$W" twice-src
	printf '%s\n' "$output" >"$CKD/t3.out"
	all=$(cat "$CKD/t1.out" "$CKD/t2.out" "$CKD/t3.out" | sed '/^$/d' | LC_ALL=C sort)
	[ -z "$(printf '%s\n' "$all" | uniq -d)" ]
	[ "$all" = "$(find_list)" ]
	umount "$W"
}

@test "a saved directory that vanished stops the resume: depth, path, and how to go on in its parent" {
	new_tree gone
	mkdir -p "$W"/v/x/y "$W"/w
	for d in v v/x v/x/y w; do for j in 1 2 3 4; do echo "$j" >"$W/$d/f$j"; done; done
	walk_stopped_at "$W/v/x/y/f2" g
	cp "$CKD/g.json" "$CKD/g.saved"
	rm -rf "$W/v/x/y"
	run -1 --separate-stderr "$TNOS" walk --resume "$CKD/g.json" "$W" gone-src
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ $stderr == *"depth 3, $W/v/x/y (inode "*"is gone, renamed, or its name leads to another inode now"*"--resume-depth 2"* ]]
	# the checkpoint is left as it was
	cmp "$CKD/g.json" "$CKD/g.saved"
	# going on in the parent lists the rest, nothing twice; saved in
	# another file, the first is left alone
	run -0 --separate-stderr "$TNOS" walk --resume "$CKD/g.json" --resume-depth 2 \
		--checkpoint "$CKD/g2.json" "$W" gone-src
	printf '%s\n' "$output" >"$CKD/g2.out"
	cmp "$CKD/g.json" "$CKD/g.saved"
	run -0 jq -e '.done' "$CKD/g2.json"
	all=$(cat "$CKD/g.out" "$CKD/g2.out" | sed '/^$/d' | LC_ALL=C sort)
	[ -z "$(printf '%s\n' "$all" | uniq -d)" ]
	# every entry there now was listed; the others were in the removed directory
	[ -z "$(LC_ALL=C comm -13 <(printf '%s\n' "$all") <(find_list))" ]
	[ -z "$(LC_ALL=C comm -23 <(printf '%s\n' "$all") <(find_list) | grep -v "^$W/v/x/y")" ]
	umount "$W"
}

@test "a saved directory renamed, or its name on another directory, stops the resume before anything is listed" {
	new_tree moved
	mkdir -p "$W"/big
	for i in 1 2 3 4 5 6; do
		mkdir -p "$W/big/d$i/sub"
		for j in 1 2 3 4 5; do echo "$j" >"$W/big/d$i/f$j"; done
	done
	# stop in the third of big's directories the walk enters (its order)
	order=$("$TNOS" walk "$W" moved-src)
	d=$(printf '%s\n' "$order" | grep -E "^$W/big/d[0-9]$" | sed -n 3p)
	walk_stopped_at "$d/f3" m
	[ "$(jq -r '.dir_stack[-1].path' "$CKD/m.json")" = "$d" ]
	cp "$CKD/m.json" "$CKD/m.saved"
	for how in renamed replaced; do
		mv "$d" "$d.$how"
		[ $how = renamed ] || mkdir "$d"
		run -1 --separate-stderr "$TNOS" walk --resume "$CKD/m.json" "$W" moved-src
		[ -z "$output" ]
		[[ $stderr == *"depth 2, $d (inode $(stat -c %i "$d.$how")), is gone, renamed, or its name leads to another inode now"*"--resume-depth 1"* ]] || { echo "$how: $stderr"; false; }
		cmp "$CKD/m.json" "$CKD/m.saved"
		[ $how = renamed ] || rmdir "$d"
		mv "$d.$how" "$d"
	done
	umount "$W"
}

@test "a saved directory with another inode (another renamed in its place) stops the resume" {
	new_tree moved
	mkdir -p "$W"/v/x/y "$W"/v/x/z
	for d in v v/x v/x/y v/x/z; do for j in 1 2 3; do echo "$j" >"$W/$d/f$j"; done; done
	walk_stopped_at "$W/v/x/y/f2" m
	old=$(stat -c %i "$W/v/x/y")
	rm -rf "$W/v/x/y"
	mv "$W/v/x/z" "$W/v/x/y"
	[ "$(stat -c %i "$W/v/x/y")" != "$old" ]
	run -1 --separate-stderr "$TNOS" walk --resume "$CKD/m.json" "$W" moved-src
	[ -z "$output" ]
	[[ $stderr == *"depth 3, $W/v/x/y (inode $old)"*"--resume-depth 2"* ]]
	# a root that is another directory now: depth 0, no parent to go on in
	run -0 jq --argjson i 999999 '.dir_stack[0].inode = $i' "$CKD/m.json"
	printf '%s\n' "$output" >"$CKD/m-root.json"
	run -1 --separate-stderr "$TNOS" walk --resume "$CKD/m-root.json" "$W" moved-src
	[ -z "$output" ]
	[[ $stderr == *"root $W (depth 0)"*"start a new walk"* ]]
	umount "$W"
}

@test "a checkpoint that is corrupt, of another version or of another walk: exit 2, one line" {
	new_tree bad
	mkdir -p "$W"/a
	echo 1 >"$W"/a/f
	run -0 "$TNOS" walk --checkpoint "$CKD/ok.json" "$W" bad-src
	# a finished walk has nothing left
	run -0 --separate-stderr "$TNOS" walk --resume "$CKD/ok.json" "$W" bad-src
	[ -z "$output" ]
	[[ $stderr == *"finished already"* ]]
	python3 - "$CKD" <<-'EOF'
	import json, sys
	d = sys.argv[1]
	ok = json.load(open(d + "/ok.json"))
	open(d + "/trunc.json", "w").write(open(d + "/ok.json").read()[:40])
	open(d + "/notjson.json", "w").write("hello\n")
	for k, v in (("v2", {"version": 2}), ("fmt", {"format": "something"}),
	             ("fs", {"fsname": "other-src"}), ("prune", {"prune": ["x*"]}),
	             ("ino", {"dir_stack": [{"path": "/", "inode": -1, "offset": 0}]}),
	             ("b64", {"fsname_b64": "!!"})):
	    c = dict(ok); c.update(v); c["done"] = False
	    json.dump(c, open("%s/%s.json" % (d, k), "w"))
	EOF
	for f in trunc:"not JSON" notjson:"not JSON" v2:"version 2; this tnos reads version 1" \
		 fmt:"not a walk checkpoint" fs:"of a walk of other-src, not bad-src" \
		 prune:"--prune differs" ino:'"inode" is missing or not a number' b64:'"fsname_b64" is not base64'; do
		run -2 --separate-stderr "$TNOS" walk --resume "$CKD/${f%%:*}.json" "$W" bad-src
		[ -z "$output" ]
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
		[[ $stderr == "tnos walk: --resume $CKD/${f%%:*}.json: "*"${f#*:}"* ]]
	done
	# a file that is not there: the operation failed (1), with the kernel's reason
	run -1 --separate-stderr "$TNOS" walk --resume "$CKD/none.json" "$W" bad-src
	[[ $stderr == *"none.json"*"No such file or directory"* ]]
	umount "$W"
}

@test "--checkpoint leaves the walked filesystem's ctimes alone (--resume-token changes them)" {
	new_tree ctime
	mkdir -p "$W"/a/b "$W"/c
	echo 1 >"$W"/a/b/f
	before=$(find "$W" -printf '%C@ %p\n' | LC_ALL=C sort)
	sleep 0.05
	run -0 "$TNOS" walk --checkpoint "$CKD/ct.json" --checkpoint-every 1 "$W" ctime-src
	[ "$(find "$W" -printf '%C@ %p\n' | LC_ALL=C sort)" = "$before" ]
	# the oracle sees a change when there is one: the token marks directories
	run -0 "$TNOS" walk --resume-token user.ck=00112233445566778899aabbccddeeff "$W" ctime-src
	[ "$(find "$W" -printf '%C@ %p\n' | LC_ALL=C sort)" != "$before" ]
	umount "$W"
}

@test "a checkpoint on the walked filesystem is refused before anything is walked" {
	new_tree self
	mkdir -p "$W"/a
	run -2 --separate-stderr "$TNOS" walk --checkpoint "$W/a/ck.json" "$W" self-src
	[ -z "$output" ]
	[[ $stderr == *"--checkpoint $W/a/ck.json: it is on the filesystem being walked"* ]]
	[ -z "$(find "$W" -name 'ck.json*')" ]
	# the same for --resume, which saves where it reads
	cp "$CKD/ok.json" "$W/ck.json" 2>/dev/null || echo '{}' >"$W/ck.json"
	run -2 --separate-stderr "$TNOS" walk --resume "$W/ck.json" "$W" self-src
	[ -z "$output" ]
	[[ $stderr == *"--resume $W/ck.json: it is on the filesystem being walked"* ]]
	umount "$W"
}

@test "--checkpoint with --jobs, --resume-token, or its options alone: usage errors" {
	new_tree use
	run -2 --separate-stderr "$TNOS" walk --checkpoint "$CKD/u.json" -j 2 "$W" use-src
	[[ $stderr == *"--checkpoint saves one directory stack: it walks with one job"* ]]
	run -2 --separate-stderr "$TNOS" walk --resume "$CKD/u.json" -j 2 "$W" use-src
	run -2 --separate-stderr "$TNOS" walk --checkpoint "$CKD/u.json" \
		--resume-token user.ck=00112233445566778899aabbccddeeff "$W" use-src
	[[ $stderr == *"two ways to resume"* ]]
	run -2 --separate-stderr "$TNOS" walk --checkpoint-every 5 "$W" use-src
	run -2 --separate-stderr "$TNOS" walk --resume-depth 1 "$W" use-src
	run -2 --separate-stderr "$TNOS" walk --checkpoint "$CKD/u.json" --checkpoint-every 0 "$W" use-src
	[ ! -e "$CKD/u.json" ]
	umount "$W"
}

@test "paths that are not UTF-8 are saved exactly (path_b64) and found again" {
	new_tree bytes
	bad=$(printf 'd\xff\xfe')
	mkdir -p "$W/$bad/in"
	for j in 1 2 3 4; do echo "$j" >"$W/$bad/in/f$j"; echo "$j" >"$W/$bad/g$j"; done
	walk_stopped_at "$W/$bad/in/f2" b
	# python decodes the twin to the directory's own bytes
	run -0 python3 -c '
import base64, json, os, sys
c = json.load(open(sys.argv[1]))
p = base64.b64decode(c["dir_stack"][2]["path_b64"])
print(p == os.fsencode(sys.argv[2]), c["dir_stack"][2]["inode"] == os.stat(sys.argv[2]).st_ino)
' "$CKD/b.json" "$W/$bad/in"
	[ "$output" = "True True" ]
	run -0 --separate-stderr "$TNOS" walk -0 --resume "$CKD/b.json" "$W" bytes-src
	# -0 paths are raw; the first run's lines are escaped: compare counts and
	# that the rest is exactly what the first run left
	second=$(printf '%s' "$output" | tr '\0' '\n' | LC_ALL=C sort)
	first_n=$(sed '/^$/d' "$CKD/b.out" | wc -l)
	[ $((first_n + $(printf '%s\n' "$second" | wc -l))) -eq "$(find_list | wc -l)" ]
	[ -z "$(LC_ALL=C comm -13 <(find_list) <(printf '%s\n' "$second"))" ]
	umount "$W"
}

@test "--report-every records carry the directory stack; a final record ends the walk" {
	new_tree rep
	mkdir -p "$W"/a/b "$W"/c
	for d in a a/b c; do for j in 1 2 3; do echo "$j" >"$W/$d/f$j"; done; done
	run -0 --separate-stderr "$TNOS" walk --report-every 2 "$W" rep-src
	total=$(find_list | wc -l)
	n=$(printf '%s\n' "$stderr" | wc -l)
	[ "$n" -eq $((total / 2 + 1)) ]
	# each running record: the stack starts at the root, each level is a
	# directory of the one before, with stat's inode, and it ends where the
	# walk was
	[ -z "$(printf '%s\n' "$stderr" | head -n $((n - 1)) | jq -c 'select(.state != "running")')" ]
	printf '%s\n' "$stderr" | head -n $((n - 1)) | python3 "$TNOS_TESTS/lib/dirstack.py" "$W"
	# the last one: done, the root alone (truenas_os's final report)
	printf '%s\n' "$stderr" | tail -n 1 | jq -e --arg w "$W" --argjson i "$(stat -c %i "$W")" \
		'.state == "done" and .cnt == '"$total"' and .dir_stack == [{"path": $w, "inode": $i}]'
	umount "$W"
}

@test "the checkpoint's cnt_bytes adds up every run's files, as find -printf %s does" {
	new_tree bytes
	mkdir -p "$W"/a/b "$W"/c
	for d in a a/b c; do for j in 1 2 3 4; do head -c $((j * 1000)) /dev/zero >"$W/$d/f$j"; done; done
	want=$(find "$W" -xdev -mindepth 1 ! -type d -printf '%s\n' | awk '{ s += $1 } END { print s }')
	# a plain walk, which lists names alone without a checkpoint
	run -0 "$TNOS" walk --checkpoint "$CKD/bytes.json" "$W" bytes-src
	run -0 jq -e --argjson b "$want" '.done and .cnt_bytes == $b' "$CKD/bytes.json"
	# stopped in its middle (--exec), then resumed plainly: the two runs' sum
	walk_stopped_at "$W/a/b/f2" bytes2
	run -0 --separate-stderr "$TNOS" walk --resume "$CKD/bytes2.json" "$W" bytes-src
	run -0 jq -e --argjson b "$want" --argjson n "$(find_list | wc -l)" \
		'.done and .cnt == $n and .cnt_bytes == $b' "$CKD/bytes2.json"
	umount "$W"
}

@test "--report-every with -j2: each record's stack runs from the root to where its thread was" {
	new_tree repj
	# one top directory: the second thread joins it, or one below, from
	# the middle of the first thread's chain
	python3 -c '
import os, sys
for i in range(40):
    d = os.path.join(sys.argv[1], "top", "d%02d" % i, "sub")
    os.makedirs(d)
    for j in range(30):
        open(os.path.join(os.path.dirname(d), "f%02d" % j), "w").close()
        open(os.path.join(d, "g%02d" % j), "w").close()
' "$W"
	run -0 --separate-stderr "$TNOS" walk -j 2 --report-every 7 "$W" repj-src
	[ "$(printf '%s\n' "$output" | LC_ALL=C sort)" = "$(find_list)" ]
	printf '%s\n' "$stderr" | python3 "$TNOS_TESTS/lib/dirstack.py" "$W" 301 1
	umount "$W"
}

@test "a checkpoint that cannot be saved at the end: exit 1 and one line why (the kernel's EISDIR, ENOSPC)" {
	new_tree cksave
	mkdir "$W/a" && : >"$W/a/f"
	mkdir "$CKD/adir"
	run -1 --separate-stderr "$TNOS" walk --checkpoint "$CKD/adir" "$W" cksave-src
	[ "$(printf '%s\n' "$output" | LC_ALL=C sort)" = "$(find_list)" ]
	[ "$stderr" = "tnos walk: --checkpoint $CKD/adir: cannot save it: $(errstr EISDIR)" ]
	# a full filesystem for the file
	mkdir "$TT/ckfull"
	mount -t tmpfs -o size=8k ckfull "$TT/ckfull"
	head -c 8k /dev/zero >"$TT/ckfull/fill" 2>/dev/null || true
	run -1 --separate-stderr "$TNOS" walk --checkpoint "$TT/ckfull/ck.json" "$W" cksave-src
	[ "$stderr" = "tnos walk: --checkpoint $TT/ckfull/ck.json: cannot save it: $(errstr ENOSPC)" ]
	[ ! -e "$TT/ckfull/ck.json" ]
	umount "$TT/ckfull"
	rmdir "$CKD/adir"
}
