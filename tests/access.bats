#!/usr/bin/env bats
# tnos access: would these credentials get through to PATH?  Oracles:
# setpriv --reuid --regid --groups running test -r/-w/-x (the kernel's
# answer for that user), namei -l (each component's mode and owner),
# getfattr (an ACL is there), python3's os.stat, jq.
load helpers

setup_file() {
	tn_setup_tmpfs
	# relative paths from $TT: the bats directories above it are 0700,
	# which would stop every user other than root before the tree
	chmod 0755 "$TT"
	cd "$TT"
	mkdir -p t/pub t/block/inner t/grp t/acl t/ro
	echo pub > t/pub/file
	echo hidden > t/block/inner/file
	chmod 0700 t/block
	echo grp > t/grp/file
	chown 0:4242 t/grp t/grp/file
	chmod 0750 t/grp
	chmod 0640 t/grp/file
	# ACLs: a grant through a 0700 directory, a grant and a denial on files
	chmod 0700 t/acl
	setfacl -m u:4000:x t/acl
	echo secret > t/acl/granted
	chmod 0600 t/acl/granted
	setfacl -m u:4000:r t/acl/granted
	echo open > t/acl/denied
	chmod 0644 t/acl/denied
	setfacl -m u:4000:--- t/acl/denied
	# a read-only bind mount of a world-writable directory
	mkdir t/rw
	echo w > t/rw/file
	chmod 0777 t/rw
	chmod 0666 t/rw/file
	mount --bind -o ro t/rw t/ro
	# symlinks on the path
	ln -s block/inner t/tohidden
	ln -s pub t/topub
}

teardown_file() {
	umount "$TT/t/ro" 2>/dev/null || true
	tn_teardown_tmpfs
}

setup() { cd "$TT"; }

# oracle UID GID GROUPS FLAG PATH: "yes" when test -FLAG PATH is true for
# those credentials (GROUPS comma separated, '' for none)
oracle() {
	local g=(--clear-groups)
	[ -z "$3" ] || g=(--groups "$3")
	if setpriv --reuid "$1" --regid "$2" "${g[@]}" test "-$4" "$5"; then echo yes; else echo no; fi
}

# the first prefix of PATH (after ".") that test -x (directories) or test
# -FLAG (the last) refuses for those credentials, or "none"
oracle_first() {	# UID GID GROUPS FLAG PATH
	local p="" part IFS=/ f
	for part in $5; do
		p=${p:+$p/}$part
		f=x
		[ "$p" = "$5" ] && f=$4
		[ "$(oracle "$1" "$2" "$3" "$f" "$p")" = yes ] || { echo "$p"; return; }
	done
	echo none
}

# tnos's refusing component of its one PATH, or "none"
tnos_first() {
	"$TNOS" access -J "$@" | jq -r '[.components[] | select(.allowed | not)][0].component // "none"'
}

@test "a blocking directory in the middle: refused there, as setpriv's test -x says" {
	[ "$(oracle 4000 4000 '' r t/block/inner/file)" = no ]
	[ "$(oracle_first 4000 4000 '' r t/block/inner/file)" = t/block ]
	run -1 --separate-stderr "$TNOS" access --user 4000 --group 4000 --mode r t/block/inner/file
	[ -z "$stderr" ]
	[ "$(tnos_first --user 4000 --group 4000 --mode r t/block/inner/file)" = t/block ]
	# each component checked up to it, with the mode namei shows
	run -0 bash -c "'$TNOS' access -J -u 4000 -g 4000 -m r t/block/inner/file || true"
	got=$(jq -r '.components[] | select(.component != ".") | .stx_mode' <<<"$output" |
		python3 -c 'import stat, sys; print(" ".join(stat.filemode(int(l)) for l in sys.stdin))')
	want=$(namei -l t/block/inner/file | sed 1d | head -2 | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ]
	# the PERMS column is namei's first field, as it is
	got=$(jq -r '.components[] | select(.component != ".") | .perms' <<<"$output" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ]
	[ "$(jq -r '.components | length' <<<"$output")" -eq 3 ]	# ., t, t/block
	[ "$(jq -r '.components[-1] | "\(.check) \(.errnum) \(.stx_uid) \(.stx_gid)"' <<<"$output")" = \
	  "[\"x\"] $(python3 -c 'import errno; print(errno.EACCES)') $(stat -c '%u %g' t/block)" ]
	# root gets through
	[ "$(oracle 0 0 '' r t/block/inner/file)" = yes ]
	run -0 "$TNOS" access --user root --mode r t/block/inner/file
}

@test "r, w and x on the last component agree with setpriv's test for each" {
	for p in t/pub/file t/grp/file t/rw/file t/pub t/acl/denied; do
		for m in r w x; do
			want=$(oracle 4000 4000 '' "$m" "$p")
			if "$TNOS" access -u 4000 -g 4000 -m "$m" "$p" >/dev/null; then got=yes; else got=no; fi
			[ "$got" = "$want" ] || { echo "$p -$m: tnos $got, test $want"; false; }
		done
	done
}

@test "a trailing slash: the last component must be a directory, as test -r and open say" {
	for p in t/pub/file/ t/pub/ t/pub//file//; do
		want=$(oracle 4000 4000 '' r "$p")
		# the errno: open's (root's, which the permission bits do not change)
		errnum=$(python3 -c 'import os,sys
try: os.close(os.open(sys.argv[1], os.O_RDONLY)); print(0)
except OSError as e: print(e.errno)' "$p")
		run --separate-stderr "$TNOS" access -J -u 4000 -g 4000 -m r "$p"
		got=$(jq -r '.components[-1] | "\(if .allowed then "yes" else "no" end) \(.errnum)"' <<<"$output")
		[ "$got" = "$want $errnum" ] || { echo "$p: tnos $got, test -r and open: $want $errnum"; false; }
		[ "$(jq -r '.components[-1].component' <<<"$output")" = "$(sed 's|//*|/|g' <<<"$p")" ]
	done
	[ "$want $errnum" = "no $(python3 -c 'import errno; print(errno.ENOTDIR)')" ]
}

@test "supplementary groups: the user's by default, exactly --groups when given" {
	[ "$(oracle 4000 4000 4242 r t/grp/file)" = yes ]
	[ "$(oracle 4000 4000 '' r t/grp/file)" = no ]
	run -0 "$TNOS" access -u 4000 -g 4000 --groups 4242 -m r t/grp/file
	run -1 "$TNOS" access -u 4000 -g 4000 --groups '' -m r t/grp/file
	[ "$(tnos_first -u 4000 -g 4000 -m r t/grp/file)" = t/grp ]
	# a named user's groups come from the group database (getgrouplist)
	want=$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ',' | sed 's/,$//')
	run -0 "$TNOS" access -J -u nobody -o AS-UID,AS-GID,AS-GROUPS t/pub
	[ "$(jq -r '.components[0].groups | split(",") | map(tonumber) | sort | join(",")' <<<"$output")" = "$want" ]
	[ "$(jq -r '.components[0].uid' <<<"$output")" = "$(id -u nobody)" ]
	[ "$(jq -r '.components[0].gid' <<<"$output")" = "$(id -g nobody)" ]
	# --group chooses the primary group: 4242 gets into t/grp
	run -0 "$TNOS" access -u 4000 -g 4242 --groups '' -m r t/grp/file
	[ "$(oracle 4000 4242 '' r t/grp/file)" = yes ]
}

@test "POSIX ACLs: a grant through a 0700 directory and a denial, as the kernel decides" {
	[ "$(oracle 4000 4000 '' r t/acl/granted)" = yes ]
	run -0 "$TNOS" access -J -u 4000 -g 4000 -m r t/acl/granted
	[ "$(jq -r '.components[] | select(.component == "t/acl") | .acl' <<<"$output")" = true ]
	getfattr -n system.posix_acl_access t/acl >/dev/null
	[ "$(jq -r '.components[] | select(.component == "t") | .acl' <<<"$output")" = false ]
	run ! getfattr -n system.posix_acl_access t
	# user 4001 has no ACL entry: stopped at t/acl
	[ "$(oracle_first 4001 4001 '' r t/acl/granted)" = t/acl ]
	[ "$(tnos_first -u 4001 -g 4001 -m r t/acl/granted)" = t/acl ]
	# the denial: mode says others may read, the ACL says 4000 may not
	[ "$(oracle 4000 4000 '' r t/acl/denied)" = no ]
	[ "$(oracle 4001 4001 '' r t/acl/denied)" = no ]	# t/acl stops 4001 first
	[ "$(tnos_first -u 4000 -g 4000 -m r t/acl/denied)" = t/acl/denied ]
}

@test "a read-only bind mount: w refused with EROFS, even for root" {
	[ "$(oracle 4000 4000 '' w t/rw/file)" = yes ]
	[ "$(oracle 4000 4000 '' w t/ro/file)" = no ]
	[ "$(oracle 0 0 '' w t/ro/file)" = no ]
	run -0 "$TNOS" access -u 4000 -g 4000 -m w t/rw/file
	run -1 "$TNOS" access -J -u 0 -g 0 -m w t/ro/file
	[ "$(jq -r '.components[-1] | "\(.component) \(.errnum)"' <<<"$output")" = \
	  "t/ro/file $(python3 -c 'import errno; print(errno.EROFS)')" ]
	run -0 "$TNOS" access -u 4000 -g 4000 -m r t/ro/file
}

@test "a symlink on the path: its target's directories are checked too" {
	[ "$(oracle 4000 4000 '' r t/tohidden/file)" = no ]
	run -1 "$TNOS" access -J -u 4000 -g 4000 -m r t/tohidden/file
	# the symlink component is where the lookup failed (t/block behind it)
	[ "$(jq -r '[.components[] | select(.allowed | not)][0].component' <<<"$output")" = t/tohidden ]
	[ "$(oracle 4000 4000 '' r t/topub/file)" = yes ]
	run -0 "$TNOS" access -J -u 4000 -g 4000 -m r t/topub/file
	# the component is shown as the file it leads to
	[ "$(jq -r '.components[] | select(.component == "t/topub") | .stx_mode' <<<"$output")" = \
	  "$(python3 -c 'import os; print(os.stat("t/pub").st_mode)')" ]
	# --resolve no-symlinks refuses it for everyone
	run -1 "$TNOS" access -u 0 -g 0 --resolve no-symlinks t/topub/file
}

@test "several PATHs: exit 0 only when every one is allowed; table, -P" {
	run -0 "$TNOS" access -u 4000 -g 4000 -m r t/pub/file t/rw/file
	run -1 --separate-stderr "$TNOS" access -u 4000 -g 4000 -m r t/pub/file t/block/inner/file t/rw/file
	[ -z "$stderr" ]
	# every PATH has its rows; the blocked one ends at t/block
	[ "$(awk 'NR > 1 { print $1 }' <<<"$output" | uniq | tr '\n' ' ')" = "t/pub/file t/block/inner/file t/rw/file " ]
	run -1 "$TNOS" access -P -o PATH,COMPONENT,ALLOWED -u 4000 -g 4000 t/block/inner/file
	[ "${lines[2]}" = 'PATH_="t/block/inner/file" COMPONENT="t/block" ALLOWED="no"' ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "--dir and --resolve: relative to a directory, an escape refused" {
	run -0 "$TNOS" access -J --dir t -u 4000 -g 4000 -m r pub/file
	[ "$(jq -r '[.components[].component] | join(" ")' <<<"$output")" = ". pub pub/file" ]
	run -1 "$TNOS" access -J --dir t/pub --resolve beneath -u 0 -g 0 ../block
	[ "$(jq -r '.components[-1].errnum' <<<"$output")" = "$(python3 -c 'import errno; print(errno.EXDEV)')" ]
	run -0 "$TNOS" access --dir t/pub -u 0 -g 0 ../block
}

@test "the check runs in a child: tnos itself keeps root's credentials" {
	# t/tohidden leads into t/block, which 4000 cannot enter: the refusing
	# component's owner and mode are still shown, since tnos looks at it as
	# root; a tnos that had switched to 4000 itself could not
	run -1 --separate-stderr "$TNOS" access -J -u 4000 -g 4000 -m r t/pub/file t/tohidden/file
	[ -z "$stderr" ]
	[ "$(jq -r '.components[-1].component' <<<"$output")" = t/tohidden ]
	[ "$(jq -r '.components[-1].stx_mode' <<<"$output")" = "$(python3 -c 'import os; print(os.stat("t/block/inner").st_mode)')" ]
	run ! setpriv --reuid 4000 --regid 4000 --clear-groups stat -L t/tohidden
	# as a user without the right to switch: one clear line, exit 1
	run -1 --separate-stderr setpriv --reuid 4000 --regid 4000 --clear-groups "$TNOS" access -u 4001 -g 4001 t/pub
	[ -z "$output" ]
	[[ "$stderr" == "tnos access: switching to uid 4001, gid 4001: setgroups: Operation not permitted (needs root: CAP_SETUID and CAP_SETGID)" ]]
}

@test "usage errors exit 2" {
	run -2 --separate-stderr "$TNOS" access t/pub
	[ -z "$output" ]
	[[ "$stderr" == *"give --user USER"* ]]
	run -2 "$TNOS" access -u 4000 -g 4000
	run -2 "$TNOS" access -u no-such-user-here t/pub
	run -2 --separate-stderr "$TNOS" access -u 4999 t/pub
	[[ "$stderr" == *"uid 4999 has no passwd entry: give --group"* ]]
	run -2 "$TNOS" access -u 4000 -g no-such-group-here t/pub
	run -2 "$TNOS" access -u 4000 -g 4000 --groups 1,bogus-group-x t/pub
	run -2 "$TNOS" access -u 4000 -g 4000 -m rwx t/pub
	run -1 --separate-stderr "$TNOS" access -u 4000 -g 4000 ''
	[ "$stderr" = "tnos access: '': $(empty_path_err)" ]
}

@test "a missing component is a refusal (ENOENT), where test -e says so too; --mount-id" {
	[ "$(oracle 4000 4000 '' e t/pub/none)" = no ]
	run -1 "$TNOS" access -J -u 4000 -g 4000 t/pub/none
	[ "$(jq -r '.components[-1] | "\(.component) \(.errnum) \(.allowed)"' <<<"$output")" = \
	  "t/pub/none $(python3 -c 'import errno; print(errno.ENOENT)') false" ]
	# the root of a mount by its id: t/ro is the read-only bind
	id=$(findmnt -n -o ID --mountpoint "$TT/t/ro")
	run -0 "$TNOS" access -J --mount-id "$id" -u 4000 -g 4000 -m r file
	[ "$(jq -r '[.components[].component] | join(" ")' <<<"$output")" = ". file" ]
	run -1 "$TNOS" access --mount-id "$id" -u 0 -g 0 -m w file
}

@test "a file on the way is ENOTDIR at that component, even executable and for root, as python's os.stat says" {
	echo f > t/pub/plain
	chmod 0755 t/pub/plain
	want=$(python3 -c 'import errno, os
try:
    os.stat("t/pub/plain/x")
except OSError as e:
    print(e.errno)')
	for u in 0 4000; do
		run -1 "$TNOS" access -J -u "$u" -g "$u" t/pub/plain/x
		[ "$(jq -r '.components[-1] | "\(.component) \(.check | join(",")) \(.errnum) \(.allowed)"' <<<"$output")" = \
		  "t/pub/plain x $want false" ]
	done
	rm t/pub/plain
}
