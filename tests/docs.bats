#!/usr/bin/env bats
# --help, the man pages and the completions must agree about options
# (like git's t0450-txt-doc-vs-help.sh and util-linux's checkcompletion.sh).
load helpers

man_opts() {	# long options documented in a man page's OPTIONS sections
	sed 's/\\-/-/g' "$1" | grep -oE -- '(^|[^a-z0-9-])--[a-z0-9][a-z0-9-]*' | sed 's/^.*--//' | sort -u
}

@test "every command has a man page, linked from tnos(1)" {
	for c in $("$TNOS" __options); do
		[ -f "$BATS_TEST_DIRNAME/../man/tnos-$c.1" ] || { echo "no man/tnos-$c.1"; false; }
		grep -q "tnos-$c (1)\|tnos\\\\-$c (1)\|BR tnos\\\\-$c (1)\|tnos-$c(1)" "$BATS_TEST_DIRNAME/../man/tnos.1" ||
			{ echo "tnos.1 does not mention tnos-$c(1)"; false; }
	done
}

@test "every option in --help is in the man page, and the reverse" {
	for c in $("$TNOS" __options); do
		help=$("$TNOS" __options "$c" | sed 's/^--//' | sort -u)
		[ -n "$help" ]
		# the help text shows each option
		h=$("$TNOS" "$c" --help)
		for o in $help; do [[ $h == *"--$o"* ]] || { echo "$c --help lacks --$o"; false; }; done
		m=$(man_opts "$BATS_TEST_DIRNAME/../man/tnos-$c.1")
		missing=$(comm -23 <(echo "$help") <(echo "$m"))
		[ -z "$missing" ] || { echo "tnos-$c.1 lacks: $missing"; false; }
		extra=$(comm -13 <(echo "$help") <(echo "$m"))
		[ -z "$extra" ] || { echo "tnos-$c.1 documents options tnos $c does not have: $extra"; false; }
	done
}

@test "bash completion offers exactly the options of --help" {
	source "$BATS_TEST_DIRNAME/../completions/tnos.bash"
	PATH=$(dirname "$TNOS"):$PATH
	for c in $("$TNOS" __options); do
		COMP_WORDS=(tnos "$c" --); COMP_CWORD=2
		_tnos
		got=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u)
		want=$("$TNOS" __options "$c" | sort -u)
		[ "$got" = "$want" ] || { echo "$c: completion '$got' != help '$want'"; false; }
	done
}

@test "man pages are lint-clean (mandoc -Tlint)" {
	command -v mandoc >/dev/null || tn_skip "no mandoc"
	for m in "$BATS_TEST_DIRNAME"/../man/*.1; do
		run mandoc -Tlint -W warning "$m"
		[ "$status" -eq 0 ] || { echo "$m: $output"; false; }
	done
}

@test "every JSON key in --list-columns is documented in the man page" {
	for c in $("$TNOS" __options); do
		"$TNOS" "$c" --list-columns >/dev/null 2>&1 || continue
		for k in $("$TNOS" "$c" --list-columns -J | jq -r '.columns[].key'); do
			grep -q -- "$(printf '%s' "$k" | sed 's/_/\\\\?_/g')" "$BATS_TEST_DIRNAME/../man/tnos-$c.1" ||
				grep -qF -- "$k" "$BATS_TEST_DIRNAME/../man/tnos-$c.1" ||
				{ echo "tnos-$c.1 lacks key $k"; false; }
		done
	done
}
