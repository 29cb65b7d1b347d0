#!/usr/bin/env bats
# tnos xattr: list, get, set and remove extended attributes under openat2's
# resolve rules.  Oracles: getfattr -h -d -m - -e hex and setfattr (attr),
# python3's os.getxattr/os.setxattr for the kernel's own errno, base64(1),
# jq; on tmpfs and on ext4 (a loop-mounted image made in this namespace).
load helpers

setup_file() {
	tn_setup_tmpfs
	D=$TT/d
	mkdir -p "$D/sub" "$TT/out"
	echo data > "$D/f"
	ln -s f "$D/lnk"
	echo outside > "$TT/out/secret"
	ln -s ../out/secret "$D/esc"
	# ext4 on a loop device, made here (the suite's private namespace)
	truncate -s 8M "$TT/ext4.img"
	mkfs.ext4 -q -F -b 1024 "$TT/ext4.img"
	mkdir "$TT/e4"
	mount -o loop "$TT/ext4.img" "$TT/e4"
	echo e4 > "$TT/e4/f"
	export D
}

teardown_file() {
	umount "$TT/e4" 2>/dev/null || true
	tn_teardown_tmpfs
}

MAP="$BATS_TEST_DIRNAME/lib/xattrmap.py"
# the oracle's view and tnos's, as sorted "NAME_HEX VALUE_HEX" lines
oracle_map() { getfattr --absolute-names -h -d -m - -e hex "$1" | python3 "$MAP" getfattr; }
# getfattr's value of one attribute: gfv FILE NAME [ENC] (-h: no follow)
gfv() { getfattr --absolute-names -h -n "$2" -e "${3:-hex}" "$1" | sed -n 's/^[^=]*=//p'; }
tnos_map() { "$TNOS" xattr list -J "$@" | python3 "$MAP" tnos; }
hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# the kernel's errno name for os.setxattr(PATH, NAME, VALUE), no follow;
# VALUE is hex, or zeros:N for N zero bytes
py_setxattr() {
	python3 - "$@" <<'PY'
import errno, os, sys
try:
    v = sys.argv[3]
    v = bytes(int(v[6:])) if v.startswith("zeros:") else bytes.fromhex(v)
    os.setxattr(sys.argv[1], sys.argv[2], v, follow_symlinks=False)
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}

@test "list shows what getfattr shows, binary values and names with odd bytes included" {
	f=$D/list
	: > "$f"
	setfattr -n user.text -v hello "$f"
	setfattr -n user.bin -v 0x00ff1b5b33316d0a "$f"
	setfattr -n user.empty "$f"
	setfattr -n "$(printf 'user.odd\tname=\001\\')" -v 0x41 "$f"
	setfattr -n "$(printf 'user.notutf8\377')" -v 0x42 "$f"
	setfattr -n trusted.t -v 0sAAEC "$f"
	run -0 oracle_map "$f"
	want=$output
	[ "$(echo "$want" | wc -l)" -eq 6 ]
	run -0 tnos_map "$f"
	[ "$output" = "$want" ]
	# the same on ext4
	f=$TT/e4/f
	setfattr -n user.bin -v 0x00ff00ff "$f"
	setfattr -n trusted.x -v 0x0102 "$f"
	run -0 oracle_map "$f"
	want=$output
	run -0 tnos_map "$f"
	[ "$output" = "$want" ]
}

@test "people see text quoted, binary as base64, and never a raw control byte" {
	f=$D/show
	: > "$f"
	setfattr -n user.a -v hi "$f"
	setfattr -n user.b -v 0x1b5b33316d "$f"
	run -0 --separate-stderr "$TNOS" xattr list -n -r -o NAME,VALUE "$f"
	[ "${lines[0]}" = 'user.a "hi"' ]
	# base64 of the bytes, as getfattr -e base64 gives it
	want=$(gfv "$f" user.b base64)
	[ "${lines[1]}" = "user.b $want" ]
	run -0 "$TNOS" xattr get -e text "$f" user.b
	[[ "$output" != *$'\e'* ]]
	[[ "$output" == *'"\033[31m"'* ]]
	run -0 "$TNOS" xattr get -e hex -o VALUE "$f" user.b
	[ "$output" = "VALUE: $(gfv "$f" user.b hex)" ]
}

@test "JSON: value_b64 always holds the bytes, value the text only when it is UTF-8" {
	f=$D/json
	: > "$f"
	setfattr -n user.u -v 'grüße' "$f"
	setfattr -n user.x -v 0xc328ff "$f"
	run -0 "$TNOS" xattr get -J "$f" user.u
	[ "$(jq -r .value <<<"$output")" = 'grüße' ]
	[ "$(jq -r .value_b64 <<<"$output" | base64 -d | od -An -tx1 | tr -d ' \n')" = \
	  "$(gfv "$f" user.u | sed 's/^0x//')" ]
	[ "$(jq -r .size <<<"$output")" = "$(python3 -c 'import os, sys; print(len(os.getxattr(sys.argv[1], "user.u")))' "$f")" ]
	run -0 "$TNOS" xattr get -J "$f" user.x
	[ "$(jq -r 'has("value")' <<<"$output")" = false ]
	[ "$(jq -r .value_b64 <<<"$output" | base64 -d | od -An -tx1 | tr -d ' \n')" = c328ff ]
	run -0 "$TNOS" xattr list --ndjson "$f"
	[ "$(jq -s 'length' <<<"$output")" -eq 2 ]
	[ "$(jq -s -r '[.[] | has("value_b64")] | all' <<<"$output")" = true ]
}

# the value's bytes as hex, read by python (os.getxattr, no follow)
pyhex() { python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).hex())' "$1" "$2"; }
# pyset FILE NAME LITERAL...: os.setxattr each NAME to its value, a python
# bytes literal, or a str literal for its UTF-8
pyset() {
	python3 - "$@" <<'PY'
import ast, os, sys
f = sys.argv[1]
for name, lit in zip(sys.argv[2::2], sys.argv[3::2]):
    v = ast.literal_eval(lit)
    os.setxattr(f, name, v.encode() if isinstance(v, str) else v, follow_symlinks=False)
PY
}

# $output holds no control byte but the newlines between lines, and is
# valid UTF-8: nothing a terminal would act on
term_safe() {
	printf '%s' "$output" > "$BATS_TEST_TMPDIR/shown"
	! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$BATS_TEST_TMPDIR/shown" || { od -c "$BATS_TEST_TMPDIR/shown"; false; }
	[ "$(tr -d '\000' < "$BATS_TEST_TMPDIR/shown" | wc -c)" = "$(wc -c < "$BATS_TEST_TMPDIR/shown")" ]
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/shown" > /dev/null
}

@test "a text value is quoted as getfattr -e text quotes it: \", \\, newline, CR, NUL, UTF-8, empty" {
	f=$D/quote
	: > "$f"
	pyset "$f" user.q "b'say \"hi\"'" user.bs "b'a\\\\b'" user.both "b'\\\\\"\\\\\\\\\"'" \
		user.nl "b'one\\ntwo\\r\\n'" user.nul "b'a\\0b'" user.utf8 "'grüße ✓'" \
		user.empty "b''" user.sp "b' a  b '"
	[ "$(pyhex "$f" user.both)" = "$(hexof '\"\\"')" ]
	for n in q bs both nl nul utf8 empty sp; do
		want=$(gfv "$f" "user.$n" text)
		run -0 --separate-stderr "$TNOS" xattr get -e text -n -o VALUE "$f" "user.$n"
		[ "$output" = "$want" ] || { echo "user.$n: tnos $output, getfattr $want"; false; }
		# a shell that evals -P gets the same text
		run -0 "$TNOS" xattr get -e text -P -o VALUE "$f" "user.$n"
		eval "$output"
		[ "$VALUE" = "$want" ]
	done
	[ "$(gfv "$f" user.q text)" = '"say \"hi\""' ]
	# the table: the default encoding picks text for all but the values with
	# control bytes, and those are base64 as getfattr -e base64 gives them
	run -0 --separate-stderr "$TNOS" xattr list -n -o NAME,VALUE "$f"
	[ "${#lines[@]}" -eq 8 ]
	for l in "${lines[@]}"; do
		n=${l%% *}
		case $n in user.nl|user.nul) e=base64 ;; *) e=text ;; esac
		[ "$(sed -E 's/^[^ ]+ +//' <<<"$l")" = "$(gfv "$f" "$n" $e)" ] || { echo "$l"; false; }
	done
}

# reads_back FILE NAME TEXT: setfattr -v TEXT gives FILE's NAME byte for byte
reads_back() {
	setfattr -n user.copy -v "$3" "$1"
	[ "$(pyhex "$1" user.copy)" = "$(pyhex "$1" "$2")" ]
}

@test "text: the bytes getfattr leaves raw are \\ooo, none reaches the terminal, and setfattr reads the text back" {
	f=$D/octal
	: > "$f"
	pyset "$f" user.tab "b'a\\tb'" user.esc "b'\\x1b[31mred'" user.del "b'x\\x7f'" \
		user.c1 "'a\\x9bb'" user.high "b'caf\\xe9 \\xff'" user.utf8 "'é✓'" \
		user.mix "b'\"\\\\\\t\\n\\xc3\\xa9\\xc3'" user.cstr "b'abc\\0'" user.sp "b' a  b '"
	OCT=$BATS_TEST_DIRNAME/lib/octal_unsafe.py
	for n in tab esc del c1 high utf8 mix cstr sp; do
		# getfattr's text, each byte a terminal must not get as \ooo; a
		# final NUL, which getfattr drops, shown as \000
		want=$(gfv "$f" "user.$n" text | python3 "$OCT")
		[ "$n" != cstr ] || want=${want%\"}'\000"'
		run -0 --separate-stderr "$TNOS" xattr get -e text -n -o VALUE "$f" "user.$n"
		[ "$output" = "$want" ] || { echo "user.$n: tnos $output, want $want"; false; }
		term_safe
		reads_back "$f" "user.$n" "$output"
		# with -r no space either, and it still reads back
		run -0 --separate-stderr "$TNOS" xattr get -r -e text -n -o VALUE "$f" "user.$n"
		[[ $output != *' '* ]]
		reads_back "$f" "user.$n" "$output"
	done
	# written out by hand, as tnos-xattr(1) describes them
	run -0 "$TNOS" xattr get -e text -n -o VALUE "$f" user.mix
	[ "$output" = '"\"\\\011\012é\303"' ]
	run -0 "$TNOS" xattr get -e text -n -o VALUE "$f" user.c1
	[ "$output" = '"a\302\233b"' ]
	run -0 "$TNOS" xattr get -r -e text -n -o VALUE "$f" user.sp
	[ "$output" = '"\040a\040\040b\040"' ]
	# the table escapes the same way
	run -0 --separate-stderr "$TNOS" xattr list -e text -n -o NAME,VALUE "$f"
	[ "$(sed -n 's/^user\.cstr  *//p' <<<"$output")" = '"abc\000"' ]
	term_safe
}

@test "-J: value and value_b64 are the exact bytes, whatever -e says" {
	f=$D/jexact
	: > "$f"
	pyset "$f" user.q "b'say \"hi\"'" user.bs "b'a\\\\b'" user.nl "b'one\\ntwo\\r'" \
		user.tab "b'a\\tb\\x1b'" user.utf8 "'grüße'" user.empty "b''" \
		user.nul "b'abc\\0'" user.high "b'\\xff\"'"
	for e in auto text hex base64; do
		enc=(-e "$e")
		[ "$e" != auto ] || enc=()
		run -0 --separate-stderr "$TNOS" xattr list -J "${enc[@]}" "$f"
		python3 - "$f" "$output" <<'PY'
import base64, json, os, sys
f, doc = sys.argv[1], json.loads(sys.argv[2])
got = doc["xattrs"]
assert [x["name"] for x in got] == sorted(os.listxattr(f)), got
for x in got:
    v = os.getxattr(f, x["name"])
    assert base64.b64decode(x["value_b64"]) == v, x
    try:
        text = v.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    assert x.get("value") == text, (x, v)
    assert x["size"] == len(v), x
PY
		run -0 --separate-stderr "$TNOS" xattr get -J "${enc[@]}" "$f" user.q
		[ "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["value"])' "$output")" = 'say "hi"' ]
	done
}

@test "set takes text, \"quoted\" text, 0x hex, 0s base64 and --value-file, byte for byte" {
	f=$D/set
	: > "$f"
	"$TNOS" xattr set "$f" user.plain 'a b=c'
	"$TNOS" xattr set "$f" user.quoted '"0xnot hex"'
	"$TNOS" xattr set "$f" user.escaped '"a\012b\"c\\"'
	"$TNOS" xattr set "$f" user.hex 0x00ff7f
	"$TNOS" xattr set "$f" user.b64 0sAP9/YQ
	"$TNOS" xattr set "$f" user.empty ''
	printf 'x\0y\n' > "$TT/vf"
	"$TNOS" xattr set --value-file "$TT/vf" "$f" user.file
	printf 'stdin\377' | "$TNOS" xattr set --value-file - "$f" user.stdin
	# the same values set by setfattr on another file: the oracle
	g=$D/set.oracle
	: > "$g"
	setfattr -n user.plain -v 'a b=c' "$g"
	setfattr -n user.quoted -v '"0xnot hex"' "$g"
	setfattr -n user.escaped -v '"a\012b\"c\\"' "$g"
	setfattr -n user.hex -v 0x00ff7f "$g"
	setfattr -n user.b64 -v 0sAP9/YQ== "$g"
	setfattr -n user.empty "$g"
	setfattr -n user.file -v 0x7800790a "$g"
	setfattr -n user.stdin -v 0x737464696eff "$g"
	run -0 oracle_map "$g"
	want=$output
	run -0 oracle_map "$f"
	[ "$output" = "$want" ]
	# and on ext4
	"$TNOS" xattr set "$TT/e4/f" user.e4 0sAAECAw==
	[ "$(gfv "$TT/e4/f" user.e4 hex)" = 0x00010203 ]
}

@test "a final symlink's own attributes are used, the target's only with --follow" {
	"$TNOS" xattr set "$D/lnk" trusted.onlink 0x01
	[ "$(gfv "$D/lnk" trusted.onlink)" = 0x01 ]
	run ! getfattr -n trusted.onlink "$D/f"
	"$TNOS" xattr set --follow "$D/lnk" trusted.ontarget 0x02
	[ "$(gfv "$D/f" trusted.ontarget hex)" = 0x02 ]
	run ! getfattr -h -n trusted.ontarget "$D/lnk"
	run -0 oracle_map "$D/lnk"
	want=$output
	run -0 tnos_map "$D/lnk"
	[ "$output" = "$want" ]
	run -0 tnos_map --follow "$D/lnk"
	[[ "$output" == *"$(hexof trusted.ontarget) 02"* ]]
	[[ "$output" != *"$(hexof trusted.onlink)"* ]]
	# user.* on a symlink: the kernel says EPERM, and tnos says why
	[ "$(py_setxattr "$D/lnk" user.x 01)" = EPERM ]
	run -1 --separate-stderr "$TNOS" xattr set "$D/lnk" user.x 0x01
	[ -z "$output" ]
	[[ "$stderr" == *"lnk: user.x: user.* attributes can be set only on regular files and directories"* ]]
}

@test "--dir with --resolve: an escape is refused as openat2 refuses it, and nothing is set" {
	run -1 --separate-stderr "$TNOS" xattr set --dir "$D" --resolve beneath --follow esc trusted.x 0x01
	[ -z "$output" ]
	[[ "$stderr" == "tnos xattr: esc: the path escapes the directory"* ]]
	run -1 --separate-stderr "$TNOS" xattr get --dir "$D" --resolve beneath ../out/secret user.x
	[[ "$stderr" == *"the path escapes the directory"* ]]
	run ! getfattr -n trusted.x "$TT/out/secret"
	# without the rule the same relative path is reached
	"$TNOS" xattr set --dir "$D" --follow esc trusted.y 0x05
	[ "$(gfv "$TT/out/secret" trusted.y hex)" = 0x05 ]
	# no-symlinks refuses a symlink on the way, and allows a final one (O_PATH|O_NOFOLLOW)
	run -1 --separate-stderr "$TNOS" xattr list --resolve no-symlinks --follow "$D/lnk"
	[[ "$stderr" == *"a symlink in the path was refused (no-symlinks)"* ]]
	run -0 "$TNOS" xattr list --resolve no-symlinks "$D/lnk"
}

@test "--mount-id: PATH relative to the root of that mount" {
	id=$(findmnt -n -o ID --target "$TT/e4")
	"$TNOS" xattr set --mount-id "$id" f user.bymount byid
	[ "$(gfv "$TT/e4/f" user.bymount text)" = '"byid"' ]
	run -0 "$TNOS" xattr get --mount-id "$(unique_mnt_id "$TT/e4")" -o VALUE f user.bymount
	[ "$output" = 'VALUE: "byid"' ]
	run -2 "$TNOS" xattr get --mount-id "$id" --dir / f user.bymount
}

@test "--create and --replace: XATTR_CREATE and XATTR_REPLACE, the value left as it was on refusal" {
	f=$D/cr
	: > "$f"
	run -1 --separate-stderr "$TNOS" xattr set --replace "$f" user.a 1
	[[ "$stderr" == "tnos xattr: $f: user.a: no such attribute to replace (--replace)" ]]
	run ! getfattr -n user.a "$f"
	"$TNOS" xattr set --create "$f" user.a one
	run -1 --separate-stderr "$TNOS" xattr set --create "$f" user.a two
	[ "$stderr" = "tnos xattr: $f: user.a: the attribute exists (--create)" ]
	[ "$(gfv "$f" user.a text)" = '"one"' ]
	"$TNOS" xattr set --replace "$f" user.a three
	[ "$(gfv "$f" user.a text)" = '"three"' ]
	run -2 "$TNOS" xattr set --create --replace "$f" user.a four
}

@test "remove takes the attribute away; -v prints it as it was" {
	f=$D/rm
	: > "$f"
	setfattr -n user.gone -v bye "$f"
	setfattr -n user.stays -v 0x00 "$f"
	run -0 --separate-stderr "$TNOS" xattr remove "$f" user.gone
	[ -z "$output" ]
	[ -z "$stderr" ]
	run ! getfattr -n user.gone "$f"
	[ "$(gfv "$f" user.stays hex)" = 0x00 ]
	run -0 "$TNOS" xattr remove -J "$f" user.stays
	[ "$(jq -r .value_b64 <<<"$output")" = AA== ]
	run -0 getfattr --absolute-names -d -m - "$f"
	[ -z "$output" ]
	run -1 --separate-stderr "$TNOS" xattr remove "$f" user.stays
	[ "$stderr" = "tnos xattr: $f: user.stays: no such attribute (ENODATA)" ]
	# set -v reads the value back
	run -0 "$TNOS" xattr set -v "$f" user.new 0x41
	[ "${lines[2]}" = 'VALUE: "A"' ]
	[ "$(gfv "$f" user.new text)" = '"A"' ]
}

@test "list --namespace keeps only those namespaces" {
	f=$D/ns
	: > "$f"
	setfattr -n user.u -v 1 "$f"
	setfattr -n trusted.t -v 2 "$f"
	run -0 "$TNOS" xattr list --namespace trusted -n -r -o NAME,NAMESPACE "$f"
	[ "$output" = "trusted.t trusted" ]
	want=$(getfattr --absolute-names -d -m '^user\.' -e hex "$f" | python3 "$MAP" getfattr)
	run -0 tnos_map --namespace user "$f"
	[ "$output" = "$want" ]
	run -2 "$TNOS" xattr list --namespace bogus "$f"
}

@test "errors: a missing attribute, an unknown namespace, a value over the limit, one line each, exit 1" {
	f=$D/err
	: > "$f"
	run -1 --separate-stderr "$TNOS" xattr get "$f" user.none
	[ -z "$output" ]
	[ "$stderr" = "tnos xattr: $f: user.none: no such attribute (ENODATA)" ]
	[[ "$(py_setxattr "$f" bogus.x 01)" == @(EOPNOTSUPP|ENOTSUP) ]]
	run -1 --separate-stderr "$TNOS" xattr set "$f" bogus.x 1
	[ "$stderr" = "tnos xattr: $f: bogus.x: not in a namespace the kernel knows (user, trusted, security, system; EOPNOTSUPP)" ]
	# over the kernel's 64 KiB: E2BIG
	[ "$(py_setxattr "$f" user.big zeros:65537)" = E2BIG ]
	run -1 --separate-stderr "$TNOS" xattr set "$f" user.big "0s$(head -c 65537 /dev/zero | base64 -w0)"
	[[ "$stderr" == "tnos xattr: $f: user.big: a value of 65537 bytes is over the limit (E2BIG"* ]]
	[ "${#lines[@]}" -eq 0 ]
	# over what ext4 (1 KiB blocks) holds: ENOSPC
	mid=$(head -c 3000 /dev/zero | od -An -tx1 -v | tr -d ' \n')
	[ "$(py_setxattr "$TT/e4/f" user.mid zeros:3000)" = ENOSPC ]
	run -1 --separate-stderr "$TNOS" xattr set "$TT/e4/f" user.mid "0x$mid"
	[[ "$stderr" == *"user.mid: a value of 3000 bytes is over the filesystem's limit (ENOSPC"* ]]
	run ! getfattr -n user.mid "$TT/e4/f"
	# --value-file over 64 KiB is refused before the kernel sees it
	head -c 70000 /dev/zero > "$TT/bigfile"
	run -1 --separate-stderr "$TNOS" xattr set --value-file "$TT/bigfile" "$f" user.big
	[[ "$stderr" == *"more than 65536 bytes"* ]]
	# a name over 255 bytes: ERANGE
	long="user.$(printf 'n%.0s' $(seq 260))"
	[ "$(py_setxattr "$f" "$long" 01)" = ERANGE ]
	run -1 --separate-stderr "$TNOS" xattr set "$f" "$long" 1
	[[ "$stderr" == *"the attribute name is 265 bytes, over the kernel's limit of 255 (ERANGE)" ]]
}

@test "trusted.* as an ordinary user: EPERM to set, hidden to read" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	f=$D/sub/pub
	: > "$f"
	chmod 0777 "$D/sub" "$f"
	setfattr -n trusted.t -v 1 "$f"
	# from inside the directory: the bats directories above it are 0700
	cd "$D/sub"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	run -0 as_nobody /usr/bin/python3 -c 'import errno, os, sys
try: os.setxattr(sys.argv[1], "trusted.n", b"1"); print("ok")
except OSError as e: print(errno.errorcode[e.errno])' pub
	[ "$output" = EPERM ]
	run -1 --separate-stderr as_nobody "$TNOS" xattr set pub trusted.n 1
	[ -z "$output" ]
	[ "$stderr" = "tnos xattr: pub: trusted.n: trusted.* attributes need CAP_SYS_ADMIN (EPERM)" ]
	run -1 --separate-stderr as_nobody "$TNOS" xattr get pub trusted.t
	[ "$stderr" = "tnos xattr: pub: trusted.t: no such attribute (ENODATA; trusted.* attributes are hidden from a process without CAP_SYS_ADMIN)" ]
	# and list leaves it out, as getfattr run as that user does
	run -0 as_nobody "$TNOS" xattr list -n -o NAME pub
	[ -z "$output" ]
	run -0 as_nobody getfattr -d -m - pub
	[ -z "$output" ]
	run ! getfattr -n trusted.n "$f"
}

@test "usage errors exit 2 and print nothing on stdout" {
	run -2 --separate-stderr "$TNOS" xattr
	[ -z "$output" ]
	run -2 "$TNOS" xattr frob "$D/f"
	run -2 "$TNOS" xattr get "$D/f"
	run -2 "$TNOS" xattr set "$D/f" user.a
	run -2 "$TNOS" xattr list "$D/f" extra
	run -2 "$TNOS" xattr list --create "$D/f"
	run -2 "$TNOS" xattr get --value-file /dev/null "$D/f" user.a
	run -2 "$TNOS" xattr set --value-file /dev/null "$D/f" user.a value
	run -2 --separate-stderr "$TNOS" xattr set "$D/f" user.a 0x123
	[[ "$stderr" == *"0x: an odd number of hex digits (3)"* ]]
	run -2 --separate-stderr "$TNOS" xattr set "$D/f" user.a 0xzz
	[[ "$stderr" == *"'z' at offset 2 is not a hex digit"* ]]
	run -2 --separate-stderr "$TNOS" xattr set "$D/f" user.a '0sA*=='
	[[ "$stderr" == *"'*' at offset 3 is not a base64 digit"* ]]
	run -2 "$TNOS" xattr get -e octal "$D/f" user.a
	run ! getfattr -n user.a "$D/f"
}

@test "an empty PATH is refused as the kernel refuses it" {
	run -1 --separate-stderr "$TNOS" xattr list ''
	[ "$stderr" = "tnos xattr: '': $(empty_path_err)" ]
}

@test "without /proc the attributes cannot be reached: one line says why" {
	setfattr -n user.p -v 1 "$D/f"
	# (a sanitizer build warns without /proc too, on lines of its own
	# starting "==", and its leak check needs /proc: off here)
	run -1 --separate-stderr env ASAN_OPTIONS=detect_leaks=0 unshare -m --propagation private \
		sh -c 'umount -l /proc && exec "$0" xattr get "$1" user.p' "$TNOS" "$D/f"
	[ -z "$output" ]
	[ "$(grep -v '^==' <<<"$stderr")" = "tnos xattr: $D/f: /proc/self/fd is not there (is /proc mounted?): xattr reaches the opened file through it" ]
	# getfattr, which goes by path, still reads it there: the file is fine
	run -0 unshare -m --propagation private sh -c 'umount -l /proc && getfattr --absolute-names -n user.p --only-values "$0"' "$D/f"
	[ "$output" = 1 ]
}
