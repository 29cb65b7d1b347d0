#!/usr/bin/env bats
# tnos move: move_mount.  Oracles: /proc/self/mountinfo, findmnt, jq,
# setpriv, the kernel's errno.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
	mount -t tmpfs top "$D"
	mkdir "$D/a" "$D/b"
}

mi() { cat /proc/self/mountinfo; }
mid() { mi_field "$1" 1; }	# mountinfo id of the (top) mount at a path

@test "moves a mount: findmnt shows it at TO and no longer at FROM" {
	mount -t tmpfs moving "$D/a"
	touch "$D/a/marker"
	id=$(mid "$D/a")
	run -0 --separate-stderr "$TNOS" move -J "$D/a" "$D/b"
	[ "$(mid "$D/b")" = "$id" ]
	[ -z "$(findmnt -no TARGET --mountpoint "$D/a")" ]
	[ "$(findmnt -no SOURCE --mountpoint "$D/b")" = moving ]
	[ -e "$D/b/marker" ]
	[ "$(jq -r .mnt_point <<<"$output")" = "$D/b" ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$id" ]
	[ "$(jq -c keys <<<"$output")" = "$("$TNOS" statmount -J "$D/b" | jq -c keys)" ]
}

@test "--beneath: the moved mount goes under the top mount, which stays on top" {
	mount -t tmpfs upper "$D/b"
	touch "$D/b/on-top"
	mount -t tmpfs lower "$D/a"
	top=$(mid "$D/b")
	parent=$(mi_field "$D/b" 2)
	low=$(mid "$D/a")
	run -0 --separate-stderr "$TNOS" move -J --beneath "$D/a" "$D/b"
	# mountinfo: lower's parent is the old parent, upper's parent is lower
	[ "$(awk -v id="$low" '$1 == id { print $2, $5 }' /proc/self/mountinfo)" = "$parent $D/b" ]
	[ "$(awk -v id="$top" '$1 == id { print $2 }' /proc/self/mountinfo)" = "$low" ]
	[ -e "$D/b/on-top" ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$low" ]
}

@test "--set-group: TO joins FROM's peer group (mountinfo shared:N)" {
	mount -t tmpfs grp "$D/a"
	mount --make-shared "$D/a"
	mount --bind "$D/a" "$D/b"
	mount --make-private "$D/b"
	tag() { awk -v mp="$1" '$5 == mp { for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) print $i }' /proc/self/mountinfo; }
	[ -n "$(tag "$D/a")" ]
	[ -z "$(tag "$D/b")" ]
	run -0 --separate-stderr "$TNOS" move -J --set-group "$D/a" "$D/b"
	[ "$(tag "$D/b")" = "$(tag "$D/a")" ]
	[ "shared:$(jq .mnt_peer_group <<<"$output")" = "$(tag "$D/a")" ]
	[ "$(jq -r .mnt_point <<<"$output")" = "$D/b" ]
	# both still where they were
	[ -n "$(findmnt -no TARGET --mountpoint "$D/a")" ]
}

@test "--from-mount-id moves the mount with that id; an over-mounted one is refused" {
	mount -t tmpfs byid "$D/a"
	id=$("$TNOS" statmount -J "$D/a" | jq .mnt_id)
	run -0 --separate-stderr "$TNOS" move -J --from-mount-id "$id" "$D/b"
	[ "$(jq .mnt_id <<<"$output")" = "$id" ]
	[ "$(findmnt -no SOURCE --mountpoint "$D/b")" = byid ]
	# cover it: its mount point leads to another mount now
	mount -t tmpfs cover "$D/b"
	before=$(mi)
	run -1 --separate-stderr "$TNOS" move --from-mount-id "$id" "$D/a"
	[[ $stderr == "tnos move: --from-mount-id $id: its mount point $D/b now leads to another mount"* ]] || { echo "$stderr"; false; }
	[ "$(mi)" = "$before" ]
	run -1 --separate-stderr "$TNOS" move --from-mount-id 18446744073709551000 "$D/a"
	[[ $stderr == *"no such mount"* ]]
}

@test "FROM that is not a mount point, or under a shared mount: says so, nothing moves" {
	mkdir "$D/a/sub"
	before=$(mi)
	run -1 --separate-stderr "$TNOS" move "$D/a/sub" "$D/b"
	[[ $stderr == *"$D/a/sub: not a mount point"* ]]
	mount -t tmpfs inner "$D/a"
	mkdir "$D/a/in"; mount -t tmpfs in2 "$D/a/in"
	mount --make-shared "$D/a"
	before=$(mi)
	run -1 --separate-stderr "$TNOS" move "$D/a/in" "$D/b"
	[[ $stderr == *"$(errstr EINVAL)"*"parent mount is shared"* ]]
	[ "$(mi)" = "$before" ]
	run -1 --separate-stderr "$TNOS" move --beneath "$D/a/in" "$D/b"
	[[ $stderr == *"$D/b: not a mount point (--beneath needs one)"* ]]
	[ "$(mi)" = "$before" ]
}

@test "symlinks are followed only with --from-symlinks / --to-symlinks" {
	mount -t tmpfs linked "$D/a"
	ln -s "$D/a" "$D/from"
	ln -s "$D/b" "$D/to"
	before=$(mi)
	run -1 --separate-stderr "$TNOS" move "$D/from" "$D/b"
	[ "$(mi)" = "$before" ]
	run -1 --separate-stderr "$TNOS" move --from-symlinks "$D/from" "$D/to"
	[ "$(mi)" = "$before" ]
	run -0 --separate-stderr "$TNOS" move --from-symlinks --to-symlinks "$D/from" "$D/to"
	[ "$(findmnt -no SOURCE --mountpoint "$D/b")" = linked ]
}

@test "--from-empty-path / --to-empty-path pass the opened paths as fds" {
	mount -t tmpfs fds "$D/a"
	run -0 --separate-stderr "$TNOS" move --from-empty-path --to-empty-path "$D/a" "$D/b"
	[ "$(findmnt -no SOURCE --mountpoint "$D/b")" = fds ]
	run -0 --separate-stderr "$TNOS" move --flags from-empty-path "$D/b" "$D/a"
	[ "$(findmnt -no SOURCE --mountpoint "$D/a")" = fds ]
}

@test "a flag unknown to the kernel: exit 3; bad names: exit 2" {
	mount -t tmpfs x "$D/a"
	run -3 --separate-stderr "$TNOS" move --flags 0x40000000 "$D/a" "$D/b"
	[[ $stderr == *"0x40000000"* ]]
	run -2 --separate-stderr "$TNOS" move --flags nosuch "$D/a" "$D/b"
	[[ $stderr == *"unknown name 'nosuch'"* ]]
	run -2 --separate-stderr "$TNOS" move "$D/a"
	run -2 --separate-stderr "$TNOS" move --from-mount-id 1 "$D/a" "$D/b"
}

@test "every MOVE_MOUNT_* flag is an option, and --help lists it" {
	h=$("$TNOS" move --help)
	for f in from-symlinks from-automounts from-empty-path to-symlinks to-automounts to-empty-path set-group beneath; do
		[[ $h == *"--$f"* ]]
	done
}

@test "without CAP_SYS_ADMIN: says which capability, exit 1" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	P=$(tn_nobody_tmpfs move)
	mkdir "$P/a" "$P/b"
	mount -t tmpfs inner "$P/a"
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" move "$P/a" "$P/b"
	moved=$(findmnt -no TARGET --mountpoint "$P/b" || true)
	umount -R "$P"; rmdir "$P"
	[[ $stderr == *"move_mount: $(errstr EPERM)"*"CAP_SYS_ADMIN"* ]]
	[ -z "$moved" ]
}

@test "an empty FROM or TO is refused by name (ENOENT), nothing moves" {
	want=$(empty_path_err)
	mount -t tmpfs inner "$D/a"
	before=$(findmnt -no TARGET -R "$D")
	cd "$D/a"
	for args in "'' $D/b" "$D/a ''" "--from-mount-id '' $D/b"; do
		eval "run -1 --separate-stderr \"\$TNOS\" move $args"
		[ "$output" = "" ]
		[ "$stderr" = "tnos move: '': $want" ] || { echo "$args: $stderr"; return 1; }
	done
	[ "$(findmnt -no TARGET -R "$D")" = "$before" ]
}

@test "a mount moved beneath itself: the kernel's ELOOP, explained only when TO is inside FROM's tree" {
	mount -t tmpfs inner "$D/a"
	mkdir "$D/a/sub" "$D/a/s"
	mount -t tmpfs deeper "$D/a/s"
	mkdir "$D/a/s/x"
	ln -s loop "$D/loop"
	# the kernel's answers: mount(2) MS_MOVE of the same mount says ELOOP,
	# and so does a lookup through the symlink loop
	eloop=$(python3 - "$D/a" "$D/a/sub" "$D/loop/x" <<'PY'
import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
MS_MOVE = 8192
r = libc.mount(sys.argv[1].encode(), sys.argv[2].encode(), None, MS_MOVE, None)
assert r != 0 and ctypes.get_errno() == errno.ELOOP, os.strerror(ctypes.get_errno())
try: os.stat(sys.argv[3])
except OSError as e: assert e.errno == errno.ELOOP, e
else: sys.exit("the loop resolved")
print(os.strerror(errno.ELOOP))
PY
)
	before=$(findmnt -no TARGET -R "$D")
	for to in "$D/a/sub" "$D/a/s/x" "$D/a"; do
		run -1 --separate-stderr "$TNOS" move "$D/a" "$to"
		[ "$output" = "" ]
		[ "$stderr" = "tnos move: $D/a -> $to: move_mount: $eloop ($to is inside the mount tree being moved, and a mount cannot move beneath itself)" ]
	done
	# ELOOP for another reason (a symlink loop in TO) is left as it is
	run -1 --separate-stderr "$TNOS" move "$D/a" "$D/loop/x"
	[ "$stderr" = "tnos move: $D/a -> $D/loop/x: move_mount: $eloop" ]
	[ "$(findmnt -no TARGET -R "$D")" = "$before" ]
}

@test "quiet on success: nothing printed, findmnt shows the move; -v, -o and -J print the record" {
	mount -t tmpfs quiet-mv "$D/a"
	id=$(mid "$D/a")
	run -0 --separate-stderr "$TNOS" move "$D/a" "$D/b"
	[ -z "$output$stderr" ]
	[ "$(mid "$D/b")" = "$id" ]
	[ -z "$(findmnt -no TARGET --mountpoint "$D/a")" ]
	run -0 --separate-stderr "$TNOS" move -v "$D/b" "$D/a"
	[ -z "$stderr" ]
	[ "$(mid "$D/a")" = "$id" ]
	grep -qx "TARGET: *$D/a" <<<"$output"
	grep -qx "SOURCE: *$(findmnt -no SOURCE --mountpoint "$D/a")" <<<"$output"
	grep -qx "OLD-ID: *$id" <<<"$output"
	run -0 --separate-stderr "$TNOS" move -o TARGET,SOURCE "$D/a" "$D/b"
	[ "$output" = "$(printf 'TARGET: %s\nSOURCE: %s' "$(findmnt -no TARGET --mountpoint "$D/b")" quiet-mv)" ]
	run -0 --separate-stderr "$TNOS" move -J "$D/b" "$D/a"
	[ "$(jq -r .mnt_point <<<"$output")" = "$(findmnt -no TARGET --mountpoint "$D/a")" ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$id" ]
}

@test "a directory mount onto a non-directory, a file mount onto a directory: the kernel's EINVAL, and why" {
	mount -t tmpfs dirmnt "$D/a"
	touch "$D/f" "$D/g"
	mount --bind "$D/g" "$D/g"	# a mount of a regular file
	mkfifo "$D/p"
	# the kernel's answer to the bare move_mount(2) of each pair
	einval=$(python3 - "$D/a" "$D/f" "$D/g" "$D/b" "$D/a" "$D/p" <<'PY'
import ctypes, errno, os, sys
from sysnr import NR
libc = ctypes.CDLL(None, use_errno=True)
args = sys.argv[1:]
for src, dst in zip(args[::2], args[1::2]):
    r = libc.syscall(NR["move_mount"], -100, src.encode(), -100, dst.encode(), 0)
    e = ctypes.get_errno()
    assert r == -1 and e == errno.EINVAL, (src, dst, r, os.strerror(e))
print(os.strerror(errno.EINVAL))
PY
)
	before=$(mi)
	run -1 --separate-stderr "$TNOS" move "$D/a" "$D/f"
	[ "$output" = "" ]
	[ "$stderr" = "tnos move: $D/a -> $D/f: move_mount: $einval: a directory mount cannot go over a non-directory" ]
	run -1 --separate-stderr "$TNOS" move "$D/a" "$D/p"
	[ "$stderr" = "tnos move: $D/a -> $D/p: move_mount: $einval: a directory mount cannot go over a non-directory" ]
	run -1 --separate-stderr "$TNOS" move "$D/g" "$D/b"
	[ "$stderr" = "tnos move: $D/g -> $D/b: move_mount: $einval: a non-directory mount cannot go over a directory" ]
	# FROM and TO given as fds: the same
	run -1 --separate-stderr "$TNOS" move --from-empty-path --to-empty-path "$D/g" "$D/b"
	[ "$stderr" = "tnos move: $D/g -> $D/b: move_mount: $einval: a non-directory mount cannot go over a directory" ]
	[ "$(mi)" = "$before" ]
	# like onto like is moved
	run -0 --separate-stderr "$TNOS" move "$D/g" "$D/f"
	[ "$(awk -v mp="$D/f" '$5 == mp' /proc/self/mountinfo | wc -l)" = 1 ]
	[ -z "$(awk -v mp="$D/g" '$5 == mp' /proc/self/mountinfo)" ]
}

@test "a directory mount onto a file without CAP_SYS_ADMIN: the kernel's EPERM is what is said" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	P=$(tn_nobody_tmpfs move)
	mkdir "$P/a"
	touch "$P/f"
	mount -t tmpfs inner "$P/a"
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" move "$P/a" "$P/f"
	umount -R "$P"; rmdir "$P"
	# the EPERM and its hint, not the types' EINVAL explanation
	[[ $stderr == "tnos move: $P/a -> $P/f: move_mount: $(errstr EPERM) ("*CAP_SYS_ADMIN*")" ]] || { echo "$stderr"; false; }
}
