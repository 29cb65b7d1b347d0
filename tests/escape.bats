#!/usr/bin/env bats
# No byte of a name reaches a terminal raw: the error path of every
# subcommand, fed a name holding ESC, a newline, a carriage return and a byte
# that is not UTF-8, writes only escaped text.  Oracles: grep in the C locale
# for control bytes, iconv for UTF-8, and the escaped form the tables use
# (tnos(1), "Bytes, escaping and JSON"), written out here by hand.
load helpers

N=$'x\e[31mred\nnl\rcr\xff'
E='x\x1b[31mred\x0anl\x0dcr\xff'

setup_file() {
	tn_setup_tmpfs
	mkdir "$TT/$N" "$TT/d" "$TT/d/sub"
	echo data > "$TT/d/f"
	mkdir "$TT/m"
	mount -t tmpfs other "$TT/m"
}

teardown_file() { tn_teardown_tmpfs; }

# Both streams of the last run: no control byte but the newline ending each
# line (no CR, no ESC, no NUL), and valid UTF-8.
clean_bytes() {
	local s f=$BATS_TEST_TMPDIR/stream
	for s in output stderr; do
		printf '%s' "${!s}" > "$f"
		if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$f"; then
			echo "a control byte on $s:"; od -c "$f" | head -20; return 1
		fi
		if [ "$(tr -d '\000' < "$f" | wc -c)" != "$(wc -c < "$f")" ]; then
			echo "a NUL byte on $s"; return 1
		fi
		iconv -f UTF-8 -t UTF-8 "$f" > /dev/null || { echo "not UTF-8 on $s: ${!s}"; return 1; }
	done
}

# clean_bytes, and every stderr line is one message ("tnos CMD: ...") or its
# "Try 'tnos CMD --help'." line: a newline in a name did not split one.
clean() {
	local l
	clean_bytes || return 1
	[ -n "$stderr" ] || return 0
	while IFS= read -r l; do
		[[ $l == "tnos: "* || $l == "tnos "[a-z0-9]*": "* || $l == "Try 'tnos"* ]] ||
			{ echo "a stray line on stderr: $l"; return 1; }
	done <<< "$stderr"
}

# chk STATUS WANT ARGS...: tnos ARGS exits STATUS, both streams are clean,
# and stderr holds WANT (the escaped name: the message still names it).
chk() {
	local want=$1 text=$2
	shift 2
	run "-$want" --separate-stderr "$TNOS" "$@"
	clean || { echo "tnos $*"; return 1; }
	[[ $stderr == *"$text"* ]] || { echo "tnos $*: stderr lacks '$text': $stderr"; return 1; }
}

@test "the escaped form is the one the tables use" {
	run -0 --separate-stderr "$TNOS" statx -n -o PATH "$TT/$N"
	[ "$output" = "$TT/$E" ]
	clean
}

@test "tnos: unknown command and option, help for an unknown command" {
	chk 2 "unknown command '$E'" "$N"
	chk 2 "unknown option '--$E'" "--$N"
	chk 2 "unknown command '$E'" help "$N"
}

@test "every subcommand: an unknown option, long and short" {
	for c in lsmount statmount fsmount setattr move umount rename openat2 statx fhandle walk xattr access; do
		chk 2 "unknown option '--$E'" "$c" "--$N"
		chk 2 "unknown option '-\\x1b'" "$c" $'-\e'
	done
}

@test "every subcommand with columns: a bad -o column" {
	for c in lsmount statmount umount openat2 statx; do
		chk 2 "unknown column 'BAD\\x1b'" "$c" --output $'BAD\e' "$TT/d"
	done
	# the commands that change a mount refuse the column before changing it
	chk 2 "unknown column 'BAD\\x1b'" fsmount --output $'BAD\e' tmpfs "$TT/d"
	chk 2 "unknown column 'BAD\\x1b'" setattr --output $'BAD\e' --set ro "$TT/m"
	chk 2 "unknown column 'BAD\\x1b'" move --output $'BAD\e' "$TT/m" "$TT/d"
	[ -z "$(findmnt -n -o TARGET --mountpoint "$TT/d")" ]
	[ "$(findmnt -n -o VFS-OPTIONS --mountpoint "$TT/m" | cut -d, -f1)" = rw ]
	chk 2 "unknown column 'BAD\\x1b'" lsmount -o $'BAD\e'
	chk 2 "unknown column 'BAD\\x1b'" statx -o $'BAD\e' /
	chk 2 "unknown column 'BAD\\x1b'" fhandle encode -o $'BAD\e' "$TT/d"
	chk 2 "unknown column 'BAD\\x1b'" walk --ndjson -o $'BAD\e' "$TT" tnos-test
	chk 2 "unknown column 'BAD\\x1b'" xattr list -o $'BAD\e' "$TT/d"
	chk 2 "unknown column 'BAD\\x1b'" access -u 0 -g 0 -o $'BAD\e' "$TT/d"
	# rename has no columns: -o is an unknown option there
	chk 2 "unknown option '-o'" rename -o $'BAD\e' a b
}

@test "lsmount: a missing path, bad option values" {
	chk 1 "$TT/$E" lsmount "$TT/$N/none"
	chk 1 "--ns $E" lsmount --ns "$N"
	chk 2 "--after: '$E'" lsmount --after "$N"
	chk 2 "--limit: '$E'" lsmount --limit "$N"
	chk 2 "--batch: '$E'" lsmount --batch "$N"
	chk 1 "123$E: " lsmount "123$N"
}

@test "statmount: a missing path, an id that is not one, bad option values" {
	chk 1 "$TT/$E" statmount "$TT/$N/none"
	chk 2 "'$E'" statmount --mask "$N" /
	chk 1 "--ns $E" statmount --ns "$N" /
}

@test "fsmount: missing and not-a-mount targets, the kernel's own messages" {
	chk 1 "$TT/$E/none: the mount point does not exist" fsmount tmpfs "$TT/$N/none"
	chk 1 "$E: unknown filesystem type" fsmount "$N" "$TT/d"
	# the kernel's fs context names the unknown key: its message is escaped too
	chk 1 "error: tmpfs: Unknown parameter '$E'" fsmount tmpfs -o "$N" "$TT/d"
	chk 1 "$TT/$E: not a mount point" fsmount --reconfigure "$TT/$N" -o size=1m
	chk 1 "$TT/$E/none" fsmount --bind "$TT/$N/none" "$TT/d"
	chk 2 "'$E'" fsmount --attr "$N" tmpfs "$TT/d"
	chk 2 "--set-path $E" fsmount --set-path "$N" tmpfs "$TT/d"
	chk 1 "$TT/$E/none" fsmount --set-fd "k=$TT/$N/none" tmpfs "$TT/d"
	# the command run in a detached mount that cannot be found
	chk 127 "$E: " fsmount --detached tmpfs -- "$N"
	[ "$(findmnt -n -o TARGET --mountpoint "$TT/d")" = "" ]
}

@test "setattr: missing path, not a mount, bad option values" {
	chk 1 "$TT/$E/none" setattr --set ro "$TT/$N/none"
	chk 1 "$TT/$E: not a mount point" setattr --set ro "$TT/$N"
	chk 2 "'$E'" setattr --set "$N" "$TT/m"
	chk 2 "'$E'" setattr --propagation "$N" "$TT/m"
	chk 1 "--dir $TT/$E" setattr --set ro --dir "$TT/$N/none"
	chk 2 "--mount-id: '$E' is not a mount id" setattr --set ro --mount-id "$N"
	chk 1 "--idmap $E" setattr --idmap "$N" "$TT/m"
}

@test "move: missing path, not a mount, bad option values" {
	chk 1 "$TT/$E/none" move "$TT/$N/none" "$TT/d"
	chk 1 "$TT/$E: not a mount point" move "$TT/$N" "$TT/d"
	chk 2 "'$E'" move --flags "$N" "$TT/m" "$TT/d"
	chk 2 "--from-mount-id: '$E' is not a mount id" move --from-mount-id "$N" "$TT/d"
	chk 1 "FROM $TT/$E/none" move --from-empty-path "$TT/$N/none" "$TT/d"
	chk 2 "unexpected '$E'" move "$TT/m" "$TT/d" "$N"
}

@test "umount: missing path, not a mount, bad option values" {
	chk 1 "$TT/$E/none" umount "$TT/$N/none"
	chk 1 "$TT/$E: not a mount point" umount "$TT/$N"
	chk 2 "'$E'" umount --flags "$N" "$TT/m"
	chk 2 "--mount-id: '$E' is not a mount id" umount --mount-id "$N"
	chk 2 "no TARGET ('$E')" umount --mount-id 1 "$N"
	findmnt "$TT/m" > /dev/null
}

@test "rename: missing path, across mounts, bad option values" {
	chk 1 "$TT/$E/none -> $TT/d/x" rename "$TT/$N/none" "$TT/d/x"
	chk 1 "$TT/$E -> $TT/m/x" rename "$TT/$N" "$TT/m/x"
	chk 2 "'$E'" rename --flags "$N" "$TT/d/f" "$TT/d/g"
	chk 1 "--dir $TT/$E/none" rename --dir "$TT/$N/none" a b
	chk 1 "--to-dir $TT/$E/none" rename --to-dir "$TT/$N/none" "$TT/d/f" b
	chk 2 "unexpected '$E'" rename a b "$N"
	[ -d "$TT/$N" ]
	[ -f "$TT/d/f" ]
}

@test "openat2: missing path, a refused resolve, bad option values, --exec" {
	chk 1 "$TT/$E/none" openat2 "$TT/$N/none"
	chk 1 "$TT/$E: the path escapes the directory" openat2 --resolve beneath "$TT/$N"
	chk 1 "m/../$E/../m: the path crosses a mount point" openat2 --dir "$TT" --resolve no-xdev "m/../$N/../m"
	chk 2 "'$E'" openat2 --resolve "$N" /
	chk 2 "'$E'" openat2 --flags "$N" /
	chk 2 "--mode: '$E'" openat2 --mode "$N" --flags creat "$TT/d/new"
	chk 1 "--dir $TT/$E/none" openat2 --dir "$TT/$N/none" f
	chk 2 "'$E' is not a mount id" openat2 --mount-id "$N" f
	chk 127 "--exec $E: " openat2 --exec "$N" \; "$TT/d/f"
}

@test "statx: missing path, bad option values" {
	chk 1 "$TT/$E/none" statx "$TT/$N/none"
	chk 1 "$TT/$E/none" statx "$TT/d/f" "$TT/$N/none"
	chk 2 "'$E'" statx --mask "$N" /
	chk 2 "'$E'" statx --sync "$N" /
	chk 1 "--dir $TT/$E/none" statx --dir "$TT/$N/none" f
	chk 2 "'$E' is not a mount id" statx --mount-id "$N" f
	chk 2 "--time-style: '$E'" statx --time-style "$N" /
}

@test "fhandle: encode, decode and open of bad names and handles" {
	chk 1 "$TT/$E/none" fhandle encode "$TT/$N/none"
	chk 1 "--dir $TT/$E/none" fhandle encode --dir "$TT/$N/none" f
	chk 2 "handle $E" fhandle decode "$N"
	chk 2 "handle 1:$E" fhandle decode "1:$N"
	chk 2 "handle $E" fhandle open "$N"
	chk 2 "'$E' is not a mount id" fhandle open --mount-id "$N" 1:00
	chk 2 "unknown action '$E'" fhandle "$N"
	chk 2 "'$E'" fhandle open --flags "$N" 1:00
}

@test "xattr: missing path, bad names and values, bad option values" {
	chk 1 "$TT/$E/none" xattr list "$TT/$N/none"
	chk 1 "$TT/$E: user.$E: no such attribute" xattr get "$TT/$N" "user.$N"
	chk 1 "f: $E.x: not in a namespace" xattr set --dir "$TT/d" f "$N.x" 1
	chk 1 "$TT/$E: the path escapes the directory" xattr list --resolve beneath "$TT/$N"
	chk 2 "'$E'" xattr list --resolve "$N" /
	chk 2 "'$E'" xattr list --namespace "$N" /
	chk 2 "--encoding: '$E'" xattr list -e "$N" /
	chk 2 "unknown action '$E'" xattr "$N" /
	chk 2 "0x: '\\x1b' at offset 2" xattr set "$TT/d/f" user.a $'0x\e1'
	chk 1 "--value-file $TT/$E/none" xattr set --value-file "$TT/$N/none" "$TT/d/f" user.a
	chk 1 "--dir $TT/$E/none" xattr list --dir "$TT/$N/none" f
	chk 2 "'$E' is not a mount id" xattr list --mount-id "$N" f
	# a listed name and value with those bytes: escaped in the table, the
	# value in the \ooo form of a quoted value (tnos-xattr(1))
	setfattr -n "user.$N" -v "$N" "$TT/d/f"
	run -0 --separate-stderr "$TNOS" xattr list -e text "$TT/d/f"
	clean_bytes
	[[ $output == *"user.$E"*'"x\033[31mred\012nl\015cr\377"'* ]]
}

@test "access: bad users, groups and modes; a missing path in the table" {
	chk 2 "--user: no user '$E'" access -u "$N" "$TT/d"
	chk 2 "--group: no group '$E'" access -u 0 -g "$N" "$TT/d"
	chk 2 "--groups: no group '$E'" access -u 0 -g 0 --groups "0,$N" "$TT/d"
	chk 2 "'$E'" access -u 0 -g 0 --mode "$N" "$TT/d"
	chk 1 "--dir $TT/$E/none" access -u 0 -g 0 --dir "$TT/$N/none" f
	run -1 --separate-stderr "$TNOS" access -u 0 -g 0 "$TT/$N/none"
	clean_bytes
	[[ $output == *"$TT/$E/none"* ]]
}

@test "walk: missing root, wrong FSNAME, bad option values, --exec" {
	chk 1 "$TT/$E/none" walk "$TT/$N/none" tnos-test
	chk 1 "'tnos-test', not '$E'" walk "$TT" "$N"
	chk 1 "$TT/$E:" walk "$TT/$N" "$N"
	chk 1 "--relative $E/none" walk --relative "$N/none" "$TT" tnos-test
	chk 2 "--relative /$E" walk --relative "/$N" "$TT" tnos-test
	chk 2 "--jobs: '$E'" walk --jobs="$N" "$TT" tnos-test
	chk 2 "--resume-token: '$E'" walk --resume-token "$N" "$TT" tnos-test
	chk 2 "--btime-cutoff: '$E'" walk --btime-cutoff "$N" "$TT" tnos-test
	chk 2 "'$E'" walk --open-flags "$N" "$TT" tnos-test
	chk 2 "--time-style: '$E'" walk -o PATH --time-style "$N" "$TT" tnos-test
	# the exec child's own message (written after fork, by one write(2))
	chk 1 "--exec $E: " walk --exec "$N" \; "$TT/d" tnos-test
	[[ $stderr == *"tnos walk: --exec $E: $(python3 -c 'import os; print(os.strerror(2))')"* ]]
}

@test "walk: paths on stdout, --stats and --report-every on stderr: escaped and valid JSON" {
	local del=$'del\x7f-c1\xc2\x9b'
	mkdir "$TT/w"
	mount -t tmpfs walkfs "$TT/w"
	mkdir -p "$TT/w/$N/$del"
	touch "$TT/w/$N/$del/f"
	run -0 --separate-stderr "$TNOS" walk --stats --report-every 1 "$TT/w" walkfs
	clean_bytes
	[[ $output == *"$TT/w/$E/del\\x7f-c1\\xc2\\x9b/f"* ]]
	# each stderr line is JSON that gives the bytes back
	while IFS= read -r l; do
		echo "$l" | jq -e . > /dev/null
	done <<< "$stderr"
	want=$(printf '%s' "$TT/w/$N/$del" | base64 -w0)
	echo "$stderr" | jq -r '.current_directory_b64 // empty' | grep -qx -- "$want"
	umount "$TT/w"
}

@test "-J and --ndjson: bytes that are not UTF-8 become U+FFFD (as python decodes them), and KEY_b64 holds the exact bytes" {
	local n=$'lat\xe9n\x80x\xc3'
	touch "$TT/d/$n"
	want=$(printf '%s' "$TT/d/$n" | od -An -tx1)
	text=$(python3 -c 'import sys; sys.stdout.write(sys.argv[1].encode("utf-8", "surrogateescape").decode("utf-8", "replace"))' "$TT/d/$n")
	for fmt in -J --ndjson; do
		run -0 --separate-stderr "$TNOS" statx "$fmt" -o PATH "$TT/d/$n"
		clean_bytes
		[ "$(printf '%s' "$output" | jq -j .path)" = "$text" ]
		[ "$(printf '%s' "$output" | jq -j .path_b64 | base64 -d | od -An -tx1)" = "$want" ]
	done
	rm "$TT/d/$n"
}

@test "-J and --ndjson: control bytes and DEL in a name are escaped; jq gives the exact name back" {
	local n=$'c\x01\x08\x0c\t\x7f"q\\\xc3\xa9'
	touch "$TT/d/$n"
	want=$(printf '%s' "$TT/d/$n" | od -An -tx1)
	for fmt in -J --ndjson; do
		run -0 --separate-stderr "$TNOS" statx "$fmt" "$TT/d/$n"
		clean_bytes
		[ "$(printf '%s' "$output" | jq -j .path | od -An -tx1)" = "$want" ]
	done
	# rows of a list (-J indents them inside {"files": [...]})
	run -0 --separate-stderr "$TNOS" statx -J "$TT/d/f" "$TT/d/$n"
	clean_bytes
	[ "$(printf '%s' "$output" | jq -j '.files[1].path' | od -An -tx1)" = "$want" ]
	rm "$TT/d/$n"
}
