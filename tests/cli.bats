#!/usr/bin/env bats
# Dispatch, help, version, usage errors, links, output plumbing.
load helpers

setup_file() { :; }

@test "tnos --version prints the VERSION file" {
	run -0 "$TNOS" --version
	[ "$output" = "tnos $(cat "$BATS_TEST_DIRNAME/../VERSION")" ]
}

@test "tnos with no arguments: usage on stderr, exit 2" {
	run -2 --separate-stderr "$TNOS"
	[ -z "$output" ]
	[[ $stderr == *"Usage: tnos COMMAND"* ]]
}

@test "tnos --help and tnos help: stdout, exit 0, every command listed" {
	run -0 --separate-stderr "$TNOS" --help
	for c in $("$TNOS" __options); do [[ $output == *"  $c "* ]]; done
	run -0 "$TNOS" help
	[[ $output == *lsmount* ]]
}

@test "unknown command: one line plus a hint, exit 2" {
	run -2 --separate-stderr "$TNOS" frobnicate
	[ "$stderr" = "tnos: unknown command 'frobnicate'
Try 'tnos --help'." ]
}

@test "every command: --help on stdout exit 0; unknown option exit 2 with hint" {
	for c in $("$TNOS" __options); do
		run -0 --separate-stderr "$TNOS" "$c" --help
		[[ $output == "Usage: tnos $c "* ]]
		[ -z "$stderr" ]
		run -0 "$TNOS" help "$c"
		[[ $output == "Usage: tnos $c "* ]]
		run -2 --separate-stderr "$TNOS" "$c" --no-such-option
		[ -z "$output" ]
		[ "$stderr" = "tnos $c: unknown option '--no-such-option'
Try 'tnos $c --help'." ]
	done
}

@test "a link named after a subcommand runs it" {
	d=$(mktemp -d)
	for c in $("$TNOS" __options); do
		ln -s "$TNOS" "$d/$c"
		run -0 "$d/$c" --help
		[[ $output == "Usage: tnos $c "* ]]
	done
	rm -rf "$d"
}

@test "a value missing for an option is a usage error" {
	run -2 --separate-stderr "$TNOS" lsmount --output
	[[ $stderr == *"option '--output' needs a value"* ]]
}

@test "unknown column names the column, exit 2" {
	run -2 --separate-stderr "$TNOS" lsmount -o TARGET,NOPE
	[[ $stderr == *"unknown column 'NOPE'"* ]]
}

@test "writing to a closed pipe ends quietly" {
	run -0 --separate-stderr bash -c "'$TNOS' lsmount -l | head -1"
	[ -z "$stderr" ]
	[[ $output == TARGET* ]]
}

@test "a write error (/dev/full) exits 1 with a message" {
	run -1 --separate-stderr bash -c "'$TNOS' lsmount -l >/dev/full"
	[[ $stderr == *"write error"* ]]
}

@test "--list-columns and --help mark as default exactly the columns a plain run shows" {
	# lsmount -l: the table's headings; statx/walk: the keys of the JSON
	# record (every default field is present for a regular file on tmpfs)
	want=$("$TNOS" lsmount --list-columns -J | jq -r '.columns[] | select(.default) | .name')
	got=$("$TNOS" lsmount -l / | head -1 | tr -s ' ' '\n' | grep .)
	[ "$got" = "$want" ]
	# and both are what tnos-lsmount(1) promises
	doc=$(sed -n 's/^The default columns are \(.*\)\.$/\1/p' "$BATS_TEST_DIRNAME/../man/tnos-lsmount.1" |
		sed 's/, and /, /; s/ and /, /' | tr -d ' ' | tr ',' '\n')
	[ -n "$doc" ]
	[ "$want" = "$doc" ]
	helpdef=$("$TNOS" lsmount --help | awk '/^Columns/ { on = 1; next } on && / \*$/ { print $1 }')
	[ "$helpdef" = "$want" ]
	f=$(mktemp) && echo x > "$f"
	for c in statx statmount; do
		arg=$f; [ $c = statmount ] && arg=/
		def=$("$TNOS" $c --list-columns -J | jq -r '.columns[] | select(.default) | .key' | sort)
		keys=$("$TNOS" $c -J "$arg" | jq -r 'keys[] | sub("_(major|minor)$"; "")' | sort -u)
		# each key shown is a default one; the default set is not empty
		[ -n "$def" ] && [ -z "$(comm -13 <(echo "$def") <(echo "$keys"))" ] ||
			{ echo "$c: shown but not default: $(comm -13 <(echo "$def") <(echo "$keys"))"; rm -f "$f"; false; }
		helpn=$("$TNOS" $c --help | awk '/^Columns/ { on = 1; next } on && / \*$/' | wc -l)
		[ "$helpn" -eq "$(echo "$def" | wc -l)" ]
	done
	rm -f "$f"
}

@test "-o with no column, or an empty name in the list, is refused (exit 2) by every command, as findmnt refuses it" {
	specs=('' '+' 'TARGET,' ',TARGET' 'TARGET,,SOURCE' '+TARGET,')
	# the oracle: findmnt lists nothing and fails for each of them
	for s in "${specs[@]}"; do
		run ! --separate-stderr findmnt -o "$s"
		[ -z "$output" ] || { echo "findmnt -o '$s': $output"; return 1; }
	done
	n=0
	for c in $("$TNOS" __options); do
		"$TNOS" "$c" --list-columns >/dev/null 2>&1 || continue	# no columns, no -o
		n=$((n + 1))
		for s in "${specs[@]}"; do
			run -2 --separate-stderr "$TNOS" "$c" --output "$s" /
			[ -z "$output" ] || { echo "$c -o '$s': $output"; return 1; }
			case $s in
			''|+) want="no column named" ;;
			*) want="an empty column name" ;;
			esac
			[ "${stderr%%$'\n'*}" = "tnos $c: --output '$s': $want (see --list-columns)" ] ||
				{ echo "$c -o '$s': $stderr"; return 1; }
		done
	done
	[ "$n" -ge 8 ]
}

@test "a bad -o fails before the command runs: fhandle -o PATH,NOPE is a usage error, not a crash" {
	run -2 --separate-stderr "$TNOS" fhandle encode -o PATH,NOPE /
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "tnos fhandle: unknown column 'NOPE' (see --list-columns)" ]
}

@test "no line of --help, 'tnos help' or a key: value record ends in a blank" {
	for c in "" $("$TNOS" __options); do
		run -0 --separate-stderr "$TNOS" help $c
		[ -n "$output" ]
		! grep -n ' $' <<<"$output" || { echo "help $c"; false; }
		run -0 --separate-stderr "$TNOS" ${c:+"$c"} --help
		! grep -n ' $' <<<"$output" || { echo "$c --help"; false; }
	done
	f=$BATS_TEST_TMPDIR/f && echo x > "$f"
	for c in "statx $f" "statx / $f" "statmount /" "openat2 $f" "fhandle encode $f"; do
		run -0 --separate-stderr "$TNOS" $c
		[[ $output == *": "* ]]
		! grep -n ' $' <<<"$output" || { echo "$c"; false; }
	done
}

@test "tests/run as a user who is not root: one clear line (root and unshare -m needed), exit non-zero, no suite run" {
	# a copy nobody can reach, wherever the tree lives
	d=$(mktemp -d /tmp/tnos-run.XXXXXX)
	cp "$TNOS_TESTS/run" "$d/run"
	chmod 755 "$d" "$d/run"
	# the oracle: as that user, unshare -m itself is refused
	run ! setpriv --reuid=65534 --regid=65534 --clear-groups unshare -m --propagation private true
	[[ $output == *"Operation not permitted"* ]]
	run ! --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$d/run"
	rm -rf "$d"
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	[ "$(echo "$stderr" | wc -l)" = 1 ]
	[[ $stderr == "tests/run: the suites need root and 'unshare -m'"*"run them as root"* ]]
	[[ $stderr != *"ok "* ]]
}
