#!/usr/bin/env bats
# tnos umount: umount2.  Oracles: /proc/self/mountinfo, findmnt, statx
# through python (unique ids), setpriv, the kernel's errno.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
	mount -t tmpfs top "$D"
	mkdir "$D/a" "$D/b"
}

mounted() { findmnt -no TARGET --mountpoint "$1" >/dev/null; }

# busy NAME: a tmpfs NAME mounted at $D/a and held busy by a process ($pid)
# whose working directory it is
busy() {
	mount -t tmpfs "$1" "$D/a"
	(cd "$D/a" && exec sleep 30) &
	pid=$!
	sleep 0.2
}

@test "unmounts the mount; the record printed is the one mountinfo had" {
	mount -t tmpfs -o size=2m,mode=0711 gone-src "$D/a"
	old=$(mi_field "$D/a" 1)
	opts=$(findmnt -no FS-OPTIONS --mountpoint "$D/a")
	run -0 --separate-stderr "$TNOS" umount -J "$D/a"
	! mounted "$D/a" || false
	! grep -q " $D/a " /proc/self/mountinfo || false
	[ "$(jq -r .mnt_point <<<"$output")" = "$D/a" ]
	[ "$(jq -r .sb_source <<<"$output")" = gone-src ]
	[ "$(jq -r .fs_type <<<"$output")" = tmpfs ]
	[ "$(jq .mnt_id_old <<<"$output")" = "$old" ]
	[ "$(jq -r .mnt_opts <<<"$output")" = "$opts" ]
	[ -z "$stderr" ]
}

@test "-R: every mount below, each before its parent, then the mount; findmnt's tree is gone" {
	mount -t tmpfs r0 "$D/a"
	mkdir -p "$D/a/x" "$D/a/y"
	mount -t tmpfs r1 "$D/a/x"
	mkdir "$D/a/x/z"
	mount -t tmpfs r2 "$D/a/x/z"
	mount -t tmpfs r3 "$D/a/y"
	want=$(findmnt -R -l -no TARGET "$D/a" | sort)
	[ "$(wc -l <<<"$want")" -eq 4 ]
	run -0 --separate-stderr "$TNOS" umount -R -J "$D/a"
	! mounted "$D/a" || false
	[ -z "$(findmnt -R -l -no TARGET "$D/a" 2>/dev/null)" ]
	[ "$(jq -r '.mounts[].mnt_point' <<<"$output" | sort)" = "$want" ]
	# each mount comes before its parent
	order=$(jq -r '.mounts[].mnt_point' <<<"$output")
	[ "$(tail -1 <<<"$order")" = "$D/a" ]
	[ "$(grep -n "^$D/a/x/z\$" <<<"$order" | cut -d: -f1)" -lt "$(grep -n "^$D/a/x\$" <<<"$order" | cut -d: -f1)" ]
}

# mi_under DIR: "POINT SOURCE" of each mount at DIR or below it, as
# /proc/self/mountinfo has them (POINT without DIR), in mount order
mi_under() {
	awk -v d="$1" '{ for (i = 7; $i != "-"; i++); }
		$5 == d || index($5, d "/") == 1 { print substr($5, length(d) + 1) "/ " $(i + 2) }' /proc/self/mountinfo
}

# stacked DIR: a tree at DIR with a stack: st-b2 is mounted over st-b at
# DIR/b, hiding st-c, mounted on st-b's DIR/b/c
stacked() {
	mount -t tmpfs st-a "$1"
	mkdir "$1/b"
	mount -t tmpfs st-b "$1/b"
	mkdir "$1/b/c"
	mount -t tmpfs st-c "$1/b/c"
	mount -t tmpfs st-b2 "$1/b"
	mkdir "$1/b/f"
	mount -t tmpfs st-f "$1/b/f"
}

@test "-R over covered mounts: a stacked mount and one hiding a sibling go first; mountinfo has none of the tree left" {
	stacked "$D/a"
	stacked "$D/b"
	# and st-s on DIR/s, the directory that holds st-t, a mount of its
	# sibling (util-linux umount -R stops at that one)
	mkdir -p "$D/a/s/t"
	mount -t tmpfs st-t "$D/a/s/t"
	mount -t tmpfs st-s "$D/a/s"
	old=$(awk -v d="$D/a" '$5 == d || index($5, d "/") == 1 { print $1 }' /proc/self/mountinfo | sort -n)
	[ "$(wc -l <<<"$old")" -eq 7 ]
	# util-linux umount -R clears the stack on an identical tree
	[ "$(mi_under "$D/b" | wc -l)" -eq 5 ]
	umount -R "$D/b"
	[ -z "$(mi_under "$D/b")" ]
	run -0 --separate-stderr "$TNOS" umount -R -J "$D/a"
	[ -z "$stderr" ]
	[ -z "$(mi_under "$D/a")" ]
	# the records printed are those of the mounts mountinfo had
	[ "$(jq '.mounts[].mnt_id_old' <<<"$output" | sort -n)" = "$old" ]
}

@test "-R on a stacked mount point: the top mount and its tree go, the covered one stays, as with util-linux umount -R" {
	for d in "$D/a" "$D/b"; do
		mount -t tmpfs under "$d"
		mkdir "$d/u"
		mount -t tmpfs under-u "$d/u"
		mount -t tmpfs over "$d"
		mkdir "$d/o"
		mount -t tmpfs over-o "$d/o"
	done
	umount -R "$D/b"
	want=$(mi_under "$D/b")
	[ "$want" = "/ under
/u/ under-u" ]
	run -0 --separate-stderr "$TNOS" umount -R "$D/a"
	[ -z "$output$stderr" ]
	[ "$(mi_under "$D/a")" = "$want" ]
}

@test "-R: a mount that an earlier unmount took with it (propagation to a peer) is passed over, as util-linux umount -R does" {
	for d in "$D/a" "$D/b"; do
		mount -t tmpfs shared-top "$d"
		mount --make-shared "$d"
		mkdir "$d/p" "$d/q"
		mount --bind "$d/p" "$d/q"	# a peer of $d: mounts on p show on q too
		mount -t tmpfs on-p "$d/p"
		[ "$(mi_under "$d" | wc -l)" -eq 4 ]
	done
	umount -R "$D/b"
	[ -z "$(mi_under "$D/b")" ]
	run -0 --separate-stderr "$TNOS" umount -R -o SOURCE -n "$D/a"
	[ -z "$stderr" ]
	[ -z "$(mi_under "$D/a")" ]
	# one of the two on-p went with the other
	[ "$(grep -c '^on-p$' <<<"$output")" -eq 1 ]
}

@test "not a mount point, or missing: exit 1, named, nothing unmounted" {
	before=$(cat /proc/self/mountinfo)
	run -1 --separate-stderr "$TNOS" umount "$D/a"
	[ "$stderr" = "tnos umount: $D/a: not a mount point" ]
	run -1 --separate-stderr "$TNOS" umount "$D/nope"
	[ "$stderr" = "tnos umount: $D/nope: $(errstr ENOENT)" ]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	[ -z "$output" ]
}

@test "busy: EBUSY explained with the way out, the mount stays; --detach (or --lazy) takes it away at once" {
	busy busy
	run -1 --separate-stderr "$TNOS" umount "$D/a"
	[[ $stderr == "tnos umount: $D/a: umount2: $(errstr EBUSY) ("*"--detach"* ]]
	mounted "$D/a"
	run -0 --separate-stderr "$TNOS" umount -l -o TARGET,SOURCE -n "$D/a"
	kill "$pid"
	[ "$output" = "$D/a
busy" ]
	! mounted "$D/a" || false
	# --lazy, as umount(8) spells it, is --detach
	busy busy2
	run -0 --separate-stderr "$TNOS" umount --lazy "$D/a"
	kill "$pid"
	[ -z "$output$stderr" ]
	! mounted "$D/a" || false
}

@test "--force: an idle mount goes; a busy tmpfs stays busy (tmpfs has no forced unmount)" {
	busy forced
	run -1 --separate-stderr "$TNOS" umount --force "$D/a"
	kill "$pid"
	[[ $stderr == "tnos umount: $D/a: umount2: $(errstr EBUSY) ("* ]]
	mounted "$D/a"
	wait "$pid" || true
	run -0 --separate-stderr "$TNOS" umount -f -o SOURCE -n "$D/a"
	[ "$output" = forced ]
	! mounted "$D/a" || false
}

@test "--mount-id: by the unique id statx gives; an over-mounted one is refused; an old id explained" {
	mount -t tmpfs by-id "$D/a"
	id=$(unique_mnt_id "$D/a")
	mount -t tmpfs over "$D/a"
	before=$(cat /proc/self/mountinfo)
	run -1 --separate-stderr "$TNOS" umount --mount-id "$id"
	[[ $stderr == *"mount $id: its mount point $D/a now leads to another mount"*"not unmounting the wrong one" ]]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	umount "$D/a"
	run -1 --separate-stderr "$TNOS" umount --mount-id "$(mi_field "$D/a" 1)"
	[[ $stderr == *"old mount id"*"$id"* ]]
	run -0 --separate-stderr "$TNOS" umount --mount-id "$id" -J
	[ "$(jq .mnt_id <<<"$output")" = "$id" ]
	! mounted "$D/a" || false
}

@test "--mount-id of a mount hidden by one over a directory on the way: one line naming its mount point, nothing unmounted" {
	mount -t tmpfs holder "$D/a"
	mkdir -p "$D/a/s/t"
	mount -t tmpfs hidden "$D/a/s/t"
	id=$(unique_mnt_id "$D/a/s/t")
	mount -t tmpfs hider "$D/a/s"
	before=$(cat /proc/self/mountinfo)
	run -1 --separate-stderr "$TNOS" umount --mount-id "$id"
	[ "$stderr" = "tnos umount: mount $id: its mount point $D/a/s/t: $(errstr ENOENT)" ]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	[ -z "$output" ]
}

@test "--mount-id, --from-mount-id: a path is refused (exit 2), never taken for the mount holding it" {
	mount -t tmpfs held "$D/a"
	mkdir -p "$D/a/deep/dir"
	before=$(cat /proc/self/mountinfo)
	for cmd in "umount --mount-id $D/a/deep/dir" "setattr --mount-id $D/a/deep/dir --set ro" \
		"move --from-mount-id $D/a/deep/dir $D/b" "umount --mount-id abc" "umount --mount-id $D/a" \
		"umount --mount-id 0xzz"; do
		run -2 --separate-stderr "$TNOS" $cmd
		[[ ${stderr_lines[0]} == "tnos ${cmd%% *}: --"*"mount-id: '"*"' is not a mount id"* ]] || { echo "$cmd: $stderr"; false; }
		[ "${stderr_lines[1]}" = "Try 'tnos ${cmd%% *} --help'." ]
		[ -z "$output" ]
	done
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	python3 -c 'import os,sys; os.statvfs(sys.argv[1]).f_flag & os.ST_RDONLY and sys.exit(1)' "$D/a"
}

@test "--expire: the first call marks (exit 1, still mounted), the second unmounts; a look between clears the mark" {
	mount -t tmpfs expiring "$D/a"
	run -1 --separate-stderr "$TNOS" umount --expire "$D/a"
	[[ $stderr == *"$D/a: marked as expired, not unmounted"* ]]
	# still mounted (mountinfo: findmnt would stat the mount, which clears
	# the mark, and so would tnos looking at it)
	grep -q " $D/a " /proc/self/mountinfo
	run -0 --separate-stderr "$TNOS" umount --expire "$D/a"
	[ -z "$output" ]
	! mounted "$D/a" || false
	mount -t tmpfs expiring "$D/a"
	run -1 "$TNOS" umount --expire "$D/a"
	stat "$D/a" >/dev/null	# used: the mark is gone
	run -1 "$TNOS" umount --expire "$D/a"
	grep -q " $D/a " /proc/self/mountinfo
}

@test "--nofollow: a symlink to a mount point is not followed; without it, it is" {
	mount -t tmpfs via-link "$D/a"
	ln -s "$D/a" "$D/link"
	run -1 --separate-stderr "$TNOS" umount --nofollow "$D/link"
	[ "$stderr" = "tnos umount: $D/link: not a mount point" ]
	mounted "$D/a"
	run -0 --separate-stderr "$TNOS" umount --flags nofollow,0 "$D/a"
	! mounted "$D/a" || false
	mount -t tmpfs via-link "$D/a"
	run -0 --separate-stderr "$TNOS" umount "$D/link"
	! mounted "$D/a" || false
}

@test "several targets: each is tried, exit 1 if one failed" {
	mount -t tmpfs m1 "$D/a"
	mount -t tmpfs m2 "$D/b"
	run -1 --separate-stderr "$TNOS" umount --ndjson "$D/a" "$D/nope" "$D/b"
	[ "$(jq -r .sb_source <<<"$output" | tr '\n' ' ')" = "m1 m2 " ]
	! mounted "$D/a" || false
	! mounted "$D/b" || false
	[[ $stderr == *"$D/nope"* ]]
}

@test "usage errors: exit 2 and nothing unmounted" {
	mount -t tmpfs keep "$D/a"
	before=$(cat /proc/self/mountinfo)
	run -2 --separate-stderr "$TNOS" umount
	[[ $stderr == *"which mount? give a TARGET or --mount-id ID"* ]]
	run -2 --separate-stderr "$TNOS" umount --expire -l "$D/a"
	[[ $stderr == *"--expire takes TARGET paths alone"* ]]
	run -2 --separate-stderr "$TNOS" umount --expire -R "$D/a"
	run -2 --separate-stderr "$TNOS" umount --mount-id 2147483650 "$D/a"
	run -2 --separate-stderr "$TNOS" umount --flags soft "$D/a"
	[[ $stderr == *"unknown name 'soft' (known: force detach expire nofollow lazy)"* ]]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
}

@test "without CAP_SYS_ADMIN: the capability is named, exit 1, still mounted" {
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	P=$(tn_nobody_tmpfs umount)
	mkdir "$P/a"
	mount -t tmpfs inner "$P/a"
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" umount "$P/a"
	still=$(findmnt -no SOURCE --mountpoint "$P/a" || true)
	umount -R "$P"; rmdir "$P"
	[[ $stderr == *"umount2: $(errstr EPERM)"*"CAP_SYS_ADMIN"* ]]
	[ "$still" = inner ]
}

@test "an empty TARGET is refused by name (ENOENT); the other TARGETs still go" {
	want=$(empty_path_err)
	mount -t tmpfs inner "$D/a"
	run -1 --separate-stderr "$TNOS" umount '' "$D/a"
	[ "$stderr" = "tnos umount: '': $want" ]
	! findmnt "$D/a" >/dev/null || false
	findmnt "$D" >/dev/null
	for o in "" "--expire" "--mount-id"; do
		run -1 --separate-stderr "$TNOS" umount $o ''
		[ "$stderr" = "tnos umount: '': $want" ] || { echo "$o: $stderr"; return 1; }
	done
}

# the pids fuser(1) finds using the filesystem at $1, one a line
fuser_pids() { fuser -m "$1" 2>/dev/null | tr -s ' ' '\n' | grep . | sort -n; }

@test "umount -R, busy: EBUSY names each process fuser -m finds (working directory), not -R again" {
	mount -t tmpfs tree "$D/a"
	mkdir "$D/a/s"
	mount -t tmpfs below "$D/a/s"
	sh -c 'cd "$1"; sleep 100' sh "$D/a" &
	pid=$!
	for i in $(seq 100); do
		[ "$(fuser_pids "$D/a" | wc -l)" -ge 2 ] && break
		sleep 0.05
	done
	run -1 --separate-stderr "$TNOS" umount -R -o TARGET -n "$D/a"
	users=$(fuser_pids "$D/a")
	kill $(pgrep -P "$pid") "$pid"
	[ "$output" = "$D/a/s" ]	# the mount below went first
	mounted "$D/a"
	[ "$(echo "$users" | wc -l)" -ge 2 ] || { echo "fuser: $users"; return 1; }
	[ "$(echo "$stderr" | wc -l)" = 1 ]
	[[ $stderr == "tnos umount: $D/a: umount2: $(errstr EBUSY) (in use by pid "*"; --detach unmounts it lazily)" ]]
	[[ $stderr != *"-R"* ]]
	# every process fuser names, and no other
	named=$(grep -o 'pid [0-9]* ([a-z]*): working directory' <<<"$stderr" | awk '{ print $2 }' | sort -n)
	[ "$named" = "$users" ] || { echo "named: $named; fuser: $users"; return 1; }
}

@test "umount -R run from inside the tree: EBUSY says tnos's own working directory is the cause" {
	mount -t tmpfs tree "$D/a"
	mkdir "$D/a/s"
	mount -t tmpfs below "$D/a/s"
	# the kernel's own EBUSY for a mount that its caller's cwd is on
	ebusy=$(cd "$D/a" && python3 -c 'import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.umount2(sys.argv[1].encode(), 0) != 0 and ctypes.get_errno() == errno.EBUSY
print(os.strerror(errno.EBUSY))' "$D/a")
	# bash cds into it and becomes tnos: only tnos uses it
	run -1 --separate-stderr bash -c 'cd "$1" && exec "$2" umount -R -o TARGET -n "$1"' _ "$D/a" "$TNOS"
	[ "$output" = "$D/a/s" ]
	mounted "$D/a"
	[[ $stderr =~ ^"tnos umount: $D/a: umount2: $ebusy (in use by this tnos itself (pid "[0-9]+"): working directory; --detach unmounts it lazily)"$ ]]
	# the same with an open file instead (fd 3 on the mount, inherited)
	run -1 --separate-stderr bash -c 'exec 3< "$1/s/.." && exec "$2" umount -n "$1"' _ "$D/a" "$TNOS"
	[[ $stderr =~ ^"tnos umount: $D/a: umount2: $ebusy (in use by this tnos itself (pid "[0-9]+"): open file; --detach unmounts it lazily)"$ ]]
	run -0 "$TNOS" umount -n "$D/a"
}

@test "quiet on success: nothing printed, the mount is gone; -v, -o and -J print the record it had" {
	mount -t tmpfs quiet-um "$D/a"
	run -0 --separate-stderr "$TNOS" umount "$D/a"
	[ -z "$output$stderr" ]
	! mounted "$D/a" || false
	mount -t tmpfs quiet-um "$D/a"
	old=$(mi_field "$D/a" 1)
	run -0 --separate-stderr "$TNOS" umount -v "$D/a"
	[ -z "$stderr" ]
	! mounted "$D/a" || false
	grep -qx "TARGET: *$D/a" <<<"$output"
	grep -qx "SOURCE: *quiet-um" <<<"$output"
	grep -qx "OLD-ID: *$old" <<<"$output"
	mount -t tmpfs quiet-um "$D/a"
	want=$(printf 'TARGET: %s\nSOURCE: %s' "$(findmnt -no TARGET,SOURCE --mountpoint "$D/a" | sed 's/  */\n/' | head -1)" quiet-um)
	run -0 --separate-stderr "$TNOS" umount -o TARGET,SOURCE "$D/a"
	[ "$output" = "$want" ]
	! mounted "$D/a" || false
	mount -t tmpfs quiet-um "$D/a"
	mkdir "$D/a/x"
	mount -t tmpfs quiet-um2 "$D/a/x"
	run -0 --separate-stderr "$TNOS" umount -R "$D/a"
	[ -z "$output$stderr" ]
	! mounted "$D/a" || false
	mount -t tmpfs quiet-um "$D/a"
	old=$(mi_field "$D/a" 1)
	run -0 --separate-stderr "$TNOS" umount -J "$D/a"
	[ "$(jq .mnt_id_old <<<"$output")" = "$old" ]
	[ "$(jq -r .sb_source <<<"$output")" = quiet-um ]
}
