#!/usr/bin/env bats
# Older kernels: a seccomp filter makes syscalls fail with ENOSYS.  lsmount
# and statmount PATH fall back to mountinfo; the rest exit 3 naming the
# syscall and the Linux version that added it.
load helpers

setup_file() { tn_setup_tmpfs; mkdir -p "$TT/m"; mount -t tmpfs -o size=1m compat "$TT/m"; }
teardown_file() { tn_teardown_tmpfs; }

@test "no listmount: lsmount reads mountinfo, says so, and agrees with it" {
	run -0 --separate-stderr tn_nosys listmount,statmount "$TNOS" lsmount -J \
		-o OLD-ID,OLD-PARENT,TARGET,SOURCE,FSTYPE,ATTR,VFS-OPTIONS,FS-OPTIONS,OPT-FIELDS,PROPAGATION,PEER-GROUP,MASTER,ROOT,MAJ:MIN,SB-FLAGS
	[[ $stderr == "tnos lsmount: listmount(2) is not available in this kernel (needs Linux 6.8): read /proc/self/mountinfo instead; unavailable: ID,"* ]]
	echo "$output" | python3 "$BATS_TEST_DIRNAME/lib/mountinfo.py"
	# unavailable columns are marked for people, absent in JSON
	run -0 --separate-stderr tn_nosys listmount,statmount "$TNOS" lsmount -l -n -o ID,TARGET "$TT/m"
	[ "$output" = "- $TT/m" ]
	run -0 --separate-stderr tn_nosys listmount,statmount "$TNOS" lsmount -J -o ID,TARGET "$TT/m"
	echo "$output" | jq -e '.mounts[0] | has("mnt_id") | not'
	# -J keeps the tree: mountinfo's ids in every record, rows in the table's
	# order (an older mount moved under a newer one comes after it)
	mkdir -p "$TT/mv1" "$TT/mv2"
	mount -t tmpfs mv1 "$TT/mv1"
	mount -t tmpfs mv2 "$TT/mv2"
	mkdir "$TT/mv2/in"
	mount --move "$TT/mv1" "$TT/mv2/in"
	run -0 --separate-stderr tn_nosys listmount,statmount "$TNOS" lsmount -J -o TARGET
	echo "$output" | jq -e '.mounts | length > 3 and all(has("mnt_id_old") and has("mnt_parent_id_old"))'
	[ "$(echo "$output" | jq -r '.mounts[].mnt_point')" = \
	  "$(tn_nosys listmount,statmount "$TNOS" lsmount -n -o TARGET 2>/dev/null | sed 's/^[^/]*//')" ]
	umount "$TT/mv2/in" "$TT/mv2"
	# the same set of mounts as the real thing
	diff <(tn_nosys listmount,statmount "$TNOS" lsmount -l -n -r -o OLD-ID 2>/dev/null | sort) \
	     <("$TNOS" lsmount -l -n -r -o OLD-ID | sort)
}

@test "no statmount: statmount PATH reads mountinfo; an id needs the syscall (exit 3)" {
	run -0 --separate-stderr tn_nosys statmount "$TNOS" statmount -J "$TT/m"
	echo "$output" | jq -e --arg t "$TT/m" '.mnt_point == $t and .sb_source == "compat" and .mnt_opts == "rw,size=1024k"'
	[ "$(echo "$output" | jq .mnt_id_old)" = "$(mi_field "$TT/m" 1)" ]
	id=$(unique_mnt_id "$TT/m")
	run -3 --separate-stderr tn_nosys statmount "$TNOS" statmount "$id"
	[ "$stderr" = "tnos statmount: $id: statmount(2) is not available in this kernel (needs Linux 6.8 or later)" ]
	run -3 --separate-stderr tn_nosys listmount "$TNOS" lsmount --after "$id"
	[[ $stderr == *"needs Linux 6.8"* ]]
}

@test "ENOSYS from the kernel is exit 3 with the syscall and version named" {
	run -3 --separate-stderr tn_nosys statmount "$TNOS" statmount --mask sb-basic /
	[[ $stderr == *"statmount(2) is not available"*"Linux 6.8"* ]]
}

@test "no openat2: xattr and access exit 3 naming it, print nothing" {
	run -3 --separate-stderr tn_nosys openat2 "$TNOS" xattr list /
	[ -z "$output" ]
	[[ $stderr == *"openat2(2) is not available"*"Linux 5.6"* ]]
	run -3 --separate-stderr tn_nosys openat2 "$TNOS" access -u 0 -g 0 /
	[ -z "$output" ]
	[[ $stderr == *"openat2(2) is not available"*"Linux 5.6"* ]]
	# faccessat2 refused alone (where openat2 works: valgrind 3.19 answers
	# openat2 with ENOSYS itself, and that is then what is named)
	if "$TNOS" xattr list / >/dev/null 2>&1; then want="faccessat2(2) is not available"*"Linux 5.8"; else want="openat2(2)"; fi
	run -3 --separate-stderr tn_nosys faccessat2 "$TNOS" access -u 0 -g 0 /
	[[ $stderr == *$want* ]]
}
