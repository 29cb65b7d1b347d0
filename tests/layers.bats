#!/usr/bin/env bats
# The layers keep their promises, checked on what the compiler made of them
# (the undefined symbols of each object, nm -u), not on the source text:
# src/core never prints, exits or uses the allocators that exit; src/cmd
# reaches the kernel only through src/core; completion never swaps stdout.
load helpers

# compile FILE... into $BATS_TEST_TMPDIR/obj, one object each (no fortify:
# printf stays printf)
objs() {
	local cflags f
	cflags=$(pkg-config --cflags jansson libbsd-overlay 2>/dev/null)
	mkdir -p "$BATS_TEST_TMPDIR/obj"
	for f in "$@"; do
		# shellcheck disable=SC2086
		cc -std=gnu11 -O0 -U_FORTIFY_SOURCE $cflags -DTNOS_VERSION='"test"' -c "$f" \
			-o "$BATS_TEST_TMPDIR/obj/$(basename "${f%.c}").o" || return 1
	done
}

# undefined symbols of the objects named, one "object: symbol" a line
undef() {
	local o
	for o in "$@"; do
		nm -u "$BATS_TEST_TMPDIR/obj/$o.o" | awk -v o="$o" '{ print o ": " $NF }'
	done
}

@test "src/core never prints, exits, or allocates with the helpers that exit" {
	local src="$BATS_TEST_DIRNAME/../src"
	objs "$src"/core/*.c
	run -0 undef $(cd "$src/core" && ls *.c | sed 's/\.c$//')
	[ -n "$output" ]	# the objects do call something (malloc at least)
	echo "$output" | grep -q ': malloc$'
	bad='(exit|_exit|abort|err|errx|warn|warnx|perror|printf|fprintf|vfprintf|puts|fputs|fputc|putchar|putc|fwrite|stdout|stderr|xmalloc|xcalloc|xrealloc|xstrdup|sb_[a-z]+|tn_warn|tn_syserr|tn_usage_err|tn_stdout_close)'
	run ! grep -E ": $bad\$" <<<"$output"
	[ -z "$output" ] || { echo "$output"; false; }
}

@test "src/cmd calls no sys_* wrapper and no syscall(): the kernel is reached through src/core" {
	local src="$BATS_TEST_DIRNAME/../src"
	objs "$src"/cmd/*.c "$src"/cmd/common/*.c
	run -0 undef $(cd "$src/cmd" && ls *.c common/*.c | sed 's|^common/||; s/\.c$//')
	echo "$output" | grep -q ': tn_'	# core is called
	run ! grep -E ': (sys_[a-z0-9_]+|syscall)$' <<<"$output"
	[ -z "$output" ] || { echo "$output"; false; }
}

@test "completion writes its candidates to stdout itself: no stdout swapped for a memory stream" {
	local src="$BATS_TEST_DIRNAME/../src"
	objs "$src"/complete.c
	run -0 undef complete
	echo "$output" | grep -q '^complete: tn_mountinfo_each$'	# mount points come from core
	run ! grep -E ': (stdout|open_memstream|fmemopen)$' <<<"$output"
	[ -z "$output" ] || { echo "$output"; false; }
}
