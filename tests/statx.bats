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

@test "NAME and PARENT are basename(1)'s and dirname(1)'s, the root's name \"/\" too" {
	cd "$S"
	local p
	for p in / // "$S/reg" "$S/dir/" "$S//dir//" reg dir/ . ..; do
		run -0 --separate-stderr "$TNOS" statx -P -o NAME,PARENT "$p"
		[ "$output" = "NAME=\"$(basename "$p")\" PARENT=\"$(dirname "$p")\"" ] || { echo "$p: $output"; false; }
	done
	# find's %f for the root is "/" as well
	[ "$(find / -maxdepth 0 -printf %f)" = / ]
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

@test "-P: PATH, UID and USER are written PATH_, UID_ and USER_; eval keeps the shell's own" {
	touch "$S/pq"
	run -0 --separate-stderr "$TNOS" statx -P -o PATH,UID,USER,INO "$S/pq"
	[[ $output == 'PATH_="'* ]]
	# bash's UID is read-only: an eval of UID= would fail; PATH= would lose ls
	run -0 bash -c 'eval "$1" && printf "%s|%s|%s|%s|%s" "$PATH_" "$UID_" "$USER_" "$INO" "$UID"; ls / >/dev/null' _ "$output"
	[ "$output" = "$S/pq|$(stat -c '%u|%U|%i' "$S/pq")|$(id -u)" ]
	run -0 dash -c 'eval "$1" && command -v ls >/dev/null && printf "%s" "$PATH_"' _ "$("$TNOS" statx -P -o PATH "$S/pq")"
	[ "$output" = "$S/pq" ]
	rm "$S/pq"
}

@test "-o COLS: one line per file, the cells of stat -c '%n %s %a %A %U %G %F'" {
	load lib/filecols
	D=$S/cols
	mkdir -p "$D"
	names=("sp ace" "$(printf 'nl\nname')" "$(printf 'hi\377\376byte')" 'back\slash' "$(printf 'tab\tx')" "$(printf 'esc\033[31m')")
	for n in "${names[@]}"; do printf 'abc' >"$D/$n"; done
	nouser=$(free_id 4242 1)
	chown "$nouser:$nouser" "$D/sp ace"
	chown 1:1 "$D/back\slash"
	chmod 2750 "$(printf '%s/tab\tx' "$D")"
	paths=("${names[@]/#/$D/}" "$S/reg" "$S/dir" "$S/link" "$S/fifo" "$S/chr" "$S/blk")
	# -r: unaligned, spaces escaped too, so that each line splits on spaces
	run -0 --separate-stderr "$TNOS" statx -r -o PATH,SIZE,MODE,PERMS,USER,GROUP,TYPE "${paths[@]}"
	[ -z "$stderr" ]
	[[ $output != *$'\033'* ]]
	[ "${lines[0]}" = "PATH SIZE MODE PERMS USER GROUP TYPE" ]
	[ "${#lines[@]}" -eq $((${#paths[@]} + 1)) ]
	for i in "${!paths[@]}"; do
		p=${paths[i]}
		read -r -a c <<<"${lines[i + 1]}"
		[ "${#c[@]}" -eq 7 ] || { echo "not 7 cells: ${lines[i + 1]}"; return 1; }
		[ "$(printf '%b' "${c[0]}")" = "$p" ] || { echo "path ${c[0]}"; return 1; }
		read -r s a A u g < <(stat -c '%s %a %A %u %g' -- "$p")
		want="$s $(printf '%04o' $((8#$a))) $A $(id_name passwd "$u") $(id_name group "$g") $(stat_type "$(stat -c %F -- "$p")")"
		[ "${c[*]:1}" = "$want" ] || { echo "$p: '${c[*]:1}' != '$want'"; return 1; }
	done
	# the oracle's own view of the names: stat says them where they exist
	[ "$(stat -c %U "$D/back\slash")" = "$(getent passwd 1 | cut -d: -f1)" ]
	[ "$(stat -c %U "$D/sp ace")" = UNKNOWN ]
	[[ ${lines[1]} == *" $nouser $nouser regular" ]]
	[[ ${lines[5]} == *" 2750 -rwxr-s--- "* ]]
}

@test "-o without -r: aligned, a heading, numbers to the right; -n drops the heading" {
	paths=("$S/reg" "$S/dir" "$S/fifo")
	run -0 --separate-stderr "$TNOS" statx -o SIZE,PATH "${paths[@]}"
	w=4	# the width of SIZE: its heading or its longest value
	for p in "${paths[@]}"; do s=$(stat -c %s "$p"); [ ${#s} -le $w ] || w=${#s}; done
	[ "${lines[0]}" = "$(printf '%-*s %s' $w SIZE PATH)" ]
	for i in "${!paths[@]}"; do
		[ "${lines[i + 1]}" = "$(printf '%*s %s' $w "$(stat -c %s "${paths[i]}")" "${paths[i]}")" ] ||
			{ echo "line $i: '${lines[i + 1]}'"; return 1; }
	done
	run -0 "$TNOS" statx -n -o SIZE,PATH "${paths[@]}"
	[ "${#lines[@]}" -eq 3 ]
	w=0	# now the longest value alone
	for p in "${paths[@]}"; do s=$(stat -c %s "$p"); [ ${#s} -le $w ] || w=${#s}; done
	[ "${lines[0]}" = "$(printf '%*s %s' $w "$(stat -c %s "$S/reg")" "$S/reg")" ]
}

@test "one PATH: -o gives a one-line table; no -o or -o +COL a key: value block; -J one object either way" {
	load lib/filecols
	run -0 "$TNOS" statx -o PATH,SIZE "$S/reg"
	[ "${#lines[@]}" -eq 2 ]
	read -r -a h <<<"${lines[0]}"
	[ "${h[*]}" = "PATH SIZE" ]
	read -r -a c <<<"${lines[1]}"
	[ "${c[*]}" = "$S/reg $(stat -c %s "$S/reg")" ]
	run -0 "$TNOS" statx -n -o SIZE "$S/reg"
	[ "$output" = "$(stat -c %s "$S/reg")" ]
	run -0 "$TNOS" statx -o +USER "$S/reg"
	[[ $output == *$'\nPERMS:'*" $(stat -c %A "$S/reg")"$'\n'* ]]
	[[ $output == *$'\nUSER:'*" $(id_name passwd "$(stat -c %u "$S/reg")")" ]]
	run -0 "$TNOS" statx -J -o PATH,SIZE "$S/reg"
	echo "$output" | jq -e --argjson s "$(stat -c %s "$S/reg")" 'type == "object" and .stx_size == $s and .path == "'"$S/reg"'"'
	# several PATHs without -o: blocks, one empty line between them
	run -0 "$TNOS" statx "$S/reg" "$S/dir"
	[ "$(grep -c '^PATH:' <<<"$output")" -eq 2 ]
	[ "$(grep -c '^$' <<<"$output")" -eq 1 ]
}

@test "--time-style: full-iso as stat -c %y, iso as ls long-iso, epoch as stat -c %.9Y, before 1970 too; JSON unchanged" {
	touch -d '1969-12-31 23:59:58.5 UTC' "$S/old"
	for p in "$S/reg" "$S/old"; do
		export TZ=Asia/Kolkata
		run -0 "$TNOS" statx -n -o MTIME --time-style full-iso "$p"
		[ "$output" = "$(stat -c %y "$p")" ]
		run -0 "$TNOS" statx -n -o MTIME --time-style iso "$p"
		[ "$output" = "$(ls -ld --time-style=long-iso "$p" | awk '{ print $6 " " $7 }')" ]
		run -0 "$TNOS" statx -n -o MTIME --time-style epoch "$p"
		[ "$output" = "$(stat -c %.9Y "$p")" ]
		# the default, and --time-style iso8601: date's ISO 8601 with a dot
		want=$(date --iso-8601=ns -d "@$(stat -c %.9Y "$p")" | tr , .)
		run -0 "$TNOS" statx -n -o MTIME "$p"
		[ "$output" = "$want" ]
		run -0 "$TNOS" statx -n -o MTIME --time-style iso8601 "$p"
		[ "$output" = "$want" ]
		unset TZ
		# -P takes the style; JSON keeps its objects
		eval "$("$TNOS" statx -P -o MTIME,BTIME --time-style epoch "$p")"
		[ "$MTIME" = "$(stat -c %.9Y "$p")" ]
		run -0 "$TNOS" statx -J -o MTIME --time-style full-iso "$p"
		echo "$output" | jq -e --argjson s "$(stat -c %Y "$p")" '.stx_mtime.sec == $s and (.stx_mtime.nsec | type) == "number"'
	done
	[ "$(stat -c %.9Y "$S/old")" = -1.500000000 ]
	rm "$S/old"
}

@test "USER and GROUP: getent's names, the number without one; JSON keys only when asked, absent without a name" {
	load lib/filecols
	D=$S/owners
	mkdir -p "$D"
	# 64k: the same slot of the name cache as root's 0; then its neighbour
	a=$(free_id 64 64)
	b=$(free_id $((a + 64)) 64)
	touch "$D/root" "$D/a" "$D/b" "$D/daemon"
	chown "$a:$a" "$D/a"
	chown "$b:$b" "$D/b"
	chown 1:1 "$D/daemon"
	files=("$D/root" "$D/a" "$D/daemon" "$D/b" "$D/root")
	run -0 "$TNOS" statx -r -n -o USER,GROUP,UID,GID "${files[@]}"
	for i in "${!files[@]}"; do
		read -r u g < <(stat -c '%u %g' "${files[i]}")
		[ "${lines[i]}" = "$(id_name passwd "$u") $(id_name group "$g") $u $g" ] || { echo "${files[i]}: ${lines[i]}"; return 1; }
	done
	run -0 "$TNOS" statx -J -o USER,GROUP "$D/daemon" "$D/a"
	echo "$output" | jq -e --arg u "$(id_name passwd 1)" --arg g "$(id_name group 1)" \
		'.files[0] == {user: $u, group: $g} and .files[1] == {}'
	# not in the default JSON
	run -0 "$TNOS" statx -J "$D/daemon"
	echo "$output" | jq -e 'has("user") or has("group") | not'
	echo "$output" | jq -e '.perms == "'"$(stat -c %A "$D/daemon")"'"'
	rm -r "$D"
}

@test "--time-style: a bad style is a usage error, nothing on stdout" {
	run -2 --separate-stderr "$TNOS" statx --time-style long "$S/reg"
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "tnos statx: --time-style: 'long' is none of iso8601, full-iso, iso, epoch" ]
}
