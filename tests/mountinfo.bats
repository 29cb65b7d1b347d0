#!/usr/bin/env bats
# tnos lsmount --mountinfo: the lines of /proc/PID/mountinfo, byte for byte,
# built from listmount + statmount.  The oracle is the kernel's own file.
load helpers

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	# names mountinfo escapes (space, tab, newline, backslash), in mount
	# points, sources and roots
	local n
	for n in "with space" $'tab\there' $'new\nline' 'back\slash' $'esc\033[1m'; do
		mkdir -p "$TT/odd/$n"
		mount -t tmpfs "src $n" "$TT/odd/$n"
		mkdir "$TT/odd/$n/in $n"
	done
	mkdir -p "$TT/bindroot"
	mount --bind "$TT/odd/with space/in with space" "$TT/bindroot"	# root with a space
	# shared, slave (master:N), shared and slave, unbindable, a read-only bind
	mkdir -p "$TT"/{sh,sl,shsl,unb,rob,attrs,idm,idsrc}
	mount -t tmpfs shared "$TT/sh"
	mount --make-shared "$TT/sh"
	mount --bind "$TT/sh" "$TT/sl"
	mount --make-slave "$TT/sl"
	mount --bind "$TT/sl" "$TT/shsl"
	mount --make-shared "$TT/shsl"
	mount -t tmpfs unb "$TT/unb"
	mount --make-unbindable "$TT/unb"
	mount --bind "$TT/sh" "$TT/rob"
	mount -o remount,bind,ro,nosuid,nodev,noexec "$TT/rob"
	mount -t tmpfs -o ro,sync,lazytime,nodiratime,nosymfollow attrs "$TT/attrs"
	# an idmapped mount (idmapped in field 6)
	tn_userns 0 100000 65536
	"$TNOS" fsmount --bind "$TT/idsrc" --idmap "$TN_USERNS_PID" "$TT/idm"
	grep -q idmapped /proc/self/mountinfo
}

teardown_file() {
	[ -z "${TN_USERNS_PID:-}" ] || kill "$TN_USERNS_PID" 2>/dev/null || true
	tn_teardown_tmpfs
}

@test "--mountinfo is /proc/self/mountinfo, byte for byte" {
	"$TNOS" lsmount --mountinfo > "$BATS_TEST_TMPDIR/tnos"
	cat /proc/self/mountinfo > "$BATS_TEST_TMPDIR/kernel"
	# the namespace has what the comparison is about
	grep -q 'with\\040space' "$BATS_TEST_TMPDIR/kernel"
	grep -q 'tab\\011here' "$BATS_TEST_TMPDIR/kernel"
	grep -q 'new\\012line' "$BATS_TEST_TMPDIR/kernel"
	grep -q 'back\\134slash' "$BATS_TEST_TMPDIR/kernel"
	grep -q ' shared:[0-9]* master:[0-9]* ' "$BATS_TEST_TMPDIR/kernel"
	grep -q ' unbindable - ' "$BATS_TEST_TMPDIR/kernel"
	grep -q ',idmapped ' "$BATS_TEST_TMPDIR/kernel"
	grep -q ' ro,sync,lazytime' "$BATS_TEST_TMPDIR/kernel"
	cmp "$BATS_TEST_TMPDIR/tnos" "$BATS_TEST_TMPDIR/kernel"
	# a subtree and the filters give the kernel's lines of those mounts
	diff <("$TNOS" lsmount --mountinfo "$TT/sh") <(grep " $TT/sh " /proc/self/mountinfo)
	diff <("$TNOS" lsmount --mountinfo -t proc) <(awk '$(NF-2) == "proc"' /proc/self/mountinfo)
}

@test "--mountinfo --ns PID is that namespace's mountinfo, propagate_from included" {
	# a slave whose master's peer group has no mount in the new namespace,
	# but whose master's master has one: master:M propagate_from:N
	mkdir -p "$TT/pa" "$TT/pb"
	mount -t tmpfs pa "$TT/pa"
	mount --make-shared "$TT/pa"
	mount --bind "$TT/pa" "$TT/pb"
	mount --make-slave "$TT/pb"
	mount --make-shared "$TT/pb"
	mkfifo "$BATS_TEST_TMPDIR/ready"
	unshare -m --propagation unchanged sh -c "mount --make-slave '$TT/pb'; echo > '$BATS_TEST_TMPDIR/ready'; exec sleep 60" 3>&- &
	pid=$!
	read -r _ < "$BATS_TEST_TMPDIR/ready"
	cat "/proc/$pid/mountinfo" > "$BATS_TEST_TMPDIR/kernel"
	grep -q ' propagate_from:' "$BATS_TEST_TMPDIR/kernel"
	"$TNOS" lsmount --mountinfo --ns "$pid" > "$BATS_TEST_TMPDIR/tnos"
	cmp "$BATS_TEST_TMPDIR/tnos" "$BATS_TEST_TMPDIR/kernel"
	"$TNOS" lsmount --mountinfo --ns "/proc/$pid/ns/mnt" > "$BATS_TEST_TMPDIR/tnos2"
	cmp "$BATS_TEST_TMPDIR/tnos2" "$BATS_TEST_TMPDIR/kernel"
	kill "$pid"
	umount "$TT/pb" "$TT/pa"
}

@test "--mountinfo on a terminal: bytes a terminal obeys get mountinfo's octal escapes too" {
	command -v script >/dev/null || tn_skip "no script(1)"
	run -0 script -qec "'$TNOS' lsmount --mountinfo '$TT/odd/$(printf 'esc\033[1m')'" /dev/null
	[[ $output != *$'\033'* ]]
	[[ $output == *'esc\033[1m'* ]]
	# a pipe gets the kernel's bytes
	run -0 "$TNOS" lsmount --mountinfo "$TT/odd/$(printf 'esc\033[1m')"
	[ "$output" = "$(grep -a "esc$(printf '\033')\[1m " /proc/self/mountinfo)" ]
}

@test "--mountinfo with an output form is a usage error: exit 2, nothing on stdout" {
	for o in -J --ndjson -P -r -n -l --tree "-o TARGET"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$TNOS" lsmount --mountinfo $o
		[ -z "$output" ]
		[[ $stderr == "tnos lsmount: --mountinfo prints mountinfo's own lines: it takes no ${o%% *}"* ]]
	done
	# an older kernel: exit 3, naming what is missing
	run -3 --separate-stderr tn_nosys listmount,statmount "$TNOS" lsmount --mountinfo
	[ -z "$output" ]
	[[ $stderr == *"--mountinfo needs listmount(2)"* ]]
}

@test "--mountinfo over 1,500 more mounts, statmount shared out to the CPUs: byte for byte, -t too; a statmount that fails names each mount once, in order" {
	mkdir -p "$TT/many/src"
	for i in $(seq 1 1500); do mkdir "$TT/many/m$i"; done
	for i in $(seq 1 1500); do mount --bind "$TT/many/src" "$TT/many/m$i"; done
	[ "$(wc -l < /proc/self/mountinfo)" -gt 1500 ]
	"$TNOS" lsmount --mountinfo > "$BATS_TEST_TMPDIR/tnos"
	cmp "$BATS_TEST_TMPDIR/tnos" /proc/self/mountinfo
	diff <("$TNOS" lsmount --mountinfo -t tmpfs) <(awk '$(NF-2) == "tmpfs"' /proc/self/mountinfo)
	# every statmount fails (EIO, through seccomp): each mount of the
	# listing is named once, in the listing's order (ascending ids), exit 1
	run -1 --separate-stderr tn_nosys statmount=5 "$TNOS" lsmount --mountinfo
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq "$(wc -l < /proc/self/mountinfo)" ]
	ids=$(printf '%s\n' "${stderr_lines[@]}" | sed -n 's/^tnos lsmount: statmount \([0-9]*\): Input\/output error$/\1/p')
	[ "$(printf '%s\n' "$ids" | wc -l)" -eq "${#stderr_lines[@]}" ]
	[ "$ids" = "$(printf '%s\n' "$ids" | sort -nu)" ]
	umount "$TT"/many/m*
}
