#!/usr/bin/env bats
# Unprivileged use: the read-only commands work as nobody (uid/gid 65534, no
# groups) and agree with root and with stat(1)/mountinfo; the commands that
# change mounts, and fhandle open, fail naming the capability they need.
# tnos is never installed setuid or setgid.
load helpers

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	command -v setpriv >/dev/null || tn_skip "no setpriv"
	# nobody must reach $TT: let it traverse the directories above it
	d=$TT
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	mkdir -p "$TT/pub" "$TT/a" "$TT/b"
	mount -t tmpfs -o size=1m,mode=0755 unpriv "$TT/pub"
	echo "readable by all" > "$TT/pub/f"
	chmod 644 "$TT/pub/f"
	echo "root only" > "$TT/pub/secret"
	chmod 600 "$TT/pub/secret"
	mkdir "$TT/pub/dir"
	chmod 755 "$TT" "$TT/a" "$TT/b"
}

teardown_file() { tn_teardown_tmpfs; }

EPERM=$(python3 -c 'import os, errno; print(os.strerror(errno.EPERM))')
EACCES=$(python3 -c 'import os, errno; print(os.strerror(errno.EACCES))')

@test "as nobody: setpriv really drops root (the oracle's own check)" {
	run -0 "${NOBODY[@]}" id -u
	[ "$output" = 65534 ]
	run -0 "${NOBODY[@]}" grep CapEff /proc/self/status
	[[ $output == *"0000000000000000" ]]
	run -1 "${NOBODY[@]}" cat "$TT/pub/secret"
}

@test "as nobody: lsmount lists the same mounts, with the same fields, as root and mountinfo" {
	cols=ID,PARENT,OLD-ID,OLD-PARENT,TARGET,SOURCE,FSTYPE,ATTR,OPTIONS,PROPAGATION,ROOT,MAJ:MIN
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" lsmount -J -l -o "$cols"
	[ "$stderr" = "" ]
	diff <(echo "$output" | jq -S .) <("$TNOS" lsmount -J -l -o "$cols" | jq -S .)
	diff <(echo "$output" | jq '.mounts[].mnt_id_old' | sort -n) \
	     <("${NOBODY[@]}" cat /proc/self/mountinfo | awk '{ print $1 }' | sort -n)
	echo "$output" | jq -e --arg t "$TT/pub" '.mounts | map(select(.mnt_point == $t and .sb_source == "unpriv")) | length == 1'
}

@test "as nobody: statmount PATH gives root's record" {
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" statmount -J "$TT/pub"
	[ "$stderr" = "" ]
	diff <(echo "$output" | jq -S .) <("$TNOS" statmount -J "$TT/pub" | jq -S .)
	echo "$output" | jq -e --arg t "$TT/pub" --argjson old "$(mi_field "$TT/pub" 1)" \
		'.mnt_point == $t and .mnt_id_old == $old and .fs_type == "tmpfs"'
	# by id too
	id=$(unique_mnt_id "$TT/pub")
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" statmount -o TARGET -n "$id"
	[ "$output" = "$TT/pub" ]
}

@test "as nobody: statx agrees with stat(1) and with root" {
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" statx -J "$TT/pub/f" "$TT/pub/secret" "$TT/pub/dir"
	[ "$stderr" = "" ]
	for f in f secret dir; do
		p=$TT/pub/$f
		echo "$output" | jq -e --arg p "$p" \
			--argjson ino "$(stat -c %i "$p")" --argjson size "$(stat -c %s "$p")" \
			--argjson mode "$((0x$(stat -c %f "$p")))" --argjson nlink "$(stat -c %h "$p")" \
			'.files[] | select(.path == $p) | .stx_ino == $ino and .stx_size == $size and .stx_mode == $mode and .stx_nlink == $nlink and .stx_uid == 0'
	done
	diff <(echo "$output" | jq -S 'del(.files[].stx_atime)') \
	     <("$TNOS" statx -J "$TT/pub/f" "$TT/pub/secret" "$TT/pub/dir" | jq -S 'del(.files[].stx_atime)')
}

@test "as nobody: openat2 opens a readable file; an unreadable one is EACCES, named" {
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" openat2 --dir "$TT/pub" --resolve beneath --cat f
	[ "$output" = "$(cat "$TT/pub/f")" ]
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" openat2 -J "$TT/pub/f"
	echo "$output" | jq -e --arg p "$TT/pub/f" --argjson ino "$(stat -c %i "$TT/pub/f")" \
		'.fd_path == $p and .stx_ino == $ino and (.open_flags | index("rdonly"))'
	run -1 --separate-stderr "${NOBODY[@]}" "$TNOS" openat2 --cat "$TT/pub/secret"
	[ "$output" = "" ]
	[[ $stderr == "tnos openat2: $TT/pub/secret: $EACCES"* ]]
}

@test "as nobody: fhandle encode gives root's handle" {
	run -0 --separate-stderr "${NOBODY[@]}" "$TNOS" fhandle encode -J "$TT/pub/f"
	[ "$stderr" = "" ]
	diff <(echo "$output" | jq -S .) <("$TNOS" fhandle encode -J "$TT/pub/f" | jq -S .)
	echo "$output" | jq -e --argjson m "$(unique_mnt_id "$TT/pub")" '.mount_id == $m'
	# and root can open what nobody encoded: the same inode
	h=$(echo "$output" | jq -r .handle)
	run -0 "$TNOS" fhandle open -J "$h"
	echo "$output" | jq -e --argjson i "$(stat -c %i "$TT/pub/f")" '.stx_ino == $i'
}

@test "as nobody: fsmount, setattr, move and fhandle open fail naming the capability; nothing changes" {
	before=$(cat /proc/self/mountinfo)
	run -1 --separate-stderr "${NOBODY[@]}" "$TNOS" fsmount tmpfs "$TT/a"
	[[ $stderr == "tnos fsmount: "*"fsopen: $EPERM (needs CAP_SYS_ADMIN"* ]] || { echo "$stderr"; false; }
	run -1 --separate-stderr "${NOBODY[@]}" "$TNOS" fsmount --bind "$TT/pub" "$TT/a"
	[[ $stderr == *"$EPERM (needs CAP_SYS_ADMIN"* ]] || { echo "$stderr"; false; }
	run -1 --separate-stderr "${NOBODY[@]}" "$TNOS" setattr --set ro "$TT/pub"
	[[ $stderr == "tnos setattr: "*"mount_setattr: $EPERM (needs CAP_SYS_ADMIN"* ]] || { echo "$stderr"; false; }
	run -1 --separate-stderr "${NOBODY[@]}" "$TNOS" move "$TT/pub" "$TT/b"
	[[ $stderr == "tnos move: "*"move_mount: $EPERM (needs CAP_SYS_ADMIN"* ]] || { echo "$stderr"; false; }
	h=$("$TNOS" fhandle encode -n -o HANDLE "$TT/pub/f")
	run -1 --separate-stderr "${NOBODY[@]}" "$TNOS" fhandle open --cat "$h"
	[ "$output" = "" ]
	[[ $stderr == "tnos fhandle: "*"open_by_handle_at: $EPERM (needs CAP_DAC_READ_SEARCH)" ]] || { echo "$stderr"; false; }
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
}

@test "make install never installs tnos setuid or setgid" {
	d=$BATS_TEST_TMPDIR/destdir
	run -0 make -s -C "$BATS_TEST_DIRNAME/.." install DESTDIR="$d" PREFIX=/usr
	[ -x "$d/usr/bin/tnos" ]
	[ "$(stat -c %a "$d/usr/bin/tnos")" = 755 ]
	[ -L "$d/usr/bin/lsmount" ]
	[ -e "$d/usr/share/man/man1/tnos.1" ]
	run -0 find "$d" -perm /6000
	[ "$output" = "" ]
	# and what was installed runs, unprivileged too
	chmod -R o+rX "$BATS_TEST_TMPDIR"
	d2=$BATS_TEST_TMPDIR
	while [ "$d2" != / ]; do chmod o+x "$d2"; d2=$(dirname "$d2"); done
	run -0 "${NOBODY[@]}" "$d/usr/bin/lsmount" -n -o TARGET "$TT/pub"
	[ "$output" = "$TT/pub" ]
}
