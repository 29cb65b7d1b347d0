#!/usr/bin/env bats
# README.md's tour, run: the suite runs the setup script the README shows,
# then every ```console block in order, and compares what tnos prints with
# what the README shows, ignoring only what differs from run to run (ids,
# device numbers, times; see tests/lib/tour.py).  A README example that
# drifts from the binary fails here.  The tests run in README order and
# depend on each other, as the tour's commands do.
load helpers

: "${TOUR_README:=$BATS_TEST_DIRNAME/../README.md}"
TOUR=$BATS_TEST_DIRNAME/lib/tour.py

setup_file() {
	skip_unless_root
	# The tour lives at /mnt/tank and /mnt/cache.  Only in a private mount
	# namespace (tests/run), and on a tmpfs over /mnt, so that nothing,
	# not even a directory, is made on the host.
	if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
		echo "tests must run in a private mount namespace (use tests/run)" >&2
		return 1
	fi
	[ "$(findmnt -n -o PROPAGATION -T /mnt)" = private ] ||
		{ echo "the mount holding /mnt is not private here" >&2; return 1; }
	mount -t tmpfs -o size=16m,mode=755 tour-mnt /mnt
	[ "$(findmnt -n -o PROPAGATION /mnt)" = private ]
	python3 "$TOUR" setup "$TOUR_README" >"$BATS_FILE_TMPDIR/setup.sh"
	(cd / && bash -e -o pipefail "$BATS_FILE_TMPDIR/setup.sh") ||
		{ echo "the README's tour setup failed" >&2; return 1; }
	export TOUR_STATE=$BATS_FILE_TMPDIR/ids.json
}

teardown_file() {
	umount -R /mnt 2>/dev/null || umount -l /mnt 2>/dev/null || true
}

# tour_block KEY: the console block(s) under the README heading KEY
tour_block() {
	run python3 "$TOUR" run "$TOUR_README" "$1" "$TOUR_STATE" "$TNOS"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output"; false; }
}

@test "every console block of the README has its test here, in order" {
	want=$(python3 "$TOUR" keys "$TOUR_README" | uniq)
	got=$(sed -n 's/^[[:space:]]*tour_block "\(.*\)"$/\1/p' "$BATS_TEST_FILENAME")
	[ -n "$want" ]
	[ "$want" = "$got" ] || { diff <(echo "$want") <(echo "$got"); false; }
}

@test "the README states how the tour ran: locale, namespace, user of the \$ examples" {
	text=$(tr -s ' \n' '  ' <"$TOUR_README")
	run -0 python3 "$TOUR" env
	[ "${#lines[@]}" -ge 3 ]
	for phrase in "${lines[@]}"; do
		[[ $text == *"$phrase"* ]] || { echo "README does not say: $phrase"; false; }
	done
}

@test "tour: lsmount" {
	tour_block "lsmount"
}

@test "tour: lsmount --watch" {
	tour_block "lsmount --watch"
}

@test "tour: statmount" {
	tour_block "statmount"
}

@test "tour: fsmount" {
	tour_block "fsmount"
}

@test "tour: setattr" {
	tour_block "setattr"
}

@test "tour: move" {
	tour_block "move"
}

@test "tour: umount" {
	tour_block "umount"
}

@test "tour: rename (as uid 1000)" {
	tour_block "rename"
}

@test "tour: statx" {
	tour_block "statx"
}

@test "tour: openat2" {
	tour_block "openat2"
}

@test "tour: fhandle" {
	tour_block "fhandle"
}

@test "tour: walk" {
	tour_block "walk"
}

@test "tour: access" {
	tour_block "access"
}

@test "tour: xattr" {
	tour_block "xattr"
}

@test "Exit status: the example" {
	tour_block "Exit status"
}
