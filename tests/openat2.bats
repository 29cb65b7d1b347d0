#!/usr/bin/env bats
# tnos openat2: open under resolve rules; show, read, write, exec.
# Oracles: realpath, readlink -f, python3 os.open/os.readlink, stat(1), the
# kernel's errno through python3 (a raw openat2 via ctypes).
load helpers

setup_file() {
	tn_setup_tmpfs
	R=$TT/root
	mkdir -p "$R/a/b/c" "$R/mnt" "$R/etc"
	echo inside > "$R/etc/passwd"
	echo deep > "$R/a/b/c/file"
	ln -s b/c "$R/a/rel"              # relative symlink, stays inside
	ln -s /etc/passwd "$R/abs"        # absolute symlink
	ln -s ../.. "$R/a/b/up"           # relative, climbs to $R
	ln -s ../../.. "$R/a/b/out"        # climbs above $R
	mount -t tmpfs -o size=1m o2inner "$R/mnt"
	echo onmount > "$R/mnt/m"
	ln -s ../a/b/c/file "$R/mnt/back"  # symlink on the inner mount pointing back
	export R
}

teardown_file() { tn_teardown_tmpfs; }

# raw openat2 through python ctypes: prints the errno name or "ok PATH"
py_openat2() {	# DIR PATH RESOLVE FLAGS
	python3 - "$@" <<'PY'
import ctypes, errno, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
d = os.open(sys.argv[1], os.O_PATH | os.O_DIRECTORY)
res = int(sys.argv[3])
how = struct.pack("QQQ", int(sys.argv[4]) | os.O_CLOEXEC, 0, res)
# beneath (8) and in-root (16) answer EAGAIN when a rename or mount
# anywhere raced the lookup, and openat2(2) says to try again (as tnos
# does); with cached (32) EAGAIN is the answer
for _ in range(1000):
    r = libc.syscall(NR["openat2"], d, sys.argv[2].encode(), how, 24)
    if r >= 0 or ctypes.get_errno() != errno.EAGAIN or res & 32 or not res & 24:
        break
if r < 0:
    print(errno.errorcode[ctypes.get_errno()])
else:
    print("ok", os.readlink("/proc/self/fd/%d" % r))
PY
}

@test "default: the kernel's path for the fd and its statx, against readlink -f and stat" {
	run -0 --separate-stderr "$TNOS" openat2 -J --dir "$R" a/rel/file
	echo "$output" | jq -e --arg p "$(readlink -f "$R/a/rel/file")" '.fd_path == $p'
	echo "$output" | jq -e --arg p "$(realpath "$R/a/b/c/file")" '.fd_path == $p'
	echo "$output" | jq -e --argjson i "$(stat -c %i "$R/a/b/c/file")" '.stx_ino == $i'
	echo "$output" | jq -e --argjson s "$(stat -c %s "$R/a/b/c/file")" '.stx_size == $s'
	echo "$output" | jq -e '.path == "a/rel/file" and .type == "regular" and .open_flags == ["rdonly"] and .resolve == []'
	# the same path through python's os.open + os.readlink
	want=$(cd "$R" && python3 -c 'import os; fd = os.open("a/rel/file", os.O_RDONLY); print(os.readlink("/proc/self/fd/%d" % fd))')
	echo "$output" | jq -e --arg p "$want" '.fd_path == $p'
	# people get key: value lines, with the path
	run -0 "$TNOS" openat2 --dir "$R" a/rel/file
	[[ $output == *"FDPATH:"*"$R/a/b/c/file"* ]]
}

@test "a FIFO with no writer is shown at once (rdonly, as asked); --cat waits for its writer as cat does" {
	mkfifo "$R/fifo"
	run -0 timeout 10 "$TNOS" openat2 -J "$R/fifo"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$R/fifo")" '.stx_ino == $i and .type == "fifo" and .open_flags == ["rdonly"]'
	(sleep 1; echo hello > "$R/fifo") &
	run -0 timeout 10 "$TNOS" openat2 --cat "$R/fifo"
	wait
	[ "$output" = hello ]
	rm "$R/fifo"
}

@test "no resolve flags: '..' chains and symlinks go where realpath says" {
	for p in a/b/up/etc/passwd a/b/c/../../../etc/passwd a/rel/../c/file mnt/back; do
		run -0 "$TNOS" openat2 -J --dir "$R" "$p"
		echo "$output" | jq -e --arg w "$(cd "$R" && realpath "$p")" '.fd_path == $w' || { echo "$p"; false; }
	done
}

@test "beneath: inside is allowed, escapes are EXDEV and explained, exit 1" {
	run -0 "$TNOS" openat2 -J -R beneath --dir "$R" a/rel/file
	# '..' that stays inside is fine
	run -0 "$TNOS" openat2 -J -R beneath --dir "$R" a/b/up/etc/passwd
	echo "$output" | jq -e --arg w "$R/etc/passwd" '.fd_path == $w'
	for p in ../root/etc/passwd abs a/b/out/etc/passwd /etc/passwd; do
		[ "$(py_openat2 "$R" "$p" 8 0)" = EXDEV ] || { echo "oracle disagrees on $p"; false; }
		run -1 --separate-stderr "$TNOS" openat2 -R beneath --dir "$R" "$p"
		[[ $stderr == "tnos openat2: $p: the path escapes the directory"* ]] || { echo "$p: $stderr"; false; }
		[ -z "$output" ]
	done
}

@test "in-root: absolute symlinks and '..' stay inside the root" {
	# abs -> /etc/passwd is $R/etc/passwd under in-root, not the host's
	run -0 "$TNOS" openat2 -J -R in-root --dir "$R" abs
	echo "$output" | jq -e --arg w "$R/etc/passwd" '.fd_path == $w'
	[ "$(py_openat2 "$R" abs 16 0)" = "ok $R/etc/passwd" ]
	run -0 "$TNOS" openat2 -J -R in-root --dir "$R" a/b/out/etc/passwd
	echo "$output" | jq -e --arg w "$R/etc/passwd" '.fd_path == $w'
	run -0 "$TNOS" openat2 -R in-root --dir "$R" --cat /etc/passwd
	[ "$output" = inside ]
	# without a rule the absolute symlink leaves: the host's file
	run -0 "$TNOS" openat2 -J --dir "$R" abs
	echo "$output" | jq -e '.fd_path == "/etc/passwd"'
}

@test "no-xdev: crossing into the inner tmpfs (or back) is EXDEV" {
	[ "$(py_openat2 "$R" mnt/m 1 0)" = EXDEV ]
	run -1 --separate-stderr "$TNOS" openat2 -R no-xdev --dir "$R" mnt/m
	[[ $stderr == *"mnt/m: the path crosses a mount point (no-xdev)"* ]]
	run -1 --separate-stderr "$TNOS" openat2 -R no-xdev --dir "$R/mnt" back
	[ "$(py_openat2 "$R/mnt" back 1 0)" = EXDEV ]
	# staying on one mount is fine
	run -0 "$TNOS" openat2 -J -R no-xdev --dir "$R" a/rel/file
	run -0 "$TNOS" openat2 -J -R no-xdev --dir "$R/mnt" m
	echo "$output" | jq -e --arg w "$R/mnt/m" '.fd_path == $w'
}

@test "no-symlinks: any symlink is ELOOP, explained; plain paths pass" {
	for p in a/rel/file abs mnt/back; do
		[ "$(py_openat2 "$R" "$p" 4 0)" = ELOOP ]
		run -1 --separate-stderr "$TNOS" openat2 -R no-symlinks --dir "$R" "$p"
		[[ $stderr == *"$p: a symlink in the path was refused (no-symlinks)"* ]] || { echo "$stderr"; false; }
	done
	run -0 "$TNOS" openat2 -J -R no-symlinks --dir "$R" a/b/c/file
	# nofollow alone refuses only the last component
	run -1 --separate-stderr "$TNOS" openat2 -f nofollow --dir "$R" abs
	[[ $stderr == *"abs: the last component is a symlink (nofollow)"* ]]
	run -0 "$TNOS" openat2 -J -f nofollow --dir "$R" a/rel/file
}

@test "/proc magic links: followed by default, refused by no-magiclinks" {
	exec 7<"$R/a/b/c/file"
	# our own fd 7 is inherited: /proc/self/fd/7 is a magic link to the file
	run -0 "$TNOS" openat2 -J /proc/self/fd/7
	echo "$output" | jq -e --arg w "$(readlink /proc/$$/fd/7)" '.fd_path == $w'
	[ "$(python3 -c 'import os; print(os.readlink("/proc/self/fd/7"))')" = "$R/a/b/c/file" ]
	run -1 --separate-stderr "$TNOS" openat2 -R no-magiclinks /proc/self/fd/7
	[[ $stderr == *"/proc/self/fd/7: a /proc magic link in the path was refused (no-magiclinks)"* ]]
	[ "$(py_openat2 / /proc/self/fd/7 2 0)" = ELOOP ]
	# /proc/self/root is a magic link too (a directory)
	run -0 "$TNOS" openat2 -J -f path /proc/self/root
	echo "$output" | jq -e '.fd_path == "/" and .type == "directory"'
	run -1 "$TNOS" openat2 -R no-magiclinks -f path /proc/self/root
	# under beneath a magic-link jump is an escape: EXDEV
	[ "$(py_openat2 /proc self/root 8 $((0x200000)))" = EXDEV ]
	run -1 --separate-stderr "$TNOS" openat2 -R beneath -f path --dir /proc self/root
	[[ $stderr == *"escapes the directory"* ]]
	exec 7<&-
}

@test "cached: refused lookups say EAGAIN and why; a cached one succeeds" {
	# a warm path (we just statted it) is in the dcache
	stat "$R/a/b/c/file" >/dev/null
	run -0 "$TNOS" openat2 -J -R cached --dir "$R" a/b/c/file
	echo "$output" | jq -e '.resolve == ["cached"]'
	# cached with O_CREAT is always refused by the kernel
	[ "$(py_openat2 "$R" newfile 32 $((0x40)))" = EAGAIN ]
	run -1 --separate-stderr "$TNOS" openat2 -R cached -f wronly,creat --dir "$R" newfile
	[[ $stderr == *"newfile: the lookup could not be done from the dentry cache alone (cached)"* ]]
	[ ! -e "$R/newfile" ]
}

@test "--write with creat,trunc writes a file under the root; --mode is honoured" {
	printf 'one\ntwo\n' | "$TNOS" openat2 -R in-root -f wronly,creat,trunc --mode 0600 --dir "$R" --write /etc/new
	[ "$(cat "$R/etc/new")" = "$(printf 'one\ntwo')" ]
	[ "$(stat -c %a "$R/etc/new")" = 600 ]
	echo x | "$TNOS" openat2 -f wronly,trunc --dir "$R" --write etc/new
	[ "$(cat "$R/etc/new")" = x ]
	# excl on an existing file: the kernel's EEXIST
	run -1 --separate-stderr "$TNOS" openat2 -f wronly,creat,excl --dir "$R" --write etc/new </dev/null
	[[ $stderr == *"etc/new: File exists"* ]]
	# a symlink escaping the root cannot be written through
	run -1 "$TNOS" openat2 -R beneath -f wronly,creat --dir "$R" --write abs </dev/null
	[ "$(cat /etc/passwd | head -c 4)" != x ]
}

@test "--exec runs a command with the fd as stdin; its status is ours" {
	run -0 "$TNOS" openat2 --dir "$R" --exec wc -c \; a/b/c/file
	[ "$output" = "$(wc -c < "$R/a/b/c/file")" ]
	run -3 "$TNOS" openat2 --dir "$R" --exec sh -c 'cat; exit 3' \; a/b/c/file
	[ "$output" = deep ]
	run -127 --separate-stderr "$TNOS" openat2 --exec /nonexistent/cmd \; "$R/a/b/c/file"
	# the fd is gone once the command ends: nothing holds the file
	run -0 "$TNOS" openat2 --exec sh -c 'readlink /proc/self/fd/0' \; "$R/mnt/m"
	[ "$output" = "$R/mnt/m" ]
}

@test "--exec runs exactly the words between --exec and ';'; PATH is not one of them" {
	f=$R/a/b/c/file
	run -0 --separate-stderr "$TNOS" openat2 --exec printf '%s|' a 'b c' \; "$f"
	[ "$output" = "a|b c|" ]
	run -0 --separate-stderr "$TNOS" openat2 --exec printf '[%s]' \; "$f"
	[ "$output" = "[]" ]
	run -0 --separate-stderr "$TNOS" openat2 "$f" --exec printf '[%s]' \;
	[ "$output" = "[]" ]
	# $0 and "$@" exactly, and stdin is the file: wc counts stat's size
	run -0 --separate-stderr "$TNOS" openat2 --dir "$R" --exec sh -c 'printf "%s|" "$0" "$@"; wc -c' x 'y z' \; a/b/c/file
	[ "$output" = "x|y z|$(stat -c %s "$f")" ]
	run -0 --separate-stderr "$TNOS" openat2 --exec wc -c \; "$f"
	[ "$output" = "$(stat -c %s "$f")" ]
}

@test "--exec without its ';' is a usage error, and nothing runs" {
	run -2 --separate-stderr "$TNOS" openat2 --exec touch "$TT/ran" "$R/a/b/c/file"
	[[ $stderr == "tnos openat2: end the --exec command with a lone ';'"* ]]
	run -2 --separate-stderr "$TNOS" openat2 "$R/a/b/c/file" --exec touch "$TT/ran"
	[[ $stderr == "tnos openat2: end the --exec command with a lone ';'"* ]]
	run -2 --separate-stderr "$TNOS" openat2 --exec=touch "$TT/ran" \; "$R/a/b/c/file"
	[[ $stderr == *"option '--exec' takes no '='"* ]]
	[ ! -e "$TT/ran" ]
	# with its ';' and no PATH, the message asks for the PATH only
	run -2 --separate-stderr "$TNOS" openat2 --exec cat \;
	[[ $stderr == "tnos openat2: which file? give a PATH"* ]]
}

@test "--mount-id: relative to a mount's root, by unique and old id; over-mounted is refused" {
	mkdir -p "$TT/om"
	mount -t tmpfs -o size=1m o2om "$TT/om"
	echo lower > "$TT/om/f"
	uid=$(python3 -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
buf = ctypes.create_string_buffer(256)
assert libc.syscall(NR["statx"], -100, sys.argv[1].encode(), 0, 0x4000, buf) == 0
print(struct.unpack_from("Q", buf.raw, 0x90)[0])' "$TT/om")
	old=$(mi_field "$TT/om" 1)
	run -0 "$TNOS" openat2 --mount-id "$uid" --cat f
	[ "$output" = lower ]
	run -0 "$TNOS" openat2 --mount-id "$old" --cat f
	[ "$output" = lower ]
	# cover the mount point with another tmpfs: the id no longer reaches it
	mount -t tmpfs -o size=1m o2over "$TT/om"
	run -1 --separate-stderr "$TNOS" openat2 --mount-id "$uid" --cat f
	[[ $stderr == *"--mount-id $uid: its mount point $TT/om now leads to another mount"* ]] || { echo "$stderr"; false; }
	run -1 --separate-stderr "$TNOS" openat2 --mount-id "$old" --cat f
	[[ $stderr == *"now leads to another mount"* ]]
	umount "$TT/om"; umount "$TT/om"
	run -1 --separate-stderr "$TNOS" openat2 --mount-id "$uid" f
	[[ $stderr == *"no such mount"* ]]
}

@test "usage errors exit 2: bad names, --mode without creat, two paths, --dir with --mount-id" {
	run -2 --separate-stderr "$TNOS" openat2 -R beneath,bogus /
	[[ $stderr == *"bogus"* ]]
	run -2 "$TNOS" openat2 -f bogus /
	run -2 "$TNOS" openat2 --mode 0600 /
	run -2 "$TNOS" openat2 --mode 99 -f creat,wronly "$TT/x"
	run -2 "$TNOS" openat2 / /
	run -2 "$TNOS" openat2
	run -2 "$TNOS" openat2 --dir / --mount-id 1 etc
	run -2 "$TNOS" openat2 --cat --exec true \; /
	run -2 --separate-stderr "$TNOS" openat2 --exec cat /etc/passwd
	[[ $stderr == *"end the --exec command with a lone ';'"* ]]
	run -1 --separate-stderr "$TNOS" openat2 --dir /nonexistent x
	[[ $stderr == "tnos openat2: --dir /nonexistent: No such file or directory" ]]
}

@test "a file name with control bytes is escaped for people, exact in JSON" {
	name=$(printf 'e\033[31mx')
	echo hi > "$R/$name"
	run -0 "$TNOS" openat2 --dir "$R" "$name"
	[[ $output != *$'\033'* ]]
	run -0 "$TNOS" openat2 -J --dir "$R" "$name"
	echo "$output" | jq -e --arg w "$R/$name" '.fd_path == $w'
}

@test "an empty PATH or --dir is refused by name with the kernel's ENOENT" {
	want=$(empty_path_err)
	run -1 --separate-stderr "$TNOS" openat2 ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos openat2: '': $want" ]
	run -1 --separate-stderr "$TNOS" openat2 --dir '' etc/passwd
	[ "$stderr" = "tnos openat2: --dir '': $want" ]
}
