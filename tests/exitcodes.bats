#!/usr/bin/env bats
# Exit codes never fail open: a fatal error in the walk exits 1 with a
# message, whatever its errno.  Oracles: the kernel's own errno (made by a
# seccomp filter), findmnt, the files themselves.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
	cd "$D"
	mkdir m d
	mount -t tmpfs exitfs m
	echo from > a
}

teardown() {
	cd /
	umount -R "$D/m" "$D/d" 2>/dev/null || true
}

errstr() { python3 -c "import os,errno; print(os.strerror(errno.$1))"; }

@test "walk: a fatal EPERM is an error with a message, not the callback's stop" {
	# EPERM is -1, the number the callback's stop used to have: the walk
	# ended early and exited 0 without a word
	echo x > m/f
	run -1 --separate-stderr tn_nosys fgetxattr=1 "$TNOS" walk \
		--resume-token user.t=00112233445566778899aabbccddeeff "$D/m" exitfs
	[ "$stderr" = "tnos walk: fgetxattr ($D/m): $(errstr EPERM)" ]
	[ -z "$output" ]
	run -1 --separate-stderr tn_nosys fgetxattr=1 "$TNOS" walk -j 2 \
		--resume-token user.t=00112233445566778899aabbccddeeff "$D/m" exitfs
	[ "$stderr" = "tnos walk: fgetxattr ($D/m): $(errstr EPERM)" ]
	# the same walk without the filter finishes
	run -0 --separate-stderr "$TNOS" walk --resume-token user.t=00112233445566778899aabbccddeeff "$D/m" exitfs
	[ "$output" = "$D/m/f" ]
}

@test "walk: --exec that cannot run stops the walk: exit 1, its own message, no other" {
	echo x > m/f
	run -1 --separate-stderr "$TNOS" walk --exec "$D/nosuch" \; "$D/m" exitfs
	[ "$stderr" = "tnos walk: --exec $D/nosuch: $(errstr ENOENT)
tnos walk: --exec $D/nosuch failed for 1 file" ]
}
