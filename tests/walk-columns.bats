#!/usr/bin/env bats
# tnos walk -o COLS: one line per entry, streamed.  Oracles: find -printf,
# stat(1), getent, date(1), jq, xargs -0.
load helpers
load lib/filecols

setup_file() {
	tn_setup_tmpfs
	R=$TT/tree
	mkdir -p "$R"
	mount -t tmpfs cols-src "$R"
	cd "$R"
	mkdir -p 'sp ace' "$(printf 'nl\nname')" sub/deeper
	echo x >'sp ace/file with spaces'
	printf 'y' >"$(printf 'nl\nname')/$(printf 'esc\033[31mred')"
	printf 'zz' >"$(printf 'bad\377\376utf8')"
	printf 'w' >'back\slash'
	printf 'v' >"$(printf 'tab\there')"
	head -c 1000 /dev/zero >sub/deeper/big
	echo s >setuid && chmod 4755 setuid
	echo t >sticky-ish && chmod 1777 sticky-ish
	mkfifo fifo
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
	mknod null c 1 3
	ln -s sub link
	touch -d '1969-12-31 23:59:58.5 UTC' old
	# owners: one with a name, two without (in the same slot of the name
	# cache as root and as each other)
	NOA=$(free_id 64 64)
	NOB=$(free_id $((NOA + 64)) 64)
	chown 1:1 sub
	chown "$NOA:$NOA" 'back\slash'
	chown "$NOB:$NOB" "$(printf 'tab\there')"
	cd /
	export R NOA NOB
}

teardown_file() { tn_teardown_tmpfs; }

# A stream of NUL-ended cells, NCOLS per entry, as sorted records, one per
# line, the cells joined by '|' and shown by repr (so newlines and bytes
# compare exactly); find's %m and %y put in MODE's and TYPE's forms.
records() {	# NCOLS [find]
	python3 -c '
import sys
n, find = int(sys.argv[1]), len(sys.argv) > 2
cells = sys.stdin.buffer.read().split(b"\0")
assert cells[-1] == b"", cells[-1]
cells = cells[:-1]
assert len(cells) % n == 0, len(cells)
types = {b"f": b"regular", b"d": b"directory", b"l": b"symlink", b"c": b"char-device",
         b"b": b"block-device", b"p": b"fifo", b"s": b"socket"}
recs = []
for i in range(0, len(cells), n):
    r = cells[i:i + n]
    if find:
        r = [(b"%04o" % int(c[1:], 8)) if c[:1] == b"m" else types[c[1:]] if c[:1] == b"y" else c[1:]
             for c in r]
    recs.append(repr(b"|".join(r)))
print("\n".join(sorted(recs)))
' "$@"
}

# tnos walk's -o lines (heading first) as NUL-ended cells, each cell turned
# back into its bytes by printf %b, as tnos-walk(1) says.
unescape_lines() {	# NCOLS
	local line first=1 c
	while IFS= read -r line; do
		if [ $first = 1 ]; then first=0; continue; fi
		read -r -a c <<<"$line"
		[ "${#c[@]}" -eq "$1" ] || { echo "not $1 cells: $line" >&2; return 1; }
		for x in "${c[@]}"; do printf '%b\0' "$x"; done
	done
}

FIND_SEL=(-xdev -mindepth 1 ! -type l)

@test "-o PATH,SIZE,MODE,PERMS,USER,GROUP,TYPE: the entries of find -printf '%p %s %m %M %u %g %y'" {
	cols=PATH,SIZE,MODE,PERMS,USER,GROUP,TYPE
	want=$(find "$R" "${FIND_SEL[@]}" -printf '_%p\0_%s\0m%m\0_%M\0_%u\0_%g\0y%y\0' | records 7 find)
	[ "$(echo "$want" | wc -l)" -ge 15 ]
	for j in 1 2; do
		run -0 --separate-stderr "$TNOS" walk -j $j -o $cols "$R" cols-src
		[ -z "$stderr" ]
		[ "${lines[0]}" = "PATH SIZE MODE PERMS USER GROUP TYPE" ]
		[[ $output != *$'\033'* ]]
		got=$(printf '%s\n' "$output" | unescape_lines 7 | records 7)
		[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	done
	# what the oracle said, for the owners and modes that matter here
	[[ $want == *"4755|-rwsr-xr-x|root|root|regular'"* ]]
	[[ $want == *"|$NOA|$NOA|regular'"* ]]
	[[ $want == *"|$(id_name passwd 1)|$(id_name group 1)|directory'"* ]]
}

@test "-o: one line per entry, so every line has its cells; -n drops the heading; -r changes nothing" {
	n=$(find "$R" "${FIND_SEL[@]}" -printf x | wc -c)
	run -0 "$TNOS" walk -o NAME,SIZE "$R" cols-src
	[ "${#lines[@]}" -eq $((n + 1)) ]
	[ "${lines[0]}" = "NAME SIZE" ]
	for l in "${lines[@]}"; do
		read -r -a c <<<"$l"
		[ "${#c[@]}" -eq 2 ] || { echo "$l"; return 1; }
	done
	[[ $output == *$'\nsp\\x20ace 60\n'* ]] || [[ $output == *$'\nsp\\x20ace '[0-9]* ]]
	heading=$output
	run -0 "$TNOS" walk -r -o NAME,SIZE "$R" cols-src
	[ "$output" = "$heading" ]
	run -0 "$TNOS" walk -n -o NAME,SIZE "$R" cols-src
	[ "${#lines[@]}" -eq "$n" ]
	[[ $output != NAME* ]]
	# with threads the heading is still the first line, written before any entry
	for k in 1 2 3; do
		"$TNOS" walk -j 3 -o PATH "$R" cols-src >"$BATS_TEST_TMPDIR/out"
		[ "$(head -n 1 "$BATS_TEST_TMPDIR/out")" = PATH ]
		[ "$(grep -c '^PATH$' "$BATS_TEST_TMPDIR/out")" -eq 1 ]
	done
}

@test "-0 -o: each cell raw and NUL-ended, no heading: xargs -0 -n NCOLS gets one entry per run" {
	want=$(find "$R" "${FIND_SEL[@]}" -printf '_%p\0_%s\0_%u\0_%g\0' | records 4 find)
	run -0 bash -c '"$TNOS" walk -0 -o PATH,SIZE,USER,GROUP "$1" cols-src | od -An -c' _ "$R"
	[[ $output != *PATH* ]]
	got=$("$TNOS" walk -0 -o PATH,SIZE,USER,GROUP "$R" cols-src | records 4)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	got=$("$TNOS" walk -j 2 -0 -o PATH,SIZE,USER,GROUP "$R" cols-src | records 4)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	n=$(find "$R" "${FIND_SEL[@]}" -printf x | wc -c)
	runs=$("$TNOS" walk -0 -o PATH,SIZE,USER,GROUP "$R" cols-src |
		xargs -0 -n 4 sh -c '[ -e "$1" ] && [ "$(stat -c %s "$1")" = "$2" ] && echo ok' sh | grep -c '^ok$')
	[ "$runs" -eq "$n" ]
}

@test "a cell with no value is '-': RDEV of a regular file; of a device as stat shows it" {
	run -0 "$TNOS" walk -n -o NAME,RDEV "$R" cols-src
	[[ $output == *$'\n'"null $(stat -c '%Hr:%Lr' "$R/null")"$'\n'* || $output == *$'\n'"null $(stat -c '%Hr:%Lr' "$R/null")" ]]
	[[ $output == *$'\n'"setuid -"* ]]
	[ "$(grep -c ' -$' <<<"$output")" -eq $(($(find "$R" "${FIND_SEL[@]}" ! -type c -printf x | wc -c))) ]
}

@test "--time-style: epoch as stat -c %.9Y (before 1970 too), full-iso as stat -c %y; the default ISO 8601 as date" {
	run -0 "$TNOS" walk -n -o PATH,MTIME --time-style epoch "$R" cols-src
	[[ $output == *"$R/old -1.500000000"* ]]
	for l in "${lines[@]}"; do
		read -r p t <<<"$l"
		p=$(printf '%b' "$p")
		[ "$t" = "$(stat -c %.9Y -- "$p")" ] || { echo "$p: $t"; return 1; }
	done
	run -0 env TZ=Asia/Kolkata "$TNOS" walk -n -o MTIME,PATH --time-style full-iso --relative sub "$R" cols-src
	[ "${lines[0]}" = "$(TZ=Asia/Kolkata stat -c %y "$R/sub/deeper" | sed 's/ /\\x20/g') $R/sub/deeper" ]
	run -0 env TZ=Asia/Kolkata "$TNOS" walk -n -o MTIME --relative sub/deeper "$R" cols-src
	[ "$output" = "$(TZ=Asia/Kolkata date --iso-8601=ns -d "@$(stat -c %.9Y "$R/sub/deeper/big")" | tr , .)" ]
	# JSON keeps {sec, nsec}
	run -0 "$TNOS" walk --ndjson -o PATH,MTIME --time-style epoch --relative sub/deeper "$R" cols-src
	echo "$output" | jq -e --argjson s "$(stat -c %Y "$R/sub/deeper/big")" '.stx_mtime.sec == $s'
}

@test "--time-style: each entry's own second, across a change to summer time and in zones off the hour (stat, date, ls)" {
	T=$TT/times
	mkdir -p "$T"
	mount -t tmpfs times-src "$T"
	# 06:59:59 and 07:00:00 UTC are either side of New York's change to
	# summer time, 05:59:59 and 06:00:00 of its change back; seconds 4
	# apart, and one instant a nanosecond later, come in between
	n=0
	for t in '2026-03-08 06:59:59.25' '2026-03-08 07:00:00.5' '2026-03-08 07:00:03.123456789' \
		'2026-03-08 06:59:55.125' '2026-03-08 07:00:00.000000001' '2026-11-01 05:59:59' \
		'2026-11-01 06:00:00' '2026-11-01 05:59:59.999999999' '1969-07-20 20:17:40'; do
		touch -d "$t UTC" "$T/f$n"
		n=$((n + 1))
	done
	for tz in America/New_York Asia/Kathmandu America/St_Johns UTC; do
		for style in full-iso iso8601 iso epoch; do
			run -0 env TZ=$tz "$TNOS" walk -n -o PATH,MTIME --time-style $style "$T" times-src
			[ "${#lines[@]}" -eq "$n" ]
			for l in "${lines[@]}"; do
				read -r p t <<<"$l"
				t=$(printf '%b' "$t")
				case $style in
				full-iso) want=$(TZ=$tz stat -c %y "$p") ;;
				iso8601) want=$(TZ=$tz date --iso-8601=ns -d "@$(stat -c %.9Y "$p")" | tr , .) ;;
				iso) want=$(TZ=$tz ls -ld --time-style=long-iso "$p" | awk '{ print $6 " " $7 }') ;;
				epoch) want=$(stat -c %.9Y "$p") ;;
				esac
				[ "$t" = "$want" ] || { echo "$tz $style $p: '$t', not '$want'"; return 1; }
			done
		done
	done
	umount "$T"
}

@test "--ndjson -o +USER,GROUP: getent's names; absent for an id without one; not in the default keys" {
	run -0 "$TNOS" walk --ndjson -o PATH,USER,GROUP,UID "$R" cols-src
	echo "$output" | jq -se --arg u "$(id_name passwd 1)" --arg g "$(id_name group 1)" --arg r "$R" '
		(map(select(.path == ($r + "/sub")))[0] | .user == $u and .group == $g) and
		(map(select(.path == ($r + "/back\\slash")))[0] | has("user") or has("group") | not) and
		(map(select(.stx_uid == 0)) | all(.user == "root"))'
	run -0 "$TNOS" walk --ndjson "$R" cols-src
	echo "$output" | jq -se 'map(has("user") or has("group") or has("perms")) | any | not'
}

@test "--time-style: a bad style is a usage error, nothing on stdout" {
	run -2 --separate-stderr "$TNOS" walk -o PATH --time-style 'full iso' "$R" cols-src
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "tnos walk: --time-style: 'full iso' is none of iso8601, full-iso, iso, epoch" ]
}

@test "JSON keys come in the order -o names the columns (jq keys_unsorted), values as stat(1) shows them" {
	run -0 "$TNOS" walk --ndjson -o SIZE,MTIME,INO,PATH --relative sub/deeper "$R" cols-src
	[ "$(echo "$output" | jq -c keys_unsorted)" = '["stx_size","stx_mtime","stx_ino","path"]' ]
	read -r s y i < <(stat -c '%s %Y %i' "$R/sub/deeper/big")
	echo "$output" | jq -e --argjson s "$s" --argjson y "$y" --argjson i "$i" --arg p "$R/sub/deeper/big" \
		'.stx_size == $s and .stx_mtime.sec == $y and .stx_ino == $i and .path == $p'
	# statx alike, with its context columns among the others
	run -0 "$TNOS" statx -J -o NLINK,NAME,ISDIR,SIZE,PATH "$R/sub/deeper/big"
	[ "$(echo "$output" | jq -c keys_unsorted)" = '["stx_nlink","name","isdir","stx_size","path"]' ]
	echo "$output" | jq -e --argjson s "$s" --arg p "$R/sub/deeper/big" \
		'.stx_size == $s and .path == $p and .name == "big" and .isdir == false and .stx_nlink == 1'
}

@test "--ndjson: a member repeats the row before only when its value does: parents, names, owners and times of find -printf" {
	D=$TT/repeat
	mkdir "$D"
	mount -t tmpfs cols-rep "$D"
	# parents of one length that differ in one byte, the same names in
	# each, owners and times that change from one entry to the next
	mkdir "$D/aa" "$D/ab" "$D/ab/aa"
	for d in aa ab ab/aa; do
		for f in f1 f2 f3; do
			echo "$d$f" >"$D/$d/$f"
		done
	done
	# a device among them: one member more (RDEV) in its row only
	mknod "$D/ab/null" c 1 3
	chown 1:2 "$D/aa/f2" "$D/ab/f1"
	chown 2:1 "$D/ab/f2"
	touch -d @1000000000.5 "$D/aa/f1" "$D/ab/f3"
	touch -d @1000000001 "$D/ab/aa/f2"
	run -0 "$TNOS" walk --ndjson "$D" cols-rep
	got=$(echo "$output" | jq -r '"\(.parent)/\(.name) \(.stx_uid) \(.stx_gid) \(.stx_size) \(.stx_mtime.sec).\("00000000\(.stx_mtime.nsec)"[-9:]) \(.type)"' | sort)
	want=$(find "$D" -xdev -mindepth 1 -printf '%h/%f %U %G %s %T@ %Y\n' |
		sed 's/ d$/ directory/; s/ f$/ regular/; s/ c$/ char-device/' |
		sed -E 's/ ([0-9]+\.[0-9]{9})[0-9]* / \1 /' | sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	[ "$(echo "$output" | jq -r 'select(.name == "null") | "\(.stx_rdev_major) \(.stx_rdev_minor)"')" = "$(stat -c '%Hr %Lr' "$D/ab/null")" ]
	[ "$(echo "$output" | jq -s 'map(select(has("stx_rdev_major"))) | length')" = 1 ]
	# with the names too: each one getent's, in every row
	run -0 "$TNOS" walk --ndjson -o PARENT,NAME,USER,GROUP "$D" cols-rep
	got=$(echo "$output" | jq -r '"\(.parent)/\(.name) \(.user) \(.group)"' | sort)
	want=$(find "$D" -xdev -mindepth 1 -printf '%h/%f %u %g\n' | sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	# two neighbours whose owner differs from the entry before in no
	# member's length, and then repeats (whichever way readdir goes)
	mkdir "$D/same"
	touch "$D/same/g1" "$D/same/g2" "$D/same/g3" "$D/same/g4"
	chown 3:3 "$D/same/g2" "$D/same/g3"
	run -0 "$TNOS" walk --ndjson -o PARENT,NAME,UID,GID "$D/same" cols-rep
	got=$(echo "$output" | jq -r '"\(.parent)/\(.name) \(.stx_uid) \(.stx_gid)"' | sort)
	want=$(find "$D/same" -xdev -mindepth 1 -printf '%h/%f %U %G\n' | sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	umount "$D"
}
