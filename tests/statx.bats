#!/usr/bin/env bats
# tnos statx: every statx field.  Oracles: stat(1) --format, python3
# os.lstat/os.stat, /proc/PID/fdinfo, /proc/self/mountinfo, a raw statx from
# python ctypes for the unique mount id.
load helpers

setup_file() {
	tn_setup_tmpfs
	S=$TT/s
	mkdir -p "$S/dir"
	printf 'hello world\n' > "$S/reg"
	chown 123:456 "$S/reg"; chmod 4751 "$S/reg"
	touch -d '2001-02-03 04:05:06.123456789' "$S/reg"
	ln -s reg "$S/link"
	mkfifo "$S/fifo"
	mknod "$S/chr" c 1 3
	mknod "$S/blk" b 7 200
	ln "$S/reg" "$S/hard"
	export S
}

teardown_file() { tn_teardown_tmpfs; }

# tnos's record and stat(1)'s agree, field by field
check_stat() {	# PATH [tnos options...]
	local p=$1; shift
	run -0 --separate-stderr "$TNOS" statx -J "$@" "$p"
	local js=$output
	read -r s b i u g h W X Y Z a f t T d < <(stat ${DEREF:+-L} --format '%s %b %i %u %g %h %W %X %Y %Z %a %f %t %T %d' "$p")
	echo "$js" | jq -e --argjson s "$s" --argjson b "$b" --argjson i "$i" --argjson u "$u" \
		--argjson g "$g" --argjson h "$h" --argjson X "$X" --argjson Y "$Y" --argjson Z "$Z" '
		.stx_size == $s and .stx_blocks == $b and .stx_ino == $i and .stx_uid == $u and
		.stx_gid == $g and .stx_nlink == $h and .stx_atime.sec == $X and
		.stx_mtime.sec == $Y and .stx_ctime.sec == $Z' >/dev/null || { echo "$p: $js"; return 1; }
	[ "$(echo "$js" | jq -r '.stx_btime.sec')" = "$W" ] || { echo "btime $p"; return 1; }
	[ "$(printf '%o' "$(echo "$js" | jq .stx_mode)")" = "$(printf '%o' $((0x$f)))" ] || { echo "mode $p"; return 1; }
	[ "$(printf '%o' $(( $(echo "$js" | jq .stx_mode) & 07777 )))" = "$a" ] || { echo "perm $p"; return 1; }
	# %d is the decimal dev_t; python's makedev builds it from our major/minor
	[ "$(python3 -c 'import os,sys; print(os.makedev(int(sys.argv[1]), int(sys.argv[2])))' \
		"$(echo "$js" | jq .stx_dev_major)" "$(echo "$js" | jq .stx_dev_minor)")" = "$d" ] || { echo "dev $p"; return 1; }
	if echo "$js" | jq -e 'has("stx_rdev_major")' >/dev/null; then
		[ "$(printf '%x:%x' "$(echo "$js" | jq .stx_rdev_major)" "$(echo "$js" | jq .stx_rdev_minor)")" = "$t:$T" ] || { echo "rdev $p"; return 1; }
	else
		[ "$t:$T" = 0:0 ] || { echo "rdev missing for $p"; return 1; }
	fi
}

# tnos and python's os.lstat agree (nanoseconds included)
check_py() {	# PATH
	run -0 "$TNOS" statx -J "$1"
	echo "$output" | python3 -c '
import json, os, sys
j = json.load(sys.stdin); st = os.lstat(sys.argv[1])
ns = lambda t: t["sec"] * 10**9 + t["nsec"]
assert j["stx_ino"] == st.st_ino and j["stx_mode"] == st.st_mode and j["stx_nlink"] == st.st_nlink
assert j["stx_size"] == st.st_size and j["stx_blksize"] == st.st_blksize
assert ns(j["stx_mtime"]) == st.st_mtime_ns and ns(j["stx_ctime"]) == st.st_ctime_ns
assert os.makedev(j["stx_dev_major"], j["stx_dev_minor"]) == st.st_dev
if "stx_rdev_major" in j:
    assert os.makedev(j["stx_rdev_major"], j["stx_rdev_minor"]) == st.st_rdev
' "$1"
}

@test "regular, directory, symlink, fifo, char and block devices agree with stat(1)" {
	for f in reg dir link fifo chr blk hard; do
		check_stat "$S/$f"
	done
	DEREF=1 check_stat "$S/link" -L
}

@test "... and with python's os.lstat, nanoseconds included" {
	for f in reg dir link fifo chr blk; do
		check_py "$S/$f"
	done
}

@test "sizes at each count of digits, up to the largest file, are exact in -J" {
	mkdir "$TT/sizes"
	local n
	for n in 9 10 99 100 999999999 1000000000 4294967296 9999999999 10000000000 \
		999999999999999999 1000000000000000000 9223372036854775807; do
		truncate -s "$n" "$TT/sizes/f$n"
	done
	run -0 --separate-stderr "$TNOS" statx -J "$TT/sizes"/f*
	# python's json reads integers exactly (jq would round them to doubles);
	# walk.bats checks the same sizes through walk --ndjson
	python3 -c '
import json, os, sys
d, js = sys.argv[1], sys.argv[2]
files = json.loads(js)["files"]
assert len(files) == 12, len(files)
for r in files:
    name = os.path.basename(r["path"])
    assert r["stx_size"] == os.lstat(os.path.join(d, name)).st_size == int(name[1:]), r
' "$TT/sizes" "$output"
}

@test "types and modes by name; rdev only for devices; people see stat-like values" {
	run -0 "$TNOS" statx -J -o +NAME,PARENT,ISDIR,ISREG,ISLNK "$S/reg" "$S/dir" "$S/link" "$S/fifo" "$S/chr" "$S/blk"
	[ "$(echo "$output" | jq -r '[.files[].type] | join(",")')" = regular,directory,symlink,fifo,char-device,block-device ]
	echo "$output" | jq -e '.files[4] | .stx_rdev_major == 1 and .stx_rdev_minor == 3'
	echo "$output" | jq -e '.files[5] | .stx_rdev_major == 7 and .stx_rdev_minor == 200'
	echo "$output" | jq -e '[.files[0,1,2,3] | has("stx_rdev_major")] == [false,false,false,false]'
	echo "$output" | jq -e '.files[2] | .islnk == true and .isreg == false and .isdir == false and .name == "link" and .parent == "'"$S"'"'
	echo "$output" | jq -e '.files[1] | .isdir == true and .islnk == false'
	# the context columns are not in the default set
	run -0 "$TNOS" statx -J "$S/reg"
	echo "$output" | jq -e 'has("isreg") | not'
	run -0 "$TNOS" statx "$S/reg"
	[[ $output == *"MODE:"*"4751"$'\n'"PERMS:"*"-rwsr-x--x"* ]]
	[[ $output == *"MTIME:"*"2001-02-03T04:05:06.123456789"* ]]
	[[ $output == *"RDEV"* ]] && false
	run -0 "$TNOS" statx "$S/blk"
	[[ $output == *"RDEV:"*"7:200"* ]]
}

@test "-L follows a final symlink; the default shows the link itself" {
	run -0 "$TNOS" statx -J "$S/link"
	echo "$output" | jq -e --argjson s "$(stat -c %s "$S/link")" '.type == "symlink" and .stx_size == $s'
	run -0 "$TNOS" statx -J -L "$S/link"
	echo "$output" | jq -e --argjson i "$(stat -L -c %i "$S/link")" '.type == "regular" and .stx_ino == $i'
	run -0 "$TNOS" statx -J --dereference "$S/link"
	echo "$output" | jq -e '.type == "regular"'
}

@test "a field not in the reply mask is absent, never 0" {
	run -0 "$TNOS" statx -J --mask basic "$S/reg"
	echo "$output" | jq -e 'has("stx_btime") | not'
	echo "$output" | jq -e '.stx_mask | index("btime") | not'
	run -0 "$TNOS" statx -J --mask basic,btime "$S/reg"
	echo "$output" | jq -e --argjson w "$(stat -c %W "$S/reg")" '.stx_btime.sec == $w'
	# only what was asked (plus what the kernel always gives) shows
	run -0 "$TNOS" statx -J --mask size "$S/reg"
	echo "$output" | jq -e --argjson s "$(stat -c %s "$S/reg")" '.stx_size == $s'
	echo "$output" | jq -e 'if (.stx_mask | index("ino")) then has("stx_ino") else (has("stx_ino") | not) end'
	# for people the line is missing too
	run -0 "$TNOS" statx --mask basic "$S/reg"
	[[ $output != *BTIME* ]]
	run -0 "$TNOS" statx --mask all "$S/reg"
	[[ $output == *BTIME* ]]
}

@test "stx_mnt_id: the old id matches /proc/PID/fdinfo and mountinfo, the unique one a raw statx" {
	mkdir -p "$TT/m"
	mount -t tmpfs -o size=1m sxm "$TT/m"
	touch "$TT/m/f"
	exec 8<"$TT/m/f"
	fdinfo=$(awk '/^mnt_id:/ { print $2 }' /proc/$$/fdinfo/8)
	exec 8<&-
	run -0 "$TNOS" statx -J --mask mnt-id "$TT/m/f"
	echo "$output" | jq -e --argjson m "$fdinfo" '.stx_mnt_id == $m and (.stx_mask | index("mnt-id"))'
	[ "$(echo "$output" | jq .stx_mnt_id)" = "$(mi_field "$TT/m" 1)" ]
	run -0 "$TNOS" statx -J "$TT/m/f"
	want=$(python3 -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
buf = ctypes.create_string_buffer(256)
assert libc.syscall(NR["statx"], -100, sys.argv[1].encode(), 0x100, 0x4000, buf) == 0
print(struct.unpack_from("Q", buf.raw, 0x90)[0])' "$TT/m/f")
	echo "$output" | jq -e --argjson m "$want" '.stx_mnt_id == $m and (.stx_mask | index("mnt-id-unique"))'
	# a mount root carries the mount-root attribute; a file inside does not
	run -0 "$TNOS" statx -J -o +ISMOUNT "$TT/m" "$TT/m/f"
	echo "$output" | jq -e '.files[0].stx_attributes | index("mount-root")'
	echo "$output" | jq -e '.files[1].stx_attributes | index("mount-root") | not'
	echo "$output" | jq -e '.files[0].ismount == true and .files[1].ismount == false'
	umount "$TT/m"
}

@test "--dir, --mount-id and --empty-path" {
	run -0 "$TNOS" statx -J --dir "$S" reg
	echo "$output" | jq -e --argjson i "$(stat -c %i "$S/reg")" '.stx_ino == $i'
	run -0 "$TNOS" statx -J --dir "$S/dir" --empty-path
	echo "$output" | jq -e --argjson i "$(stat -c %i "$S/dir")" '.stx_ino == $i and .type == "directory"'
	# --mount-id with the old id from mountinfo: relative to the mount root
	old=$(mi_field "$TT" 1)
	run -0 "$TNOS" statx -J --mount-id "$old" s/reg
	echo "$output" | jq -e --argjson i "$(stat -c %i "$S/reg")" '.stx_ino == $i'
	run -0 "$TNOS" statx -J --mount-id "$old" --empty-path
	echo "$output" | jq -e --argjson i "$(stat -c %i "$TT")" '.stx_ino == $i and .path == "mount '"$old"'"'
	run -2 "$TNOS" statx --empty-path "$S/reg"
	run -2 "$TNOS" statx
}

@test "--sync and --no-automount are accepted and give the same answer on a local fs" {
	for s in as-stat force none; do
		run -0 "$TNOS" statx -J --sync "$s" "$S/reg"
		echo "$output" | jq -e --argjson i "$(stat -c %i "$S/reg")" '.stx_ino == $i'
	done
	run -0 "$TNOS" statx -J --no-automount "$S/reg"
	run -2 --separate-stderr "$TNOS" statx --sync sometimes "$S/reg"
	[[ $stderr == *"--sync"* ]]
	run -2 "$TNOS" statx --sync force,none "$S/reg"
	run -2 "$TNOS" statx --mask bogus "$S/reg"
}

@test "several paths: a named array; a missing one is reported, the rest printed, exit 1" {
	run -1 --separate-stderr "$TNOS" statx -J "$S/reg" "$S/nope" "$S/dir"
	echo "$output" | jq -e '.files | length == 2'
	[ "$stderr" = "tnos statx: $S/nope: No such file or directory" ]
	run -0 "$TNOS" statx --ndjson "$S/reg" "$S/dir"
	[ "$(echo "$output" | jq -s 'length')" = 2 ]
	# one path: one object
	run -0 "$TNOS" statx -J "$S/reg"
	echo "$output" | jq -e 'type == "object" and .path == "'"$S/reg"'"'
	# pairs can be eval'ed
	eval "$("$TNOS" statx -P -o SIZE,INO "$S/reg")"
	[ "$SIZE" = "$(stat -c %s "$S/reg")" ]
	[ "$INO" = "$(stat -c %i "$S/reg")" ]
}

@test "a name that is not UTF-8: escaped for people, exact bytes in JSON (path_b64)" {
	name=$(printf 'bad\377\033[1mname')
	touch "$S/$name"
	run -0 "$TNOS" statx -o PATH "$S/$name"
	[[ $output != *$'\033'* ]]
	[[ $output == *'\xff\x1b[1mname'* ]]
	run -0 "$TNOS" statx -J -o PATH,INO "$S/$name"
	[ "$(echo "$output" | jq -r .path_b64 | base64 -d | od -An -tx1 | tr -d ' \n')" = \
	  "$(printf '%s' "$S/$name" | od -An -tx1 | tr -d ' \n')" ]
	echo "$output" | jq -e --argjson i "$(stat -c %i "$S/$name")" '.stx_ino == $i'
}

@test "an empty PATH is refused by name with the kernel's ENOENT, as stat(1) does; the other paths still go" {
	want=$(empty_path_err)
	run -1 --separate-stderr stat ''
	[ "$stderr" = "stat: cannot statx '': $want" ]
	run -1 --separate-stderr "$TNOS" statx ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos statx: '': $want" ]
	run -1 --separate-stderr "$TNOS" statx -J -o INO "$S/reg" '' "$S/dir"
	[ "$stderr" = "tnos statx: '': $want" ]
	[ "$(echo "$output" | jq -c '[.files[].stx_ino]')" = "[$(stat -c %i "$S/reg"),$(stat -c %i "$S/dir")]" ]
	run -1 --separate-stderr "$TNOS" statx --dir '' reg
	[ "$stderr" = "tnos statx: --dir '': $want" ]
}

@test "key: value lines: an empty value (ATTR, stx_attributes 0) is its key alone, no trailing blank" {
	# the kernel's stx_attributes for the file, through python ctypes statx
	attrs=$(python3 - "$S/reg" <<'PY'
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
buf = ctypes.create_string_buffer(256)
r = libc.syscall(NR["statx"], -100, sys.argv[1].encode(), 0x100, 0xfff, buf)  # AT_SYMLINK_NOFOLLOW, STATX_ALL
assert r == 0, os.strerror(ctypes.get_errno())
print(struct.unpack_from("Q", buf.raw, 8)[0])
PY
)
	[ "$attrs" = 0 ]
	run -0 --separate-stderr "$TNOS" statx "$S/reg"
	[[ $output == *$'\nATTR:\n'* ]]
	! grep -n ' $' <<<"$output" || false
	# and still aligned where there is a value
	[[ $output == *$'\nATTR-MASK: '* ]]
}

@test "-P: a name with \$( ), backquotes and quotes evals back to itself; the shell runs nothing in it" {
	name='p$(touch pwned1)`touch pwned2`"q$HOME'
	touch "$S/$name"
	run -0 --separate-stderr "$TNOS" statx -P -o NAME,INO "$S/$name"
	got=$(cd "$TT" && eval "$output" && printf '%s %s' "$INO" "$NAME")
	[ ! -e "$TT/pwned1" ]
	[ ! -e "$TT/pwned2" ]
	[ "$got" = "$(stat -c %i "$S/$name") $name" ]
	rm "$S/$name"
}
