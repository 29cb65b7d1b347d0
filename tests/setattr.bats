#!/usr/bin/env bats
# tnos setattr: mount_setattr.  Oracles: /proc/self/mountinfo, findmnt, jq,
# setpriv, the kernel's errno.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
	mount -t tmpfs top "$D"
}

teardown() {
	[ -z "${NSPID:-}" ] || kill "$NSPID" 2>/dev/null || true
}

mi() { cat /proc/self/mountinfo; }
attrs() { mi_field "$1" 6; }	# per-mount options as mountinfo shows them

@test "--set and --clear flags: mountinfo shows them" {
	run -0 --separate-stderr "$TNOS" setattr -J --set nosuid,nodev,noexec "$D"
	[ "$(attrs "$D")" = "rw,nosuid,nodev,noexec,relatime" ]
	jq -e '.mnt_attr == ["rw","nosuid","nodev","noexec","relatime"]' <<<"$output"
	[ "$(jq -r .mnt_point <<<"$output")" = "$D" ]
	run -0 --separate-stderr "$TNOS" setattr --clear nodev,noexec "$D"
	[ "$(attrs "$D")" = "rw,nosuid,relatime" ]
	run -0 --separate-stderr "$TNOS" setattr --set ro,nosymfollow "$D"
	[ "$(attrs "$D")" = "ro,nosuid,relatime,nosymfollow" ]
	run -0 --separate-stderr "$TNOS" setattr --set rw "$D"
	[ "$(attrs "$D")" = "rw,nosuid,relatime,nosymfollow" ]
}

@test "the atime setting is one value: each --set replaces the last" {
	"$TNOS" setattr --set noatime "$D" >/dev/null
	[ "$(attrs "$D")" = "rw,noatime" ]
	"$TNOS" setattr --set strictatime "$D" >/dev/null
	[ "$(attrs "$D")" = "rw" ]	# strictatime: mountinfo shows neither
	[ "$(findmnt -no VFS-OPTIONS --mountpoint "$D")" = "rw" ]
	"$TNOS" setattr --set relatime "$D" >/dev/null
	[ "$(attrs "$D")" = "rw,relatime" ]
	"$TNOS" setattr --set noatime,nodiratime "$D" >/dev/null
	[ "$(attrs "$D")" = "rw,noatime,nodiratime" ]
	# clearing an atime value gives back the default, relatime
	run -0 --separate-stderr "$TNOS" setattr -J --clear noatime "$D"
	[ "$(attrs "$D")" = "rw,nodiratime,relatime" ]
	jq -e '.mnt_attr | index("relatime")' <<<"$output"
}

@test "contradicting atime values are a usage error that says why; nothing changes" {
	before=$(mi)
	run -2 --separate-stderr "$TNOS" setattr --set noatime,strictatime "$D"
	[[ $stderr == *"'noatime' and 'strictatime' are both atime settings"*"choose one"* ]]
	[ -z "$output" ]
	run -2 --separate-stderr "$TNOS" setattr --set noatime --set relatime "$D"
	[[ $stderr == *"atime"* ]]
	run -2 --separate-stderr "$TNOS" setattr --set noatime --clear strictatime "$D"
	[[ $stderr == *"atime"* ]]
	run -2 --separate-stderr "$TNOS" setattr --clear relatime "$D"
	[[ $stderr == *"relatime is the default"* ]]
	run -2 --separate-stderr "$TNOS" setattr --set nosuid --clear nosuid "$D"
	[[ $stderr == *"'nosuid' is both in --set and in --clear"* ]]
	run -2 --separate-stderr "$TNOS" setattr --set bogus "$D"
	[[ $stderr == *"unknown name 'bogus'"* ]]
	run -2 --separate-stderr "$TNOS" setattr "$D"
	[[ $stderr == *"nothing to change"* ]]
	[ "$(mi)" = "$before" ]
}

@test "--propagation: mountinfo's shared:N is the record's peer group" {
	run -0 --separate-stderr "$TNOS" setattr -J --propagation shared "$D"
	tag=$(awk -v mp="$D" '$5 == mp { for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) print $i }' /proc/self/mountinfo)
	[ -n "$tag" ]
	[ "shared:$(jq .mnt_peer_group <<<"$output")" = "$tag" ]
	jq -e '.mnt_propagation == ["shared"]' <<<"$output"
	[ "$(findmnt -no PROPAGATION --mountpoint "$D")" = shared ]
	run -0 --separate-stderr "$TNOS" setattr --propagation private "$D"
	[ "$(findmnt -no PROPAGATION --mountpoint "$D")" = private ]
	run -0 --separate-stderr "$TNOS" setattr --propagation unbindable "$D"
	[ "$(findmnt -no PROPAGATION --mountpoint "$D")" = "private,unbindable" ]
	run -2 --separate-stderr "$TNOS" setattr --propagation shared,slave "$D"
}

@test "-R changes the whole subtree; without it only the mount itself" {
	mkdir "$D/a"; mount -t tmpfs a "$D/a"
	mkdir "$D/a/b"; mount -t tmpfs b "$D/a/b"
	run -0 --separate-stderr "$TNOS" setattr --set nosuid "$D"
	[ "$(attrs "$D")" = "rw,nosuid,relatime" ]
	[ "$(attrs "$D/a")" = "rw,relatime" ]
	run -0 --separate-stderr "$TNOS" setattr -R --set ro,nodev "$D"
	for m in "$D" "$D/a" "$D/a/b"; do
		[[ $(findmnt -no VFS-OPTIONS --mountpoint "$m") == ro,*nodev* ]]
	done
}

@test "a failing recursive change changes nothing" {
	mkdir "$D/a"; mount -t tmpfs a "$D/a"
	mkdir "$D/a/b"; mount -t tmpfs b "$D/a/b"
	before=$(mi)
	# a file open for writing on the deepest mount: the kernel refuses ro
	# there (EBUSY) after nosuid could have applied to the mounts above
	exec {busy}>"$D/a/b/busy"
	run -1 --separate-stderr "$TNOS" setattr -R --set nosuid,ro "$D"
	exec {busy}>&-
	[[ $stderr == *"$(python3 -c 'import os,errno; print(os.strerror(errno.EBUSY))')"* ]]
	[[ $stderr == *"nothing was changed"* ]]
	[ "$(mi)" = "$before" ]
	for m in "$D" "$D/a" "$D/a/b"; do
		[[ $(attrs "$m") != *nosuid* ]]
	done
	# once the file is closed it works
	run -0 --separate-stderr "$TNOS" setattr -R --set nosuid,ro "$D"
	[[ $(attrs "$D/a/b") == ro,nosuid* ]]
}

@test "--idmap on an attached mount: the kernel refuses, the message says what to do" {
	mkfifo "$D/fifo"
	unshare -U sh -c "echo ready > '$D/fifo'; exec sleep 1000" >/dev/null 2>&1 3>&- &
	NSPID=$!
	pid=$NSPID
	read -r _ < "$D/fifo"
	echo "0 100000 65536" > /proc/$pid/uid_map
	echo "0 100000 65536" > /proc/$pid/gid_map
	before=$(mi)
	run -1 --separate-stderr "$TNOS" setattr --idmap "$pid" "$D"
	[[ $stderr == *"only a detached mount can be idmapped"*"tnos fsmount --bind"* ]]
	# the initial user namespace cannot idmap anything (EPERM)
	run -1 --separate-stderr "$TNOS" setattr --idmap /proc/self/ns/user "$D"
	[[ $stderr == *"$(python3 -c 'import os,errno; print(os.strerror(errno.EPERM))')"* ]]
	run -1 --separate-stderr "$TNOS" setattr --idmap /proc/self/ns/mnt "$D"
	[[ $stderr == *"not a user namespace"* ]]
	[ "$(mi)" = "$before" ]
}

@test "--idmap MAP on a detached mount: the ids move as the map says" {
	mkdir "$D/src"
	touch "$D/src/f"
	chown 7:9 "$D/src/f"
	run -0 --separate-stderr "$TNOS" fsmount --bind "$D/src" --detached -- \
		sh -c '"$0" setattr --idmap "u:0:100000:65536 g:0:200000:65536" . && stat -c %u:%g f' "$TNOS"
	[ "$output" = 100007:200009 ]
	[ "$(stat -c %u:%g "$D/src/f")" = 7:9 ]
	# a bad map is refused before anything is looked at
	run -2 --separate-stderr "$TNOS" setattr --idmap "u:0:1:1 u:0:2:1" /nonexistent
	[ "${stderr_lines[0]}" = "tnos setattr: --idmap: 'u:0:2:1' overlaps u:0:1:1: each id may be mapped once, and to one id" ]
}

@test "--dir DIR and --mount-id ID name the mount; an over-mounted id is refused" {
	run -0 --separate-stderr "$TNOS" setattr --dir "$D" --set noexec
	[ "$(attrs "$D")" = "rw,noexec,relatime" ]
	mkdir "$D/a"; mount -t tmpfs a "$D/a"
	id=$("$TNOS" statmount -J "$D/a" | jq .mnt_id)
	run -0 --separate-stderr "$TNOS" setattr -J --mount-id "$id" --set nodev
	[ "$(attrs "$D/a")" = "rw,nodev,relatime" ]
	[ "$(jq .mnt_id <<<"$output")" = "$id" ]
	# something mounted over it: opening by path would give the wrong mount
	mount -t tmpfs over "$D/a"
	before=$(mi)
	run -1 --separate-stderr "$TNOS" setattr --mount-id "$id" --set nosuid
	[[ $stderr == "tnos setattr: --mount-id $id: its mount point $D/a now leads to another mount"* ]] || { echo "$stderr"; false; }
	[ "$(mi)" = "$before" ]
	run -2 --separate-stderr "$TNOS" setattr --mount-id "$id" --dir "$D" --set nosuid
	# the wording openat2, statx, fhandle and rename use
	[ "${stderr_lines[0]}" = "tnos setattr: --dir and --mount-id cannot be used together" ]
	run -2 --separate-stderr "$TNOS" openat2 --mount-id "$id" --dir "$D" f
	[ "${stderr_lines[0]}" = "tnos openat2: --dir and --mount-id cannot be used together" ]
}

@test "a path that is not a mount point says so" {
	mkdir "$D/sub"
	run -1 --separate-stderr "$TNOS" setattr --set nosuid "$D/sub"
	[[ $stderr == *"$D/sub: not a mount point"* ]]
	run -1 --separate-stderr "$TNOS" setattr --set nosuid "$D/nope"
	[[ $stderr == *"$D/nope"*"$(python3 -c 'import os,errno; print(os.strerror(errno.ENOENT))')"* ]]
}

@test "without CAP_SYS_ADMIN: says which capability, exit 1" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	# a mount point the unprivileged user can reach (our namespace only)
	P=$(tn_nobody_tmpfs setattr)
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" setattr --set nosuid "$P"
	a=$(mi_field "$P" 6)
	umount "$P"; rmdir "$P"
	[[ $stderr == *"mount_setattr: $(python3 -c 'import os,errno; print(os.strerror(errno.EPERM))')"*"CAP_SYS_ADMIN"* ]]
	[ "$a" = "rw,relatime" ]
}

@test "the record has the same keys as tnos statmount; -P pairs eval" {
	run -0 --separate-stderr "$TNOS" setattr -J --set nosuid "$D"
	[ "$(jq -c keys <<<"$output")" = "$("$TNOS" statmount -J "$D" | jq -c keys)" ]
	run -0 --separate-stderr "$TNOS" setattr -P --output TARGET,ATTR --set nodev "$D"
	eval "$output"
	[ "$TARGET" = "$D" ]
	[ "$ATTR" = "rw,nosuid,nodev,relatime" ]
}

@test "an empty PATH is refused by name (ENOENT), and the working directory's mount is left alone" {
	want=$(empty_path_err)
	cd "$D"	# a mount root: AT_EMPTY_PATH on "" would make it read-only
	run -1 --separate-stderr "$TNOS" setattr --set ro ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos setattr: '': $want" ]
	[[ ,$(findmnt -no VFS-OPTIONS "$D"), == *,rw,* ]]
	for args in "--dir ''" "--mount-id ''" "--idmap '' ."; do
		eval "run -1 --separate-stderr \"\$TNOS\" setattr --set ro $args"
		[[ $stderr == "tnos setattr: "*"'': $want" ]] || { echo "$args: $stderr"; return 1; }
	done
	[[ ,$(findmnt -no VFS-OPTIONS "$D"), == *,rw,* ]]
}

@test "--mount-id of a mount whose mount point is longer than PATH_MAX: refused as such, nothing changed" {
	n=$(printf 'x%.0s' $(seq 250))
	# python itself, not a wrapper that may change directory to a too long path
	PATH=$(dirname "$(python3 -c 'import sys; print(sys.executable)')"):$PATH
	cd "$D"
	for i in $(seq 17); do
		mkdir "$n"
		cd "$n"
	done
	mkdir "$n"
	# mount(8) makes the target absolute, and too long: mount(2) by a relative path
	python3 -c 'import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.mount(b"deep", sys.argv[1].encode(), b"tmpfs", 0, None):
	sys.exit(os.strerror(ctypes.get_errno()))' "$n"
	cd "$n"
	d=$PWD
	[ "${#d}" -gt 4096 ]
	# the kernel's own mount table has the whole path
	line=$(grep -F " $d " /proc/self/mountinfo)
	id=$(unique_mnt_id .)
	cd /
	run -1 --separate-stderr "$TNOS" setattr --mount-id "$id" --set ro
	[[ $stderr == "tnos setattr: --mount-id $id: its mount point is longer than the 4095 bytes a path may have ($D/xxx"*"...), so it cannot be opened and checked by path" ]] || { echo "$stderr"; false; }
	[ "$(grep -F " $d " /proc/self/mountinfo)" = "$line" ]
}

@test "an attribute both in --set and in --clear is named, ro (a field, not a bit) too; nothing changes" {
	before=$(findmnt -no VFS-OPTIONS "$D")
	# the names mountinfo uses for them, from findmnt after a real change
	mount -o remount,bind,ro,nosuid "$D"
	names=$(findmnt -no VFS-OPTIONS "$D" | tr , '\n' | grep -x -e ro -e nosuid | sort | tr '\n' ' ')
	mount -o remount,bind,rw,suid "$D"
	[ "$names" = "nosuid ro " ]
	run -2 --separate-stderr "$TNOS" setattr --set ro --clear ro "$D"
	[ "$output" = "" ]
	[ "$(echo "$stderr" | head -1)" = "tnos setattr: 'ro' is both in --set and in --clear: choose one" ]
	run -2 --separate-stderr "$TNOS" setattr --set ro,nosuid --clear nosuid,ro "$D"
	[ "$(echo "$stderr" | head -1)" = "tnos setattr: 'ro', 'nosuid' are both in --set and in --clear: choose one" ]
	[ "$(findmnt -no VFS-OPTIONS "$D")" = "$before" ]
}

@test "a bad --output is refused before the mount is changed (the record is printed after)" {
	before=$(findmnt -no VFS-OPTIONS "$D")
	for s in '' 'TARGET,' 'TARGET,NOPE'; do
		run -2 --separate-stderr "$TNOS" setattr --set ro --output "$s" "$D"
		[ -z "$output" ]
		[ "$(findmnt -no VFS-OPTIONS "$D")" = "$before" ] || { echo "-o '$s' changed it"; return 1; }
	done
}

@test "quiet on success: nothing printed, mountinfo changed; -v, -o and -J print the record" {
	run -0 --separate-stderr "$TNOS" setattr --set nosuid "$D"
	[ -z "$output$stderr" ]
	[ "$(attrs "$D")" = "rw,nosuid,relatime" ]
	run -0 --separate-stderr "$TNOS" setattr -v --set nodev "$D"
	[ -z "$stderr" ]
	[ "$(attrs "$D")" = "rw,nosuid,nodev,relatime" ]
	grep -qx "TARGET: *$D" <<<"$output"
	grep -qx "ATTR: *$(attrs "$D")" <<<"$output"
	grep -qx "OLD-ID: *$(mi_field "$D" 1)" <<<"$output"
	run -0 --separate-stderr "$TNOS" setattr -o ATTR --set noexec "$D"
	[ "$output" = "ATTR: $(attrs "$D")" ]
	[ "$(attrs "$D")" = "rw,nosuid,nodev,noexec,relatime" ]
	run -0 --separate-stderr "$TNOS" setattr -J --clear noexec "$D"
	[ "$(attrs "$D")" = "rw,nosuid,nodev,relatime" ]
	[ "$(jq -r '.mnt_attr | join(",")' <<<"$output")" = "$(attrs "$D")" ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$(mi_field "$D" 1)" ]
	run -0 --separate-stderr "$TNOS" setattr -P -o TARGET --propagation private "$D"
	[ "$output" = "TARGET=\"$D\"" ]
}

# in_detached OPTIONS...: tnos setattr OPTIONS run inside a detached bind
# mount of $D/src (fsmount --detached), and what the kernel says of that
# mount afterwards, as one JSON object: the command's rc, stdout, stderr;
# the mount's unique id (statx), statmount by that id and through an fd on
# it (STATMOUNT_BY_FD: "ok" or the errno's name), and its statvfs flags.
in_detached() {
	cat >"$BATS_TEST_TMPDIR/in-detached.py" <<'PY'
import ctypes, errno, json, os, struct, subprocess, sys
from sysnr import NR
libc = ctypes.CDLL(None, use_errno=True)
p = subprocess.run(sys.argv[1:], capture_output=True)
stx = ctypes.create_string_buffer(256)
r = libc.syscall(NR["statx"], ctypes.c_int(-100), b".", ctypes.c_int(0), ctypes.c_uint(0x4000), stx)
assert r == 0, os.strerror(ctypes.get_errno())
mnt_id = struct.unpack_from("Q", stx.raw, 0x90)[0]
def statmount(mnt_id, fd, flags):
    # struct mnt_id_req: size, mnt_ns_fd (the mount fd with BY_FD), mnt_id,
    # param (STATMOUNT_MNT_BASIC), mnt_ns_id
    req = ctypes.create_string_buffer(struct.pack("IIQQQ", 32, fd, mnt_id, 0x2, 0))
    sm = ctypes.create_string_buffer(4096)
    if libc.syscall(NR["statmount"], req, sm, ctypes.c_size_t(4096), ctypes.c_uint(flags)):
        return errno.errorcode[ctypes.get_errno()]
    assert struct.unpack_from("Q", sm.raw, 40)[0] == mnt_id
    return "ok"
fd = os.open(".", os.O_PATH)
f = os.statvfs(".").f_flag
print(json.dumps({
    "rc": p.returncode, "stdout": p.stdout.decode(), "stderr": p.stderr.decode(),
    "mnt_id": mnt_id, "by_id": statmount(mnt_id, 0, 0), "by_fd": statmount(0, fd, 1),
    "flags": [n for n, b in (("nosuid", os.ST_NOSUID), ("nodev", os.ST_NODEV),
                             ("noexec", os.ST_NOEXEC)) if f & b]}))
PY
	mkdir -p "$D/src"
	"$TNOS" fsmount --bind "$D/src" --detached -- python3 "$BATS_TEST_TMPDIR/in-detached.py" \
		"$TNOS" setattr "$@"
}

@test "a detached mount: changed, exit 0; its record through an fd, or one line saying why it cannot be" {
	for opts in "-J --set nosuid,nodev ." "-v --set nosuid,nodev ." "--dir . -o ID,ATTR --set nosuid,nodev" "--set nosuid,nodev ."; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr in_detached $opts
		j=$output
		# the kernel finds no such mount by its id: it is in no namespace
		[ "$(jq -r .by_id <<<"$j")" = ENOENT ]
		# the change is made, and it is no failure
		[ "$(jq -c .flags <<<"$j")" = '["nosuid","nodev"]' ] || { echo "$opts: $j"; false; }
		[ "$(jq .rc <<<"$j")" = 0 ] || { echo "$opts: $j"; false; }
		id=$(jq .mnt_id <<<"$j")
		out=$(jq -r .stdout <<<"$j")
		err=$(jq -r .stderr <<<"$j")
		if [ "$opts" = "--set nosuid,nodev ." ]; then
			[ -z "$out$err" ]	# nothing asked, nothing said
		elif [ "$(jq -r .by_fd <<<"$j")" != ok ]; then
			# the kernel cannot read it through an fd either (EINVAL: no
			# STATMOUNT_BY_FD, before Linux 7.0): no record, one line why
			by_fd=$(jq -r .by_fd <<<"$j")
			why="through an fd on it failed: $(errstr "$by_fd")"
			[ "$by_fd" != EINVAL ] || why="reads such a mount only through an fd, from Linux 7.0 on"
			[ -z "$out" ]
			[ "$err" = "tnos setattr: .: changed, but its record cannot be shown: mount $id is not in this process's mount namespace (a detached mount is in none), and statmount $why" ] || { echo "$opts: $err"; false; }
		else
			# the kernel reads it through an fd: so does tnos
			[ -z "$err" ]
			case $opts in
			-J*)
				[ "$(jq .mnt_id <<<"$out")" = "$id" ]
				jq -e '.mnt_attr | index("nosuid") and index("nodev")' <<<"$out" ;;
			*)	# -v: every field; -o ID,ATTR: those two
				grep -qx "ID: *$id" <<<"$out"
				grep -qx "ATTR: *rw,nosuid,nodev,.*" <<<"$out" ;;
			esac
		fi
	done
}
