#!/usr/bin/env bats
# tnos fhandle encode|decode|open.  Oracles: stat(1), a raw
# name_to_handle_at/statx from python ctypes, /proc/self/mountinfo, python's
# struct for the text layout, the kernel's ESTALE/EPERM.
load helpers

setup_file() {
	tn_setup_tmpfs
	mkdir -p "$TT/m"
	mount -t tmpfs -o size=4m fhm "$TT/m"
	mkdir -p "$TT/m/d1/sub"
	echo content > "$TT/m/d1/sub/file"
	ln -s d1/sub/file "$TT/m/link"
	export M=$TT/m
}

teardown_file() { tn_teardown_tmpfs; }

enc() { "$TNOS" fhandle encode -J "$@" | jq -r .handle; }

unique_id() {	# PATH: the unique mount id from a raw statx
	python3 -c '
import ctypes, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
buf = ctypes.create_string_buffer(256)
assert libc.syscall(NR["statx"], -100, sys.argv[1].encode(), 0x100, 0x4000, buf) == 0
print(struct.unpack_from("Q", buf.raw, 0x90)[0])' "$1"
}

@test "encode: fields, a unique mount id from the kernel, the text form is the whole struct" {
	run -0 "$TNOS" fhandle encode -J "$M/d1/sub/file"
	js=$output
	echo "$js" | jq -e '.unique_mount_id == true and (.handle_flags | index("mnt-id-unique"))'
	echo "$js" | jq -e --argjson m "$(unique_id "$M")" '.mount_id == $m'
	# the text: MOUNT_ID:HEX with HEX = u32 handle_bytes, i32 handle_type, f_handle
	python3 - "$js" <<'PY'
import json, struct, sys
j = json.loads(sys.argv[1])
mid, hx = j["handle"].split(":")
b = bytes.fromhex(hx)
hb, ht = struct.unpack_from("=Ii", b, 0)
assert int(mid) == j["mount_id"]
assert hb == j["handle_bytes"] == len(b) - 8, (hb, len(b))
assert ht == j["handle_type"]
assert b[8:].hex() == j["f_handle"]
PY
	# the same bytes as a raw name_to_handle_at, and the old id matches mountinfo
	python3 - "$M/d1/sub/file" "$(echo "$js" | jq -r .f_handle)" "$(mi_field "$M" 1)" <<'PY'
import ctypes, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(8 + 128)
struct.pack_into("=I", buf, 0, 128)
mid = ctypes.c_int()
assert libc.name_to_handle_at(-100, sys.argv[1].encode(), buf, ctypes.byref(mid), 0) == 0
hb = struct.unpack_from("=I", buf.raw, 0)[0]
assert buf.raw[8:8 + hb].hex() == sys.argv[2]
assert mid.value == int(sys.argv[3])
PY
}

@test "encode then open: the same inode as stat; --cat reads it" {
	h=$(enc "$M/d1/sub/file")
	run -0 "$TNOS" fhandle open -J "$h"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/d1/sub/file")" '.stx_ino == $i and .type == "regular"'
	echo "$output" | jq -e --arg p "$M/d1/sub/file" '.fd_path == $p'
	echo "$output" | jq -e --arg h "$h" '.handle == $h'
	run -0 "$TNOS" fhandle open --cat "$h"
	[ "$output" = content ]
	run -0 "$TNOS" fhandle open --exec wc -c \; "$h"
	[ "$output" = "$(wc -c < "$M/d1/sub/file")" ]
	# a directory handle, opened as one
	h=$(enc "$M/d1")
	run -0 "$TNOS" fhandle open -J -f directory "$h"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/d1")" '.stx_ino == $i and .type == "directory"'
}

@test "open of a FIFO's handle with no writer shows it at once (stat -c %i), flags as asked" {
	mkfifo "$M/d1/fifo"
	h=$(enc "$M/d1/fifo")
	run -0 timeout 10 "$TNOS" fhandle open -J "$h"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/d1/fifo")" '.stx_ino == $i and .type == "fifo" and .open_flags == ["rdonly"]'
	rm "$M/d1/fifo"
}

@test "open --exec runs exactly the words between --exec and ';'; HANDLE is not one of them" {
	f=$M/d1/sub/file
	h=$(enc "$f")
	run -0 --separate-stderr "$TNOS" fhandle open --exec printf '%s|' a 'b c' \; "$h"
	[ "$output" = "a|b c|" ]
	run -0 --separate-stderr "$TNOS" fhandle open --exec printf '[%s]' \; "$h"
	[ "$output" = "[]" ]
	run -0 --separate-stderr "$TNOS" fhandle open "$h" --exec printf '[%s]' \;
	[ "$output" = "[]" ]
	# $0 and "$@" exactly, and stdin is the file: wc counts stat's size
	run -0 --separate-stderr "$TNOS" fhandle open --exec sh -c 'printf "%s|" "$0" "$@"; wc -c' x 'y z' \; "$h"
	[ "$output" = "x|y z|$(stat -c %s "$f")" ]
	run -0 --separate-stderr "$TNOS" fhandle open --exec wc -c \; "$h"
	[ "$output" = "$(stat -c %s "$f")" ]
}

@test "open --exec without its ';' is a usage error, and nothing runs" {
	h=$(enc "$M/d1/sub/file")
	run -2 --separate-stderr "$TNOS" fhandle open --exec touch "$TT/ran" "$h"
	[[ $stderr == "tnos fhandle: end the --exec command with a lone ';'"* ]]
	run -2 --separate-stderr "$TNOS" fhandle open "$h" --exec touch "$TT/ran"
	[[ $stderr == "tnos fhandle: end the --exec command with a lone ';'"* ]]
	run -2 --separate-stderr "$TNOS" fhandle open --exec=touch "$TT/ran" \; "$h"
	[[ $stderr == *"option '--exec' takes no '='"* ]]
	[ ! -e "$TT/ran" ]
	run -2 --separate-stderr "$TNOS" fhandle open --exec cat \;
	[[ $stderr == "tnos fhandle: open takes one HANDLE"* ]]
}

@test "a handle survives rename and a parent rename" {
	echo survive > "$M/d1/sub/keep"
	h=$(enc "$M/d1/sub/keep")
	ino=$(stat -c %i "$M/d1/sub/keep")
	mv "$M/d1/sub/keep" "$M/d1/sub/kept"
	run -0 "$TNOS" fhandle open -J "$h"
	echo "$output" | jq -e --argjson i "$ino" --arg p "$M/d1/sub/kept" '.stx_ino == $i and .fd_path == $p'
	mv "$M/d1/sub" "$M/d1/moved"
	run -0 "$TNOS" fhandle open -J "$h"
	echo "$output" | jq -e --argjson i "$ino" --arg p "$M/d1/moved/kept" '.stx_ino == $i and .fd_path == $p'
	run -0 "$TNOS" fhandle open --cat "$h"
	[ "$output" = survive ]
	mv "$M/d1/moved" "$M/d1/sub"
}

@test "after unlink the handle is stale: exit 1, said so" {
	echo gone > "$M/victim"
	h=$(enc "$M/victim")
	rm "$M/victim"
	run -1 --separate-stderr "$TNOS" fhandle open "$h"
	[[ $stderr == "tnos fhandle: handle $h: stale: the file was deleted"* ]] || { echo "$stderr"; false; }
	[ -z "$output" ]
}

@test "decode round-trips the text; several handles give a named array" {
	h=$(enc "$M/d1/sub/file")
	run -0 "$TNOS" fhandle decode -J "$h"
	echo "$output" | jq -e --arg h "$h" '.handle == $h and .unique_mount_id == true'
	# upper-case hex decodes to the same canonical text
	up="${h%%:*}:$(echo "${h#*:}" | tr a-f A-F)"
	run -0 "$TNOS" fhandle decode -J "$up"
	echo "$output" | jq -e --arg h "$h" '.handle == $h'
	h2=$(enc "$M/d1")
	run -0 "$TNOS" fhandle decode -J "$h" "$h2"
	echo "$output" | jq -e --arg a "$h" --arg b "$h2" '[.handles[].handle] == [$a, $b]'
	# and what decode shows opens the same file
	run -0 "$TNOS" fhandle open -J "$(echo "$output" | jq -r '.handles[0].handle')"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/d1/sub/file")" '.stx_ino == $i'
}

@test "decode refuses malformed text, naming the problem, exit 2" {
	h=$(enc "$M/d1/sub/file")
	hex=${h#*:}
	check() {	# TEXT EXPECTED-SUBSTRING
		run -2 --separate-stderr "$TNOS" fhandle decode "$1"
		[[ $stderr == *"$2"* ]] || { echo "$1: $stderr"; return 1; }
		[ -z "$output" ]
	}
	check "1:${hex}0" "odd number of digits"
	check "1:${hex%??}zz" "not hexadecimal"
	check "1:${hex}00" "handle_bytes says"
	check "1:${hex%??}" "handle_bytes says"
	check "1:ff000000${hex:8}" "larger than MAX_HANDLE_SZ"
	check "1:$(printf '%0300d' 0)" "MAX_HANDLE_SZ"
	check "1:0800" "shorter than its 8-byte header"
	check "$hex" "no ':'"
	check "x1:$hex" "not a decimal number"
	check ":$hex" "empty"
	# open validates the same way before touching the kernel
	run -2 "$TNOS" fhandle open "1:${hex}0"
}

@test "an old mount id (mountinfo) in the text opens through the mount table" {
	h=$(enc "$M/d1/sub/file")
	old=$(mi_field "$M" 1)
	run -0 "$TNOS" fhandle open -J "$old:${h#*:}"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/d1/sub/file")" --argjson o "$old" \
		'.stx_ino == $i and .mount_id == $o and .unique_mount_id == false'
	# --dir / --mount-id name the filesystem instead of the handle's own id
	run -0 "$TNOS" fhandle open --dir "$M/d1" --cat "999999:${h#*:}"
	[ "$output" = content ]
	run -0 "$TNOS" fhandle open --mount-id "$old" --cat "999999:${h#*:}"
	[ "$output" = content ]
	run -1 --separate-stderr "$TNOS" fhandle open --dir "$TT" "999999:${h#*:}"
	[[ $stderr == *"stale"*"not on its filesystem"* ]] || { echo "$stderr"; false; }
	run -1 --separate-stderr "$TNOS" fhandle open "999999:${h#*:}"
	[[ $stderr == *"mount 999999: no such mount"* ]]
}

@test "an over-mounted mount is refused, by unique and by old id" {
	mkdir -p "$TT/ov"
	mount -t tmpfs -o size=1m fhov "$TT/ov"
	echo low > "$TT/ov/f"
	h=$(enc "$TT/ov/f")
	old=$(mi_field "$TT/ov" 1)
	mount -t tmpfs -o size=1m fhov2 "$TT/ov"
	run -1 --separate-stderr "$TNOS" fhandle open "$h"
	[[ $stderr == *"mount ${h%%:*}: its mount point $TT/ov now leads to another mount"* ]] || { echo "$stderr"; false; }
	run -1 --separate-stderr "$TNOS" fhandle open "$old:${h#*:}"
	[[ $stderr == *"now leads to another mount"* ]]
	umount "$TT/ov"
	run -0 "$TNOS" fhandle open --cat "$h"
	[ "$output" = low ]
	umount "$TT/ov"
}

@test "--follow, --empty-path with --dir, --fid, --connectable" {
	run -0 "$TNOS" fhandle encode -J "$M/link"
	nofollow=$(echo "$output" | jq -r .handle)
	run -0 "$TNOS" fhandle encode -J --follow "$M/link"
	follow=$(echo "$output" | jq -r .handle)
	[ "$nofollow" != "$follow" ]
	[ "$follow" = "$(enc "$M/d1/sub/file")" ]
	run -0 "$TNOS" fhandle open -J -f path,nofollow "$nofollow"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/link")" '.stx_ino == $i and .type == "symlink"'
	run -0 "$TNOS" fhandle encode -J --dir "$M/d1" --empty-path
	[ "$(echo "$output" | jq -r .handle)" = "$(enc "$M/d1")" ]
	run -0 "$TNOS" fhandle encode -J --fid "$M/d1/sub/file"
	echo "$output" | jq -e '.handle_flags | index("fid")'
	# connectable on the root filesystem (ext4 keeps the parent in the handle)
	run -0 "$TNOS" fhandle encode -J --connectable /etc/passwd
	echo "$output" | jq -e '(.handle_flags | index("connectable")) and .handle_bytes > 8'
	run -0 "$TNOS" fhandle open -J "$(echo "$output" | jq -r .handle)"
	echo "$output" | jq -e --argjson i "$(stat -c %i /etc/passwd)" '.stx_ino == $i'
	run -2 "$TNOS" fhandle encode --fid --connectable "$M/d1"
	# the kernel refuses connectable with AT_EMPTY_PATH (EINVAL): a usage
	# error, not "needs Linux 6.13"
	run -2 --separate-stderr "$TNOS" fhandle encode --connectable --dir "$M/d1" --empty-path
	[ "${stderr_lines[0]}" = "tnos fhandle: --connectable and --empty-path cannot be used together (the kernel needs the name to know the parent); give the PATH" ]
	# procfs cannot export handles: the kernel's EOPNOTSUPP, but --fid works,
	# and opening such a handle says why it cannot be opened
	run -1 --separate-stderr "$TNOS" fhandle encode /proc/version
	[[ $stderr == *"/proc/version: this filesystem cannot make file handles (--fid may still work)"* ]]
	run -0 "$TNOS" fhandle encode -J --fid /proc/version
	echo "$output" | jq -e --argjson m "$(unique_id /proc)" '.mount_id == $m and (.handle_flags | index("fid"))'
	run -1 --separate-stderr "$TNOS" fhandle open "$(echo "$output" | jq -r .handle)"
	[[ $stderr == *"this filesystem cannot open files by handle"* ]] || { echo "$stderr"; false; }
}

@test "open of a symlink's handle without --flags path says it is a symlink's, not a loop" {
	[ "$(stat -c %F "$M/link")" = "symbolic link" ]
	h=$(enc "$M/link")	# without --follow: the link itself
	for f in "" "-f nofollow" "--cat"; do
		run -1 --separate-stderr "$TNOS" fhandle open $f "$h"
		[ "$stderr" = "tnos fhandle: handle $h: the handle is of a symlink, which opens only as --flags path (encode --follow makes the handle of its target)" ] || { echo "$f: $stderr"; return 1; }
		[ -z "$output" ]
	done
	# what the message says works: the link with path, its target with --follow
	run -0 "$TNOS" fhandle open -J -f path "$h"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$M/link")" '.stx_ino == $i'
	run -0 "$TNOS" fhandle open --cat "$(enc --follow "$M/link")"
	[ "$output" = "$(cat "$M/link")" ]
	# a file's handle refused for another reason keeps the kernel's words
	run -1 --separate-stderr "$TNOS" fhandle open -f wronly "$(enc "$M/d1")"
	[ "$stderr" = "tnos fhandle: handle $(enc "$M/d1"): open_by_handle_at: $(python3 -c 'import os, errno; print(os.strerror(errno.EISDIR))')" ]
}

@test "--connectable on tmpfs: the kernel makes plain handles there, so the message says connectable ones" {
	# the oracle: a raw name_to_handle_at makes a plain handle of the file,
	# and refuses AT_HANDLE_CONNECTABLE (0x2) with EOPNOTSUPP
	python3 - "$M/d1/sub/file" <<'PY'
import ctypes, errno, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
def n2h(flags):
    buf = ctypes.create_string_buffer(8 + 128)
    struct.pack_into("=I", buf, 0, 128)
    mid = ctypes.c_int()
    r = libc.name_to_handle_at(-100, sys.argv[1].encode(), buf, ctypes.byref(mid), flags)
    return 0 if r == 0 else ctypes.get_errno()
assert n2h(0) == 0
assert n2h(0x2) == errno.EOPNOTSUPP, n2h(0x2)
PY
	run -1 --separate-stderr "$TNOS" fhandle encode --connectable "$M/d1/sub/file"
	[ -z "$output" ]
	[ "$stderr" = "tnos fhandle: $M/d1/sub/file: this filesystem makes file handles, but not connectable ones (it cannot find a file's parent from a handle): leave out --connectable" ]
	# a filesystem that makes no handles at all is still said to be one
	run -1 --separate-stderr "$TNOS" fhandle encode --connectable /proc/version
	[[ $stderr == *"/proc/version: this filesystem cannot make file handles"* ]]
}

@test "open without CAP_DAC_READ_SEARCH names the capability, exit 1" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	h=$(enc /etc/passwd)
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" fhandle open "$h"
	[[ $stderr == *"open_by_handle_at: Operation not permitted (needs CAP_DAC_READ_SEARCH)"* ]] || { echo "$stderr"; false; }
	# with it (root), the same handle opens
	run -0 "$TNOS" fhandle open -J "$h"
	echo "$output" | jq -e --argjson i "$(stat -c %i /etc/passwd)" '.stx_ino == $i'
}

@test "usage: actions and options that do not belong to them exit 2" {
	run -2 "$TNOS" fhandle
	run -2 --separate-stderr "$TNOS" fhandle frobnicate x
	[[ $stderr == *"unknown action 'frobnicate'"* ]]
	run -2 "$TNOS" fhandle encode
	run -2 "$TNOS" fhandle encode a b
	run -2 --separate-stderr "$TNOS" fhandle decode --follow 1:00
	[[ $stderr == *"--follow does not apply to 'decode'"* ]]
	run -2 "$TNOS" fhandle encode --cat "$M/d1"
	run -2 "$TNOS" fhandle open --fid 1:00
	run -2 "$TNOS" fhandle decode --dir / 1:00
	run -1 --separate-stderr "$TNOS" fhandle encode "$M/nope"
	[[ $stderr == *"$M/nope: No such file or directory"* ]]
}

@test "encode: an empty PATH or --dir is refused by name with the kernel's ENOENT" {
	want=$(empty_path_err)
	run -1 --separate-stderr "$TNOS" fhandle encode ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos fhandle: '': $want" ]
	run -1 --separate-stderr "$TNOS" fhandle encode --dir '' d1
	[ "$stderr" = "tnos fhandle: --dir '': $want" ]
}
