#!/usr/bin/env bats
# Completions that really complete: the bash function is run on prepared
# COMP_WORDS/COMP_CWORD (split the way bash splits them, at "=" and ":"),
# and what it offers is compared with /proc/filesystems, findmnt,
# /proc/self/mountinfo, statx(2) through python, the parser itself, and
# --list-columns.  zsh and fish: their own syntax checks, then their
# scripts run on a command line.
load helpers

setup_file() {
	tn_setup_tmpfs
	mkdir "$TT/a b" "$TT/sub"
	mount -t tmpfs tnos-sp "$TT/a b"
	mount -t tmpfs tnos-sub "$TT/sub"
	mkdir "$TT/w src" "$TT/plain"
	mount -t tmpfs "tnos sp src" "$TT/w src"
	# a directory of links named after the subcommands, and tnos on PATH
	BIN=$BATS_FILE_TMPDIR/bin
	mkdir -p "$BIN"
	ln -sf "$TNOS" "$BIN/tnos"
	for c in $("$TNOS" __options); do ln -sf "$TNOS" "$BIN/$c"; done
	export BIN
}

teardown_file() { tn_teardown_tmpfs; }

setup() {
	PATH=$BIN:$PATH
	source "$BATS_TEST_DIRNAME/../completions/tnos.bash"
}

# comp WORD...: complete the last word; sets REPLY_LIST (one a line, sorted)
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_tnos
	REPLY_LIST=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u)
}

@test "bash: subcommands, alone and by prefix" {
	comp tnos ""
	[ "$REPLY_LIST" = "$("$TNOS" __options | sort -u)" ]
	comp tnos lsm
	[ "$REPLY_LIST" = lsmount ]
	comp tnos statm
	[ "$REPLY_LIST" = statmount ]
}

@test "bash: options by prefix, through tnos and through each subcommand link" {
	comp tnos statmount --ma
	[ "$REPLY_LIST" = --mask ]
	comp tnos lsmount --li
	[ "$REPLY_LIST" = "--limit
--list
--list-columns" ]
	for c in $("$TNOS" __options); do
		want=$("$TNOS" __options "$c" | sort -u)
		comp "$c" --
		[ "$REPLY_LIST" = "$want" ] || { echo "link $c: '$REPLY_LIST'"; false; }
		comp "$BIN/$c" --
		[ "$REPLY_LIST" = "$want" ] || { echo "link $BIN/$c: '$REPLY_LIST'"; false; }
	done
}

@test "bash: column names after -o/--output, in a comma list, with + and after '='" {
	for c in $("$TNOS" __options); do
		"$TNOS" "$c" --list-columns >/dev/null 2>&1 || continue
		want=$("$TNOS" "$c" --list-columns -J | jq -r '.columns[].name' | sort -u)
		[ -n "$want" ]
		# --output everywhere (in fsmount, -o is the filesystem options)
		comp tnos "$c" --output ""
		[ "$REPLY_LIST" = "$want" ] || { echo "$c --output: '$REPLY_LIST' != '$want'"; false; }
	done
	# each candidate is a column the commands take
	comp tnos lsmount -o ""
	watchcols=$("$TNOS" lsmount --list-columns -J |
		jq -r '.columns[] | select(.description | startswith("--watch:")) | .name')
	[ -n "$watchcols" ]
	for col in $REPLY_LIST; do
		if grep -qx -- "$col" <<<"$watchcols"; then
			# the event's columns: a watch's (that ends at once)
			run -0 --separate-stderr "$TNOS" lsmount --watch --until detach "$TT/unmounted" -o "$col"
			continue
		fi
		run -0 --separate-stderr "$TNOS" lsmount -o "$col" -l "$TT"
		run -0 --separate-stderr "$TNOS" statmount -o "$col" -J "$TT"
	done
	want=$REPLY_LIST
	comp tnos lsmount -o TAR
	[ "$REPLY_LIST" = TARGET ]
	comp tnos lsmount -o TARGET,SOU
	[ "$REPLY_LIST" = TARGET,SOURCE ]
	comp tnos lsmount -o +FST
	[ "$REPLY_LIST" = +FSTYPE ]
	# bash splits "--output=TA" into "--output" "=" "TA"
	comp tnos lsmount --output = TA
	[ "$REPLY_LIST" = TARGET ]
	comp tnos lsmount --output =
	[ "$REPLY_LIST" = "$want" ]
	# and "MAJ:M" into "MAJ" ":" "M": bash replaces only the "M"
	comp tnos lsmount -o MAJ : M
	[ "$REPLY_LIST" = MIN ]
	comp tnos lsmount -o TARGET,MAJ :
	[ "$REPLY_LIST" = MIN ]
}

@test "bash: statmount --mask names, in a comma list and after '='; each one parses" {
	comp tnos statmount --mask ""
	[ -n "$REPLY_LIST" ]
	# the same names --help lists for --mask
	help=$("$TNOS" statmount --help | sed -n '/--mask/,/)$/p' | sed 1d | tr -d '()' | tr -s ' \n' '\n' | sed '/^$/d' | sort -u)
	[ "$REPLY_LIST" = "$help" ]
	for m in $REPLY_LIST; do
		run --separate-stderr "$TNOS" statmount --mask "$m" -J /
		[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { echo "--mask $m: $status $stderr"; false; }
	done
	comp tnos statmount --mask sb-basic,mnt-ba
	[ "$REPLY_LIST" = sb-basic,mnt-basic ]
	comp tnos statmount --mask = sb-b
	[ "$REPLY_LIST" = sb-basic ]
	# a name already in the list is not offered again
	comp tnos statmount --mask sb-basic,mnt-basic,
	n=$(wc -l <<<"$help")
	[ "$(wc -l <<<"$REPLY_LIST")" -eq $((n - 2)) ]
	! grep -qx 'sb-basic,mnt-basic,\(sb-basic\|mnt-basic\)' <<<"$REPLY_LIST" || false
	comp tnos lsmount -o +TARGET,
	! grep -qx '+TARGET,TARGET' <<<"$REPLY_LIST" || false
	grep -qx '+TARGET,SOURCE' <<<"$REPLY_LIST"
}

@test "bash: filesystem types after lsmount -t are /proc/filesystems, also inside a list" {
	want=$(awk '{ print $NF }' /proc/filesystems | sort -u)
	comp tnos lsmount -t ""
	[ "$REPLY_LIST" = "$want" ]
	comp tnos lsmount --types ext4,tm
	want=$(awk '$NF ~ /^tm/ { print "ext4," $NF }' /proc/filesystems | sort -u)
	[ -n "$want" ]
	[ "$REPLY_LIST" = "$want" ]
}

@test "bash: mount points are findmnt's targets, a space quoted as the shell needs" {
	mount -t tmpfs stacked "$TT/sub"	# two mounts on one point: offered once
	want=$(findmnt -J -o TARGET | jq -r '.. | .target? // empty' | sort -u)
	comp tnos statmount /
	umount "$TT/sub"
	[ "$(printf '%s\n' "${COMPREPLY[@]}" | while read -r x; do eval "printf '%s\n' $x"; done | sort -u)" = "$want" ]
	[ -z "$(printf '%s\n' "${COMPREPLY[@]}" | sort | uniq -d)" ]
	comp tnos statmount "$TT/"
	[[ $REPLY_LIST == *"$TT/a\\ b"* ]]
	[[ $REPLY_LIST == *"$TT/sub"* ]]
	# the quoted word, fed back to the shell, is the mount point
	for x in "${COMPREPLY[@]}"; do
		eval "p=$x"
		mountpoint -q "$p" || { echo "not a mount point: $p"; false; }
	done
	# a word already typed with a backslash still completes
	comp tnos statmount "$TT/a\\ "
	[ "$REPLY_LIST" = "$TT/a\\ b" ]
}

statx_mnt_id() {	# the unique mount id of $1, from statx(STATX_MNT_ID_UNIQUE)
	python3 - "$1" <<'EOF'
import ctypes, os, sys, struct
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(256)
if libc.statx(-100, os.fsencode(sys.argv[1]), 0, 0x4000, buf) != 0:
    sys.exit("statx: " + os.strerror(ctypes.get_errno()))
mask, = struct.unpack_from("I", buf, 0)
if not mask & 0x4000:
    sys.exit("no STATX_MNT_ID_UNIQUE")
print(struct.unpack_from("Q", buf, 0x90)[0])
EOF
}

@test "bash: mount ids after --after and for ID|PATH are the unique ids, one per mount" {
	skip_unless_syscall listmount
	comp tnos lsmount --after ""
	n=$(wc -l </proc/self/mountinfo)
	[ "$(wc -l <<<"$REPLY_LIST")" -eq "$n" ]
	for id in $REPLY_LIST; do [ "$id" -ge 2147483648 ]; done
	id=$(statx_mnt_id "$TT/sub")
	grep -qx "$id" <<<"$REPLY_LIST"
	# an ID|PATH argument offers ids once a digit is typed
	comp tnos statmount "${id:0:5}"
	grep -qx "$id" <<<"$REPLY_LIST"
	# and the id completes to exactly what statmount takes
	run -0 "$TNOS" statmount -J "$id"
	[ "$(jq -r '.mnt_point' <<<"$output")" = "$TT/sub" ]
}

@test "bash: files where an option takes a path (--ns)" {
	comp tnos lsmount --ns /pro
	[ "$REPLY_LIST" = /proc ]
	comp tnos lsmount --ns = /pro
	[ "$REPLY_LIST" = /proc ]
}

@test "zsh -n and fish --no-execute accept the scripts" {
	command -v zsh >/dev/null || tn_skip "no zsh (make deps)"
	command -v fish >/dev/null || tn_skip "no fish (make deps)"
	zsh -n "$BATS_TEST_DIRNAME/../completions/_tnos"
	fish --no-execute "$BATS_TEST_DIRNAME/../completions/tnos.fish"
}

@test "fish: complete -C gives subcommands, options, columns, names after '='" {
	command -v fish >/dev/null || tn_skip "no fish (make deps)"
	f() { fish --no-config -c "source '$BATS_TEST_DIRNAME/../completions/tnos.fish'; complete -C '$1'" | cut -f1 | sort -u; }
	[ "$(f 'tnos ')" = "$("$TNOS" __options | sort -u)" ]
	[ "$(f 'tnos lsmount --ty')" = --types ]
	[ "$(f 'tnos lsmount -o TAR')" = TARGET ]
	[ "$(f 'tnos statmount --mask=sb-b')" = --mask=sb-basic ]
	[ "$(f 'lsmount --rev')" = --reverse ]
}

@test "zsh: the completion function hands tnos' candidates to compadd" {
	command -v zsh >/dev/null || tn_skip "no zsh (make deps)"
	z() {	# compadd stub: print the candidates after "--"
		zsh -fc 'compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@" }
			service=$1; shift; words=("$@"); CURRENT=$#
			source "$0"' "$BATS_TEST_DIRNAME/../completions/_tnos" "$@" | sort -u
	}
	[ "$(z tnos tnos lsmount --)" = "$("$TNOS" __options lsmount | sort -u)" ]
	[ "$(z lsmount lsmount --)" = "$("$TNOS" __options lsmount | sort -u)" ]
	z tnos tnos statmount --mask "" | grep -qx sb-basic
	[ "$(z tnos tnos lsmount -t "" | sort -u)" = "$(awk '{ print $NF }' /proc/filesystems | sort -u)" ]
}

# Positional arguments are counted past options and their values.  Only the
# commands with a first positional of its own kind show it: fsmount (FSTYPE,
# then a directory) and fhandle (the verb).  This suite checks whichever of
# them the binary has.
@test "bash: fsmount's FSTYPE and fhandle's verb come first, whatever options precede them" {
	cmds=$("$TNOS" __options)
	if grep -qx fsmount <<<"$cmds"; then
		comp tnos fsmount --attr ro,nosuid tm
		grep -qx tmpfs <<<"$REPLY_LIST"
		comp tnos fsmount -J tm
		grep -qx tmpfs <<<"$REPLY_LIST"
		comp tnos fsmount --attr ro tmpfs "$TT/s"
		[ "$REPLY_LIST" = "$TT/sub" ]
	fi
	if grep -qx fhandle <<<"$cmds"; then
		comp tnos fhandle -J ""
		[ "$REPLY_LIST" = "decode
encode
open" ]
		comp tnos fhandle encode "$TT/s"
		[ "$REPLY_LIST" = "$TT/sub" ]
	fi
}

@test "bash: with --ns PID, mount ids come from that namespace" {
	skip_unless_syscall listmount
	mkdir -p "$TT/nsm"
	unshare -m --propagation private sh -c "mount -t tmpfs only-in-ns '$TT/nsm' && exec sleep 60" &
	pid=$!
	for _ in $(seq 50); do grep -q only-in-ns "/proc/$pid/mountinfo" 2>/dev/null && break; sleep 0.1; done
	# the oracle: statx's unique mount id, asked inside that namespace
	nsid=$(nsenter -t "$pid" -m python3 - "$TT/nsm" <<'PY'
import ctypes, os, sys, struct
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(256)
if libc.statx(-100, os.fsencode(sys.argv[1]), 0, 0x4000, buf) != 0:
    sys.exit("statx: " + os.strerror(ctypes.get_errno()))
print(struct.unpack_from("Q", buf, 0x90)[0])
PY
)
	comp tnos lsmount --ns "$pid" --after ""
	here=$REPLY_LIST
	comp tnos lsmount --ns="$pid" --after ""
	nlines=$(wc -l <"/proc/$pid/mountinfo")
	kill "$pid"
	[ "$REPLY_LIST" = "$here" ]
	[ "$(wc -l <<<"$here")" -eq "$nlines" ]
	grep -qx "$nsid" <<<"$here"
	comp tnos lsmount --after ""
	! grep -qx "$nsid" <<<"$REPLY_LIST" || false
}

# unq WORD...: each word as the shell reads it back (quotes removed), sorted
unq() {
	local x
	for x in "$@"; do eval "printf '%s\n' $x"; done | sort -u
}

@test "bash: walk MOUNTPOINT offers that mount's source for FSNAME (findmnt's SOURCE), quoted for the shell, and walk takes it" {
	for d in "$TT/sub" "$TT/a b" "$TT/w src" "$TT/plain" "$TT"; do
		want=$(findmnt -n -v -o SOURCE -T "$d")
		[ -n "$want" ]
		q=$(printf '%q' "$d")
		for pre in "tnos walk" "tnos walk --jobs 2 -0" "walk"; do
			comp $pre "$q" ""
			[ "${#COMPREPLY[@]}" = 1 ] || { echo "$pre $q: ${COMPREPLY[*]}"; false; }
			[ "$(unq "${COMPREPLY[@]}")" = "$want" ] || { echo "$pre $q: ${COMPREPLY[*]} != $want"; false; }
		done
		# a quoted MOUNTPOINT is the same directory
		comp tnos walk "'$d'" ""
		[ "$(unq "${COMPREPLY[@]}")" = "$want" ]
		run -0 --separate-stderr "$TNOS" walk -0 "$d" "$want"
	done
	comp tnos walk "$TT/sub" tnos-s
	[ "$REPLY_LIST" = tnos-sub ]
	# MOUNTPOINT itself is a directory; nothing comes after FSNAME
	comp tnos walk "$TT/pl"
	[ "$REPLY_LIST" = "$TT/plain" ]
	comp tnos walk "$TT/sub" tnos-sub ""
	[ -z "$REPLY_LIST" ]
}

@test "bash: 'tnos help' offers the commands (those with a man page)" {
	want=$(ls "$BATS_TEST_DIRNAME"/../man/tnos-*.1 | sed 's|.*/tnos-||; s|\.1$||' | sort -u)
	comp tnos help ""
	[ "$REPLY_LIST" = "$want" ]
	comp tnos help stat
	[ "$REPLY_LIST" = "$(grep '^stat' <<<"$want")" ]
	comp tnos help lsmount ""
	[ -z "$REPLY_LIST" ]
}

@test "bash: --source offers the sources of the mounted filesystems (findmnt's), a space quoted for the shell" {
	want=$(findmnt -J -v -o SOURCE | jq -r '.. | .source? // empty' | sort -u)
	grep -qx "tnos sp src" <<<"$want"
	for c in lsmount fsmount; do
		comp tnos "$c" --source ""
		[ "$(unq "${COMPREPLY[@]}")" = "$want" ] || { echo "$c: ${COMPREPLY[*]}"; false; }
	done
	comp tnos lsmount --source 'tnos\ sp'
	[ "${COMPREPLY[*]}" = 'tnos\ sp\ src' ]
	comp tnos lsmount --source = tnos-s
	[ "$REPLY_LIST" = "tnos-sp
tnos-sub" ]
	# abbreviated, as the parser takes it
	comp tnos lsmount --sou tnos-su
	[ "$REPLY_LIST" = tnos-sub ]
	# each is a source lsmount finds mounts of, as findmnt does
	for x in tnos-sub "tnos sp src"; do
		run -0 --separate-stderr "$TNOS" lsmount --source "$x" -l -n -o TARGET
		[ "$output" = "$(findmnt -n -v -o TARGET -S "$x")" ]
	done
}

@test "bash: -t no offers the types with 'no' before them, in a comma list too; findmnt excludes what they name" {
	types=$(awk '{ print $NF }' /proc/filesystems | sort -u)
	comp tnos lsmount -t no
	[ "$REPLY_LIST" = "$( (sed 's/^/no/' <<<"$types"; grep '^no' <<<"$types") | sort -u)" ]
	comp tnos lsmount -t tmpfs,pro
	[ "$REPLY_LIST" = "$(grep '^pro' <<<"$types" | sed 's/^/tmpfs,/' | sort -u)" ]
	comp tnos lsmount --types tmpfs,nopro
	[ "$REPLY_LIST" = "$(grep '^pro' <<<"$types" | sed 's/^/tmpfs,no/' | sort -u)" ]
	comp tnos lsmount -t noproc,nosy
	grep -qx noproc,nosysfs <<<"$REPLY_LIST"
	# a type to create (fsmount FSTYPE) has no "no"
	comp tnos fsmount no
	[ "$REPLY_LIST" = "$(grep '^no' <<<"$types" || :)" ]
	# what -t noproc,nosysfs leaves is what findmnt leaves
	run -0 --separate-stderr "$TNOS" lsmount -t noproc,nosysfs -l -n -o TARGET
	[ "$(sort <<<"$output")" = "$(findmnt -J -l -t noproc,nosysfs -o TARGET | jq -r '.filesystems[].target' | sort)" ]
}

@test "fish: walk's FSNAME, help's commands, --source and -t no complete as in bash" {
	command -v fish >/dev/null || tn_skip "no fish (make deps)"
	f() { fish --no-config -c "source '$BATS_TEST_DIRNAME/../completions/tnos.fish'; complete -C \"\$argv[1]\"" "$1" | cut -f1 | sort -u; }
	[ "$(f "tnos walk $TT/w\\ src ")" = "tnos sp src" ]
	[ "$(f "walk '$TT/a b' ")" = "$(findmnt -n -v -o SOURCE -T "$TT/a b")" ]
	[ "$(f "tnos help ")" = "$(ls "$BATS_TEST_DIRNAME"/../man/tnos-*.1 | sed 's|.*/tnos-||; s|\.1$||' | sort -u)" ]
	[ "$(f "tnos lsmount --source ")" = "$(findmnt -J -v -o SOURCE | jq -r '.. | .source? // empty' | sort -u)" ]
	[ "$(f "tnos lsmount --source tnos\\ sp")" = "tnos sp src" ]
	types=$(awk '{ print $NF }' /proc/filesystems | sort -u)
	[ "$(f "tnos lsmount -t no")" = "$(sed 's/^/no/' <<<"$types" | sort -u)" ]
	[ "$(f "tnos lsmount -t tmpfs,pro")" = "$(grep '^pro' <<<"$types" | sed 's/^/tmpfs,/' | sort -u)" ]
}

@test "zsh: walk's FSNAME, help's commands, --source and -t no complete as in bash" {
	command -v zsh >/dev/null || tn_skip "no zsh (make deps)"
	z() {	# compadd stub: print the candidates after "--"
		zsh -fc 'compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@" }
			service=$1; shift; words=("$@"); CURRENT=$#
			source "$0"' "$BATS_TEST_DIRNAME/../completions/_tnos" "$@" | sort -u
	}
	[ "$(z tnos tnos walk "$TT/w\\ src" "")" = "tnos sp src" ]
	[ "$(z walk walk "'$TT/a b'" "")" = "$(findmnt -n -v -o SOURCE -T "$TT/a b")" ]
	[ "$(z tnos tnos help "")" = "$(ls "$BATS_TEST_DIRNAME"/../man/tnos-*.1 | sed 's|.*/tnos-||; s|\.1$||' | sort -u)" ]
	[ "$(z tnos tnos lsmount --source "")" = "$(findmnt -J -v -o SOURCE | jq -r '.. | .source? // empty' | sort -u)" ]
	types=$(awk '{ print $NF }' /proc/filesystems | sort -u)
	[ "$(z tnos tnos lsmount -t no | grep '^no')" = "$(sed 's/^/no/' <<<"$types" | sort -u)" ]
	[ "$(z tnos tnos lsmount -t tmpfs,pro | grep '^tmpfs,pro')" = "$(grep '^pro' <<<"$types" | sed 's/^/tmpfs,/' | sort -u)" ]
}
