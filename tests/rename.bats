#!/usr/bin/env bats
# tnos rename: renameat2.  Oracles: stat(1) inode numbers and types, the
# files' contents, findmnt, setpriv, the kernel's errno.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
	cd "$D"
	echo from > a
	echo to > b
}


@test "plain: FROM replaces TO, the same inode, nothing printed" {
	ino=$(stat -c %i a)
	run -0 --separate-stderr "$TNOS" rename a b
	[ -z "$output$stderr" ]
	[ ! -e a ]
	[ "$(stat -c %i b)" = "$ino" ]
	[ "$(cat b)" = from ]
}

@test "--noreplace: an existing TO is kept and named, exit 1; a new TO is made" {
	run -1 --separate-stderr "$TNOS" rename --noreplace a b
	[ "$stderr" = "tnos rename: a -> b: b exists (--noreplace)" ]
	[ "$(cat a)" = from ]
	[ "$(cat b)" = to ]
	ino=$(stat -c %i a)
	run -0 "$TNOS" rename --noreplace a c
	[ "$(stat -c %i c)" = "$ino" ]
}

@test "--exchange: both swap atomically, a file for a directory too; a missing one is named" {
	ia=$(stat -c %i a) ib=$(stat -c %i b)
	run -0 "$TNOS" rename --exchange a b
	[ "$(stat -c %i a)" = "$ib" ]
	[ "$(stat -c %i b)" = "$ia" ]
	[ "$(cat a)" = to ]
	[ "$(cat b)" = from ]
	mkdir d
	run -0 "$TNOS" rename --flags exchange a d
	[ -d a ]
	[ -f d ]
	[ "$(cat d)" = to ]
	run -1 --separate-stderr "$TNOS" rename --exchange b nope
	[ "$stderr" = "tnos rename: b <-> nope: $(errstr ENOENT) (--exchange needs both to exist)" ]
	[ "$(cat b)" = from ]
}

@test "--whiteout: FROM becomes a 0:0 character device (overlayfs's whiteout)" {
	run -0 "$TNOS" rename --whiteout a w
	[ "$(cat w)" = from ]
	[ "$(stat -c '%F %Hr:%Lr' a)" = "character special file 0:0" ]
}

@test "--whiteout needs no CAP_MKNOD (Linux 5.8); EPERM from a sticky directory says so" {
	chmod 0755 "$TT" "$D"
	mkdir -m 1777 s
	echo x > s/root-owned
	# an unprivileged user makes a whiteout of their own file
	setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all sh -c 'echo u > s/mine'
	run -0 setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all "$TNOS" rename --whiteout s/mine s/moved
	[ "$(stat -c '%F %Hr:%Lr %u' s/mine)" = "character special file 0:0 65534" ]
	# the kernel's answer for a root-owned file in a sticky directory
	run -0 setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all /usr/bin/python3 -c '
import errno, os
try: os.rename("s/root-owned", "s/other")
except OSError as e: print(errno.errorcode[e.errno])'
	[ "$output" = EPERM ]
	run -1 --separate-stderr setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all "$TNOS" rename --whiteout s/root-owned s/other
	[ "$stderr" = "tnos rename: s/root-owned -> s/other: renameat2: $(errstr EPERM) (a sticky directory or an immutable file forbids it; before Linux 5.8 --whiteout also needed CAP_MKNOD)" ] || { echo "$stderr"; false; }
	[ "$(cat s/root-owned)" = x ]
	[ ! -e s/other ]
}

@test "across mounts: EXDEV explained, nothing moved" {
	mkdir m
	mount -t tmpfs other m
	run -1 --separate-stderr "$TNOS" rename a m/a
	umount m
	[[ $stderr == "tnos rename: a -> m/a: $(errstr EXDEV) (FROM and TO are on different mounts"* ]]
	[ "$(cat a)" = from ]
}

@test "--dir, --to-dir and --mount-id resolve the paths there" {
	mkdir -p x y
	mv a x/a
	cd /
	run -0 "$TNOS" rename --dir "$D/x" a a2
	[ "$(cat "$D/x/a2")" = from ]
	run -0 "$TNOS" rename --dir "$D/x" --to-dir "$D/y" a2 a3
	[ "$(cat "$D/y/a3")" = from ]
	mkdir "$D/m" && mount -t tmpfs by-id "$D/m" && echo in > "$D/m/f"
	id=$(unique_mnt_id "$D/m")
	run -0 "$TNOS" rename --mount-id "$id" f g
	[ "$(cat "$D/m/g")" = in ]
	umount "$D/m"
}

@test "usage: exit 2, nothing renamed" {
	run -2 --separate-stderr "$TNOS" rename a
	[[ $stderr == *"give FROM and TO"* ]]
	run -2 --separate-stderr "$TNOS" rename --exchange --noreplace a b
	[[ $stderr == *"--exchange cannot be combined with --noreplace or --whiteout"* ]]
	run -2 --separate-stderr "$TNOS" rename --flags swap a b
	[[ $stderr == *"unknown name 'swap' (known: noreplace exchange whiteout)"* ]]
	run -2 "$TNOS" rename a b c
	[ "$(cat a)" = from ]
	[ "$(cat b)" = to ]
}

@test "a flag the kernel does not know: exit 3 with the flag named" {
	run -3 --separate-stderr "$TNOS" rename --flags 0x80 a b
	[ "$stderr" = "tnos rename: --flags 0x80: renameat2: the kernel does not know these flag bits (EINVAL), nor does this build" ]
	[ "$(cat a)" = from ]
}

@test "as nobody: the kernel's EACCES is named for an unwritable directory" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	chmod 755 "$D"
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" rename "$D/a" "$D/c"
	[ "$stderr" = "tnos rename: $D/a -> $D/c: renameat2: $(errstr EACCES)" ]
	[ -e "$D/a" ]
}

@test "an empty FROM, TO, --dir or --to-dir is refused by name (ENOENT), nothing renamed" {
	want=$(empty_path_err)
	for args in "'' b" "a ''" "--dir '' a b" "--to-dir '' a b"; do
		eval "run -1 --separate-stderr \"\$TNOS\" rename $args"
		[[ $stderr == "tnos rename: "*"'': $want" ]] || { echo "$args: $stderr"; return 1; }
		[ "$(echo "$stderr" | wc -l)" = 1 ]
	done
	[ "$(cat a)" = from ]
	[ "$(cat b)" = to ]
}
