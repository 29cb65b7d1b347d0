#!/usr/bin/env bats
# tnos fsmount: fsopen/fsconfig/fsmount/move_mount, fspick, open_tree.
# Oracles: /proc/self/mountinfo, findmnt, stat(1), stat -f, jq, setpriv.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
}

teardown() {
	[ -z "${NSPID:-}" ] || kill "$NSPID" 2>/dev/null || true
}

mi() { cat /proc/self/mountinfo; }

@test "tmpfs with options and attributes: mountinfo agrees with the record" {
	run -0 --separate-stderr "$TNOS" fsmount -J tmpfs "$D" -o size=10m,mode=0700 --attr nosuid,nodev,noatime
	# mountinfo: per-mount options (field 6) and superblock options (last field)
	[ "$(mi_field "$D" 6)" = "rw,nosuid,nodev,noatime" ]
	[[ $(findmnt -no FS-OPTIONS --mountpoint "$D") == *size=10240k* ]]
	[[ $(findmnt -no FS-OPTIONS --mountpoint "$D") == *mode=700* ]]
	[ "$(findmnt -no FSTYPE --mountpoint "$D")" = tmpfs ]
	[ "$(stat -c %a "$D")" = 700 ]
	[ "$(jq -r .mnt_point <<<"$output")" = "$D" ]
	[ "$(jq -r .fs_type <<<"$output")" = tmpfs ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$(mi_field "$D" 1)" ]
	[ "$(jq -c .mnt_attr <<<"$output")" = '["rw","nosuid","nodev","noatime"]' ]
	[ "$(jq -c .messages <<<"$output")" = '[]' ]
	# same keys as tnos statmount, plus messages
	a=$(jq -c 'del(.messages) | keys' <<<"$output")
	b=$("$TNOS" statmount -J "$D" | jq -c keys)
	[ "$a" = "$b" ]
}

@test "a bad option shows tmpfs's own words, exits 1 and mounts nothing" {
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" -o size=bogus
	[ -z "$output" ]
	[[ $stderr == *"-o size=bogus: $(python3 -c 'import os,errno; print(os.strerror(errno.EINVAL))')"* ]]
	# the kernel's message (fsopen(2): "e tmpfs: Bad value for 'size'")
	[[ $stderr == *"error: tmpfs: "*"size"* ]]
	[ "$(mi)" = "$before" ]
	# JSON readers get the messages too
	run -1 --separate-stderr "$TNOS" fsmount -J tmpfs "$D" -o size=bogus
	jq -e '.messages | length == 1' <<<"$output"
	jq -e '.messages[0] | startswith("e ") and contains("size")' <<<"$output"
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" -o nosuchoption
	[[ $stderr == *"nosuchoption"* ]]
	[ "$(mi)" = "$before" ]
}

@test "-o noexec, as mount(8) takes it: the kernel refuses it, the message points at --attr, nothing mounted" {
	# the oracle: fsconfig(FSCONFIG_SET_FLAG, "noexec") on a tmpfs context is EINVAL
	python3 - <<'PY'
import ctypes, errno, os
from sysnr import NR
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(NR["fsopen"], b"tmpfs", 1)
assert fd >= 0, os.strerror(ctypes.get_errno())
for k in (b"noexec", b"nosuid", b"noatime"):
    assert libc.syscall(NR["fsconfig"], fd, 0, k, None, 0) == -1 and ctypes.get_errno() == errno.EINVAL, k
PY
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" -o size=1m,noexec
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "tnos fsmount: tmpfs: -o noexec: a mount attribute, not a filesystem option: give '--attr noexec'" ]
	[[ ${stderr_lines[1]} == "tnos fsmount: error: tmpfs: "*noexec* ]]	# the kernel's words still follow
	[ "$(mi)" = "$before" ]
	# what the hint says works, as mountinfo shows
	run -0 "$TNOS" fsmount tmpfs "$D" -o size=1m --attr noexec
	[ "$(mi_field "$D" 6)" = "rw,noexec,relatime" ]
	# --reconfigure points at setattr, and changes nothing
	run -1 --separate-stderr "$TNOS" fsmount --reconfigure "$D" -o nosuid
	[ "${stderr_lines[0]}" = "tnos fsmount: $D: -o nosuid: a mount attribute, not a filesystem option: change it with 'tnos setattr $D --attr nosuid'" ]
	[ "$(mi_field "$D" 6)" = "rw,noexec,relatime" ]
	# a filesystem option the kernel refuses keeps its own message
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" -o nosuchoption
	[[ ${stderr_lines[0]} == *"-o nosuchoption: $(python3 -c 'import os,errno; print(os.strerror(errno.EINVAL))')" ]]
}

@test "unknown filesystem type says so and points at /proc/filesystems" {
	! grep -qw nosuchfs /proc/filesystems || false
	run -1 --separate-stderr "$TNOS" fsmount nosuchfs "$D"
	[[ $stderr == *"nosuchfs: unknown filesystem type"*"/proc/filesystems"* ]]
}

@test "a missing or non-directory TARGET says which, and nothing is mounted" {
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D/nope"
	[[ $stderr == *"$D/nope: the mount point does not exist"* ]]
	touch "$D/file"
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D/file"
	[[ $stderr == *"$D/file: the mount point is not a directory"* ]]
	[ "$(mi)" = "$before" ]
}

@test "a failing attach leaves the mount table as it was" {
	# --beneath needs a mount at TARGET: move_mount fails after fsmount made the mount
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" --beneath
	[[ $stderr == *"$D: --beneath needs a mount point"* ]]
	[ "$(mi)" = "$before" ]
}

@test "without CAP_SYS_ADMIN: says which capability, exit 1" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	chmod 755 "$TT" "$D"
	before=$(mi)
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" fsmount tmpfs "$D"
	[[ $stderr == *"fsopen: $(python3 -c 'import os,errno; print(os.strerror(errno.EPERM))')"*"CAP_SYS_ADMIN"* ]]
	[ "$(mi)" = "$before" ]
}

@test "--reconfigure grows a tmpfs (stat -f), keeps the mount" {
	"$TNOS" fsmount tmpfs "$D" -o size=4m >/dev/null
	id=$(mi_field "$D" 1)
	[ $(( $(stat -f -c '%b * %S' "$D") )) -eq $((4 << 20)) ]
	run -0 --separate-stderr "$TNOS" fsmount -J --reconfigure "$D" -o size=8m
	[ $(( $(stat -f -c '%b * %S' "$D") )) -eq $((8 << 20)) ]
	[ "$(mi_field "$D" 1)" = "$id" ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$id" ]
	[[ $(jq -r .mnt_opts <<<"$output") == *size=8192k* ]]
	# a bad value: the kernel's words, and the size is unchanged
	run -1 --separate-stderr "$TNOS" fsmount --reconfigure "$D" -o size=bogus
	[[ $stderr == *"error: tmpfs: "*"size"* ]]
	[ $(( $(stat -f -c '%b * %S' "$D") )) -eq $((8 << 20)) ]
}

@test "--reconfigure of a path that is not a mount point says so" {
	mkdir "$D/sub"
	run -1 --separate-stderr "$TNOS" fsmount --reconfigure "$D/sub" -o size=1m
	[[ $stderr == *"$D/sub: not a mount point"* ]]
}

@test "--bind and --bind -R: findmnt shows the copy, and the submounts with -R" {
	mkdir "$D/src" "$D/a" "$D/b"
	"$TNOS" fsmount tmpfs "$D/src" >/dev/null
	mkdir "$D/src/sub"
	"$TNOS" fsmount tmpfs "$D/src/sub" -o size=1m >/dev/null
	echo hello > "$D/src/sub/f"
	run -0 --separate-stderr "$TNOS" fsmount -J --bind "$D/src" "$D/a"
	[ "$(mi_field "$D/a" 3)" = "$(mi_field "$D/src" 3)" ]	# same device
	[ "$(jq .mnt_id_old <<<"$output")" = "$(mi_field "$D/a" 1)" ]
	[ -z "$(findmnt -no TARGET --mountpoint "$D/a/sub")" ]
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" -R "$D/b"
	[ "$(findmnt -no TARGET --mountpoint "$D/b/sub")" = "$D/b/sub" ]
	[ "$(cat "$D/b/sub/f")" = hello ]
	# bind with attributes
	mkdir "$D/c"
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --attr ro,noexec "$D/c"
	[ "$(mi_field "$D/c" 6)" = "ro,noexec,relatime" ]
}

@test "--bind of a file onto a file; a file onto a directory is refused" {
	echo content > "$D/f"; touch "$D/g"; mkdir "$D/dir"
	run -0 --separate-stderr "$TNOS" fsmount -J --bind "$D/f" "$D/g"
	[ "$(cat "$D/g")" = content ]
	[ "$(jq -r .mnt_root <<<"$output")" = "$(findmnt -no FSROOT --mountpoint "$D/g")" ]
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount --bind "$D/f" "$D/dir"
	[[ $stderr == *"$D/dir: the mount point is a directory, but the bind source is not"* ]]
	[ "$(mi)" = "$before" ]
}

@test "--bind of (a directory of) an unbindable mount: the kernel's EINVAL, and that the mount is unbindable, with the fix" {
	mkdir -p "$D/ub" "$D/to"
	mount -t tmpfs ubfs "$D/ub"
	mkdir "$D/ub/sub"
	mount --make-unbindable "$D/ub"
	[ "$(findmnt -n -o PROPAGATION --mountpoint "$D/ub")" = "private,unbindable" ]
	# the kernel's answer to a bare open_tree(OPEN_TREE_CLONE) there
	run -0 python3 -c 'import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(428, -100, sys.argv[1].encode(), 1 | os.O_CLOEXEC)
print(errno.errorcode[ctypes.get_errno()] if fd < 0 else "ok")' "$D/ub/sub"
	[ "$output" = EINVAL ]
	before=$(mi)
	for attr in '' --attr=ro; do
		run -1 --separate-stderr "$TNOS" fsmount --bind "$D/ub/sub" "$D/to" $attr
		[[ $stderr == "tnos fsmount: $D/ub/sub: open_tree"*"(OPEN_TREE_CLONE): $(errstr EINVAL): the mount at $D/ub is unbindable ('mount --make-private $D/ub' makes it bindable)" ]] || { echo "$stderr"; false; }
		[ "$(mi)" = "$before" ]
	done
	# what the hint says works
	mount --make-private "$D/ub"
	run -0 "$TNOS" fsmount --bind "$D/ub/sub" "$D/to"
	[ "$(findmnt -n -o FSROOT --mountpoint "$D/to")" = /sub ]
	umount "$D/to" "$D/ub"
}

# a user namespace whose uid/gid map is "0 100000 65536", held by a sleep
userns_start() {
	mkfifo "$D/fifo"
	unshare -U sh -c "echo ready > '$D/fifo'; exec sleep 1000" >/dev/null 2>&1 3>&- &
	NSPID=$!
	read -r _ < "$D/fifo"
	echo "0 100000 65536" > /proc/$NSPID/uid_map
	echo "0 100000 65536" > /proc/$NSPID/gid_map
}

@test "--bind --idmap: stat shows the mapped owner through the mount, the source is unchanged" {
	userns_start
	mkdir "$D/src" "$D/dst"
	touch "$D/src/rootfile" "$D/src/userfile"
	chown 1000:1001 "$D/src/userfile"
	run -0 --separate-stderr "$TNOS" fsmount -J --bind "$D/src" --idmap "$NSPID" "$D/dst"
	[ "$(stat -c %u:%g "$D/src/rootfile")" = 0:0 ]
	[ "$(stat -c %u:%g "$D/dst/rootfile")" = 100000:100000 ]
	[ "$(stat -c %u:%g "$D/src/userfile")" = 1000:1001 ]
	[ "$(stat -c %u:%g "$D/dst/userfile")" = 101000:101001 ]
	[[ $(mi_field "$D/dst" 6) == *idmapped* ]]
	jq -e '.mnt_attr | index("idmapped")' <<<"$output"
	# /proc/PID/ns/user works as well, and a non-user namespace is refused
	mkdir "$D/dst2"
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "/proc/$NSPID/ns/user" "$D/dst2"
	[ "$(stat -c %u "$D/dst2/userfile")" = 101000 ]
	run -1 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "/proc/$NSPID/ns/mnt" "$D/dst2"
	[[ $stderr == *"not a user namespace"* ]]
}

@test "--idmap MAP of uids (or gids) only: a usage error before anything; the kernel refuses such a namespace" {
	mkdir "$D/src" "$D/dst"
	before=$(cat /proc/self/mountinfo)
	for map in "u:0:100000:10" "g:0:100000:10 g:20:200000:1"; do
		run -2 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "$map" "$D/dst"
		[ "${stderr_lines[0]}" = "tnos fsmount: --idmap: '$map' maps ${map:0:1}ids only, and the kernel idmaps a mount only when both uids and gids are mapped: add $([ "${map:0:1}" = u ] && echo g || echo u): ranges, or give b: ranges" ] || { echo "$stderr"; false; }
	done
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	# the oracle: a namespace of ours with a uid map and no gid map, which
	# the kernel refuses to idmap with (EINVAL)
	mkfifo "$D/fifo"
	unshare -U sh -c "echo ready > '$D/fifo'; exec sleep 1000" >/dev/null 2>&1 3>&- &
	NSPID=$!
	read -r _ < "$D/fifo"
	echo "0 100000 10" > /proc/$NSPID/uid_map
	run -1 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "$NSPID" "$D/dst"
	[[ $stderr == *"$(python3 -c 'import os,errno; print(os.strerror(errno.EINVAL))')"* ]]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
}

# processes in a user namespace other than ours (a helper left behind would be one)
other_userns_procs() {
	local me d n=0
	me=$(readlink /proc/self/ns/user)
	for d in /proc/[0-9]*; do
		[ "$(readlink "$d/ns/user" 2>/dev/null || echo "$me")" = "$me" ] || n=$((n + 1))
	done
	echo "$n"
}

@test "--bind --idmap MAP: tnos makes the user namespace; stat shows each id moved by its range" {
	mkdir "$D/src" "$D/dst" "$D/dst2" "$D/dst3"
	for spec in 0:0 1000:2000 65535:65535 70000:70000 5:7; do
		touch "$D/src/f$spec"
		chown "$spec" "$D/src/f$spec"
	done
	procs=$(other_userns_procs)
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "u:0:100000:65536 g:0:200000:65536" "$D/dst"
	[ -z "$output" ]
	# each owner as the map says: inside the range moved, outside it the overflow id
	for spec in 0:0 1000:2000 65535:65535 70000:70000 5:7; do
		u=${spec%:*} g=${spec#*:}
		want="$((u < 65536 ? u + 100000 : $(cat /proc/sys/fs/overflowuid))):$((g < 65536 ? g + 200000 : $(cat /proc/sys/fs/overflowgid)))"
		[ "$(stat -c %u:%g "$D/dst/f$spec")" = "$want" ] || { echo "f$spec: $(stat -c %u:%g "$D/dst/f$spec") != $want"; false; }
		[ "$(stat -c %u:%g "$D/src/f$spec")" = "$spec" ]
	done
	[[ $(mi_field "$D/dst" 6) == *idmapped* ]]
	# b: and no prefix both mean uids and gids; several ranges each move their ids
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "b:0:300000:10 1000:5000:1" "$D/dst2"
	[ "$(stat -c %u:%g "$D/dst2/f0:0")" = 300000:300000 ]
	[ "$(stat -c %u:%g "$D/dst2/f5:7")" = 300005:300007 ]
	[ "$(stat -c %u "$D/dst2/f1000:2000")" = 5000 ]
	[ "$(stat -c %g "$D/dst2/f1000:2000")" = "$(cat /proc/sys/fs/overflowgid)" ]
	# the helper process is gone: no process is left in another user namespace
	[ "$(other_userns_procs)" = "$procs" ]
	# and the command run on the detached mount inherits no fd of it
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --detached -- sh -c 'ls /proc/$$/fd'
	plain=$output
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "b:0:100000:65536" --detached -- \
		sh -c 'stat -c %u f5:7; ls /proc/$$/fd'
	[ "${lines[0]}" = 100005 ]
	[ "$(printf '%s\n' "${lines[@]:1}")" = "$plain" ]
}

@test "--idmap MAP: a bad map is a usage error naming the range, and nothing is mounted" {
	mkdir "$D/src" "$D/dst"
	before=$(cat /proc/self/mountinfo)
	bad() {
		run -2 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "$1" "$D/dst"
		[ -z "$output" ]
		[[ "${stderr_lines[0]}" == "tnos fsmount: --idmap: '$2'"* ]] || { echo "$1: $stderr"; false; }
	}
	bad "u:0:100000:0 g:0:1:1" "u:0:100000:0"
	bad "b:0:100000:100 u:50:500:10" "u:50:500:10"		# the ids in the filesystem overlap
	bad "0:100000:100 200:100050:10" "200:100050:10"	# the ids they become overlap
	bad "u:0:x:5" "u:0:x:5"
	bad "0:1:2:3" "0:1:2:3"
	bad "q:0:1:2" "q:0:1:2"
	bad "4294967290:0:10" "4294967290:0:10"
	bad "0:4294967295:1" "0:4294967295:1"
	bad "0:1:99999999999" "0:1:99999999999"
	map=""
	for i in $(seq 0 340); do map+="u:$i:$((1000 + i)):1 "; done
	bad "$map" "u:340:1340:1"
	# the kernel reads a map file in one write of less than a page
	long=""
	for i in $(seq 0 300); do long+="u:$((4000000000 + i)):$((4100000000 + i)):1 "; done
	run -2 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "$long" "$D/dst"
	[[ "${stderr_lines[0]}" == "tnos fsmount: --idmap: the uid map is "*" bytes as the kernel reads it, and it takes at most 4095"* ]]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	# 340 ranges are the limit, and allowed; u: and g: ranges may overlap each other
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "${map% u:340:*} g:0:1000:1" "$D/dst"
	[ "$(stat -c %u:%g "$D/dst")" = 1000:1000 ]
}

@test "--bind with --attr or --idmap: one open_tree_attr call where the kernel has it, open_tree + mount_setattr where not" {
	mkdir -p "$D/src/sub" "$D/a" "$D/b" "$D/c"
	mount -t tmpfs -o size=1m below "$D/src/sub"
	touch "$D/src/f"
	chown 3:4 "$D/src/f"
	# without mount_setattr the attributes can only have come with the copy
	run -0 --separate-stderr tn_nosys mount_setattr "$TNOS" fsmount --bind "$D/src" -R --attr ro,nosuid \
		--idmap "b:0:100000:65536" "$D/a"
	[[ $(mi_field "$D/a" 6) == ro,nosuid,*idmapped* ]]
	[[ $(mi_field "$D/a/sub" 6) == ro,nosuid,* ]]	# -R: the mounts below too
	[ "$(stat -c %u:%g "$D/a/f")" = 100003:100004 ]
	# before Linux 6.15 (no open_tree_attr): the two calls give the same mount
	run -0 --separate-stderr tn_nosys open_tree_attr "$TNOS" fsmount --bind "$D/src" -R --attr ro,nosuid \
		--idmap "b:0:100000:65536" "$D/b"
	[ "$(mi_field "$D/b" 6)" = "$(mi_field "$D/a" 6)" ]
	[ "$(mi_field "$D/b/sub" 6)" = "$(mi_field "$D/a/sub" 6)" ]
	[ "$(stat -c %u:%g "$D/b/f")" = 100003:100004 ]
	# with neither, nothing is mounted and the kernel's lack is exit 3
	before=$(cat /proc/self/mountinfo)
	run -3 --separate-stderr tn_nosys open_tree_attr,mount_setattr "$TNOS" fsmount --bind "$D/src" --attr ro "$D/c"
	[ -z "$output" ]
	[[ $stderr == *mount_setattr* ]]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	# a plain bind needs neither
	run -0 --separate-stderr tn_nosys open_tree_attr,mount_setattr "$TNOS" fsmount --bind "$D/src" "$D/c"
	[ "$(stat -c %u "$D/c/f")" = 3 ]
}

@test "--bind -R --idmap over a mount that cannot be idmapped: nothing is attached" {
	grep -qw ramfs /proc/filesystems || tn_skip "no ramfs"
	userns_start
	mkdir "$D/src" "$D/dst"
	mkdir "$D/src/r"
	mount -t ramfs ramfs "$D/src/r"	# ramfs does not support idmapped mounts
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount --bind "$D/src" -R --idmap "$NSPID" "$D/dst"
	[[ $stderr == *"cannot idmap"* ]]
	[ "$(mi)" = "$before" ]
	# the tmpfs alone (no -R) can be idmapped: it was the ramfs below
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "$NSPID" "$D/dst"
	[[ $(mi_field "$D/dst" 6) == *idmapped* ]]
}

@test "--detached -- CMD runs in the mount's root and leaves the mount table as it was" {
	before=$(mi)
	run -0 --separate-stderr "$TNOS" fsmount tmpfs -o mode=0711 --detached -- sh -c 'echo data > newfile; ls; stat -c %a .; stat -f -c %T .'
	[ "${lines[0]}" = newfile ]
	[ "${lines[1]}" = 711 ]
	[ "${lines[2]}" = tmpfs ]
	[ "$(mi)" = "$before" ]
	# the command's exit status is ours
	run -7 "$TNOS" fsmount tmpfs --detached -- sh -c 'exit 7'
	[ "$(mi)" = "$before" ]
	run -127 --separate-stderr "$TNOS" fsmount tmpfs --detached -- /no/such/command
	[ "$stderr" = "tnos fsmount: /no/such/command: No such file or directory" ]
	[ "$(mi)" = "$before" ]
}

@test "--detached -- CMD waits as system(3) does: SIGINT and SIGQUIT do not end tnos while CMD runs" {
	# a ^C at the terminal goes to CMD and to tnos: tnos outlives it to
	# report CMD's status; here CMD sends it to tnos alone
	for sig in INT QUIT; do
		run -0 --separate-stderr "$TNOS" fsmount tmpfs --detached -- sh -c "kill -$sig \$PPID; sleep 0.2; echo alive"
		[ "$output" = alive ] || { echo "$sig: $output $stderr"; return 1; }
	done
}

@test "--detached with an idmapped bind: the command sees the mapped owner" {
	userns_start
	mkdir "$D/src"
	touch "$D/src/f"
	chown 5:5 "$D/src/f"
	before=$(mi)
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --idmap "$NSPID" --detached -- stat -c %u f
	[ "$output" = 100005 ]
	[ "$(mi)" = "$before" ]
}

@test "--beneath mounts under the top mount at TARGET" {
	"$TNOS" fsmount tmpfs "$D" -o size=1m >/dev/null
	touch "$D/on-top"
	top=$(mi_field "$D" 1)
	run -0 --separate-stderr "$TNOS" fsmount -J tmpfs "$D" --beneath -o size=2m
	new=$(jq .mnt_id_old <<<"$output")
	# the top mount's parent is now the new one, whose parent is the old parent
	[ "$(awk -v id="$top" '$1 == id { print $2 }' /proc/self/mountinfo)" = "$new" ]
	[ -e "$D/on-top" ]	# still the top one at the path
	[ "$(jq -r .mnt_point <<<"$output")" = "$D" ]
}

@test "fsconfig path, fd and binary values reach the kernel as such" {
	before=$(mi)
	# "source" must be a string: the kernel says so for each other type
	for o in "--set-path source=/dev/null" "--set-path-empty source=/dev/null" "--set-fd source=/dev/null"; do
		run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" $o
		[[ $stderr == *"Non-string source"* ]]
	done
	printf abc > "$D/blob"
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D" --set-binary "source=@$D/blob"
	[[ $stderr == *"Non-string source"* ]]
	[ "$(mi)" = "$before" ]
	run -2 --separate-stderr "$TNOS" fsmount tmpfs "$D" --set-binary source=blob
	[[ $stderr == *"@FILE"* ]]
}

@test "overlay from --set-fd lowerdir+ layers, in command-line order" {
	grep -qw overlay /proc/filesystems || tn_skip "no overlay"
	mkdir "$D/l1" "$D/l2" "$D/m"
	echo upper > "$D/l1/x"; echo lower > "$D/l2/x"; echo only2 > "$D/l2/y"
	run -0 --separate-stderr "$TNOS" fsmount overlay "$D/m" --source tnos-ovl --set-fd "lowerdir+=$D/l1" --set-fd "lowerdir+=$D/l2"
	[ "$(cat "$D/m/x")" = upper ]
	[ "$(cat "$D/m/y")" = only2 ]
	[ "$(findmnt -no SOURCE --mountpoint "$D/m")" = tnos-ovl ]
}

@test "-o splits on commas outside double quotes" {
	grep -qw overlay /proc/filesystems || tn_skip "no overlay"
	mkdir "$D/a,b" "$D/l" "$D/m"
	echo hi > "$D/a,b/f"
	run -0 --separate-stderr "$TNOS" fsmount overlay "$D/m" -o "lowerdir+=\"$D/a,b\",lowerdir+=$D/l"
	[ "$(cat "$D/m/f")" = hi ]
}

@test "--exclusive refuses to share a superblock; -v shows the kernel's warning" {
	grep -qw mqueue /proc/filesystems || tn_skip "no mqueue"
	before=$(mi)
	run -1 --separate-stderr "$TNOS" fsmount mqueue "$D" --exclusive
	[[ $stderr == *"--exclusive"* ]]
	[[ $stderr != *"reusing existing filesystem"* ]]
	run -1 --separate-stderr "$TNOS" fsmount mqueue "$D" --exclusive -v
	[[ $stderr == *"warning: "*"reusing existing filesystem"* ]]
	run -1 --separate-stderr "$TNOS" fsmount -J mqueue "$D" --exclusive
	jq -e '.messages[0] | startswith("w ")' <<<"$output"
	[ "$(mi)" = "$before" ]
	# without --exclusive the existing superblock is shared
	run -0 --separate-stderr "$TNOS" fsmount mqueue "$D"
	[ "$(findmnt -no FSTYPE --mountpoint "$D")" = mqueue ]
}

@test "usage errors: contradicting atime values, misplaced options, exit 2" {
	run -2 --separate-stderr "$TNOS" fsmount tmpfs "$D" --attr noatime,strictatime
	[[ $stderr == *"'noatime' and 'strictatime' are both atime settings"* ]]
	run -2 --separate-stderr "$TNOS" fsmount tmpfs "$D" --attr rw,ro
	[[ $stderr == *"contradict"* ]]
	run -2 --separate-stderr "$TNOS" fsmount tmpfs "$D" --attr idmapped
	[[ $stderr == *"--idmap"* ]]
	run -2 --separate-stderr "$TNOS" fsmount tmpfs
	[[ $stderr == *TARGET* ]]
	run -2 --separate-stderr "$TNOS" fsmount tmpfs --detached
	[[ $stderr == *"CMD"* ]]
	run -2 --separate-stderr "$TNOS" fsmount --bind "$D" -o size=1m "$D"
	run -2 --separate-stderr "$TNOS" fsmount tmpfs -R "$D"
	run -2 --separate-stderr "$TNOS" fsmount --reconfigure "$D"
	[[ $stderr == *"nothing to change"* ]]
	run -2 --separate-stderr "$TNOS" fsmount --reconfigure "$D" --attr ro -o size=1m
	[[ $stderr == *"tnos setattr"* ]]
}

@test "--list-columns: the statmount columns plus messages" {
	a=$("$TNOS" fsmount --list-columns -J | jq -c '[.columns[].key]')
	b=$("$TNOS" statmount --list-columns -J | jq -c '[.columns[].key] + ["messages"]')
	[ "$a" = "$b" ]
}

@test "an empty TARGET, --bind, --reconfigure or --set-* path is refused by name (ENOENT), nothing mounted" {
	want=$(empty_path_err)
	mkdir "$D/m"
	cd "$D/m"
	before=$(wc -l < /proc/self/mountinfo)
	for args in "tmpfs ''" "--bind '' $D/m" "--reconfigure '' -o size=1m"; do
		eval "run -1 --separate-stderr \"\$TNOS\" fsmount $args"
		[[ $stderr == "tnos fsmount: "*"'': $want" ]] || { echo "$args: $stderr"; return 1; }
	done
	# an empty path value of --set-*: refused before fsopen, never the
	# working directory (whose fd the kernel would take as the value)
	for o in --set-path --set-path-empty --set-fd; do
		run -1 --separate-stderr "$TNOS" fsmount tmpfs "$D/m" "$o" source=
		[ "$stderr" = "tnos fsmount: $o source='': $want" ] || { echo "$o: $stderr"; return 1; }
		[ -z "$output" ]
	done
	[ "$(wc -l < /proc/self/mountinfo)" = "$before" ]
}

@test "quiet on success: nothing printed, the mount is there; -v, --output and -J print the record" {
	run -0 --separate-stderr "$TNOS" fsmount tmpfs "$D" -o size=1m
	[ -z "$output$stderr" ]
	[ "$(findmnt -no FSTYPE,TARGET --mountpoint "$D")" = "tmpfs  $D" ]
	umount "$D"
	run -0 --separate-stderr "$TNOS" fsmount -v tmpfs "$D" --source quiet-v
	[ -z "$stderr" ]
	[ "$(findmnt -no SOURCE --mountpoint "$D")" = quiet-v ]
	grep -qx "TARGET: *$D" <<<"$output"
	grep -qx "SOURCE: *quiet-v" <<<"$output"
	grep -qx "OLD-ID: *$(mi_field "$D" 1)" <<<"$output"
	umount "$D"
	run -0 --separate-stderr "$TNOS" fsmount --output TARGET,SOURCE tmpfs "$D" --source quiet-o
	[ "$output" = "$(printf 'TARGET: %s\nSOURCE: quiet-o' "$(findmnt -no TARGET --mountpoint "$D")")" ]
	umount "$D"
	run -0 --separate-stderr "$TNOS" fsmount -J tmpfs "$D" --source quiet-j
	[ "$(jq -r .sb_source <<<"$output")" = "$(findmnt -no SOURCE --mountpoint "$D")" ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$(mi_field "$D" 1)" ]
	# --reconfigure is quiet too, -v prints the record
	run -0 --separate-stderr "$TNOS" fsmount --reconfigure "$D" -o size=2m
	[ -z "$output$stderr" ]
	[[ $(findmnt -no FS-OPTIONS --mountpoint "$D") == *size=2048k* ]]
	run -0 --separate-stderr "$TNOS" fsmount -v --reconfigure "$D" -o size=3m
	[[ $(findmnt -no FS-OPTIONS --mountpoint "$D") == *size=3072k* ]]
	grep -q "^OPTIONS: .*size=3072k" <<<"$output"
	# --bind: quiet, and the bind is there
	mkdir "$D/src" "$D/dst"
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" "$D/dst"
	[ -z "$output$stderr" ]
	[ "$(findmnt -no TARGET --mountpoint "$D/dst")" = "$D/dst" ]
}

@test "--detached -- CMD prints only what CMD prints" {
	run -0 --separate-stderr "$TNOS" fsmount tmpfs --source det-quiet --detached -- stat -f -c %T .
	[ "$output" = tmpfs ]
	[ -z "$stderr" ]
	! grep -q det-quiet /proc/self/mountinfo || false
}
