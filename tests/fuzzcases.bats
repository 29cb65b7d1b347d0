#!/usr/bin/env bats
# The fuzzers' inputs fed to the commands themselves: what a harness checks
# in-process must hold at the command line too.  (A crash a fuzzer finds is
# added here as a test of its own.)  Oracles: stat(1), mountinfo.
load helpers

setup_file() { tn_setup_tmpfs; mkdir -p "$TT/m"; }
teardown_file() { tn_teardown_tmpfs; }

@test "fsmount -o: refused lists (tests/fuzz/corpus/optsplit) are usage errors; nothing is mounted" {
	before=$(cat /proc/self/mountinfo)
	while IFS='|' read -r list why; do
		run -2 --separate-stderr "$TNOS" fsmount tmpfs "$TT/m" -o "$list"
		[ "$output" = "" ]
		[ "${stderr%%$'\n'*}" = "tnos fsmount: -o $list: $why" ] || { echo "$list: $stderr"; return 1; }
	done <<'LISTS'
"unbalanced|unbalanced double quote
a,,b|empty option name
a,|empty option name
,a|empty option name
=x|empty option name
size=1m,"=x"|empty option name
a",|unbalanced double quote
LISTS
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
}

@test "fsmount -o: quotes are removed and protect commas, as the splitter's fuzzer checks" {
	# "mode"="0711" is mode=0711; a quoted comma reaches the kernel inside the
	# value (size="1m,mode=0700" is refused as one bad size)
	run -0 --separate-stderr "$TNOS" fsmount tmpfs --detached -o '"mode"="0711",size=1m' -- stat -c %a .
	[ "$output" = 711 ]
	run -1 --separate-stderr "$TNOS" fsmount tmpfs "$TT/m" -o 'size="1m,mode=0700"'
	[[ $stderr == *'size=1m,mode=0700'* ]] || { echo "$stderr"; return 1; }
	run -0 --separate-stderr "$TNOS" fsmount tmpfs --detached -o 'size=1m,"mode=0750"' -- stat -c %a .
	[ "$output" = 750 ]
}

@test "walk --btime-cutoff: each seed of tests/fuzz/corpus/time is a time GNU date agrees with, or a usage error" {
	mkdir -p "$TT/bt"
	mount -t tmpfs bt-src "$TT/bt"
	touch "$TT/bt/f"
	born=$(stat -c %W "$TT/bt/f")
	[ "$born" -gt 0 ] || tn_skip "no birth time on tmpfs"
	for seed in "$TNOS_TESTS"/fuzz/corpus/time/*; do
		t=$(cat "$seed")
		run --separate-stderr "$TNOS" walk --btime-cutoff "$t" "$TT/bt" bt-src
		if [[ $t =~ ^[-+]?[0-9]+$ ]]; then when=$(date -d "@$t" +%s 2>/dev/null) || when=refused
		else when=$(date -d "$t" +%s 2>/dev/null) || when=refused; fi
		if [ "$status" -eq 2 ]; then
			[ "$when" = refused ] || { echo "$t: date reads $when, tnos refused"; return 1; }
			[[ $stderr == *"--btime-cutoff: '$t' is neither"* ]] || { echo "$t: $stderr"; return 1; }
			continue
		fi
		[ "$status" -eq 0 ] || { echo "$t: exit $status: $stderr"; return 1; }
		[ "$when" != refused ] || { echo "$t: tnos accepted what date refuses"; return 1; }
		# the file is listed exactly when it was born at or before the cutoff
		if [ "$born" -le "$when" ]; then want="$TT/bt/f"; else want=""; fi
		[ "$output" = "$want" ] || { echo "$t (date: $when): '$output'"; return 1; }
	done
	for bad in '' yesterday 2024-13-01 2024-05-01T25:00 2024-05-01T12:00:00+2400 2024-05-01x 1e9 2023-02-29 2024-04-31; do
		run -2 "$TNOS" walk --btime-cutoff "$bad" "$TT/bt" bt-src
	done
	umount "$TT/bt"
}

@test "xattr set: each seed of tests/fuzz/corpus/xattrval is stored as setfattr stores it, or refused where setfattr refuses" {
	f=$TT/xv
	: > "$f"
	hexval() { getfattr --absolute-names -n "$1" -e hex "$f" | sed -n 's/^[^=]*=//p'; }
	n=0
	for seed in "$BATS_TEST_DIRNAME"/fuzz/corpus/xattrval/*; do
		v=$(cat "$seed")
		if setfattr -n user.oracle -v "$v" "$f" 2>/dev/null; then want=$(hexval user.oracle); else want=refused; fi
		run --separate-stderr "$TNOS" xattr set "$f" user.tnos "$v"
		if [ "$status" -eq 0 ]; then
			got=$(hexval user.tnos)
			[ "$got" = "$want" ] || { echo "$seed: tnos $got, setfattr $want"; return 1; }
		else
			[ "$status" -eq 2 ] || { echo "$seed: exit $status: $stderr"; return 1; }
			[[ $stderr == "tnos xattr: VALUE "* ]] || { echo "$seed: $stderr"; return 1; }
			# tnos is stricter than setfattr only on an octal escape over \377
			[ "$want" = refused ] || [[ $v == *'\7'[0-7][0-7]* ]] || { echo "$seed: setfattr took it: $want"; return 1; }
		fi
		setfattr -x user.oracle "$f" 2>/dev/null || true
		setfattr -x user.tnos "$f" 2>/dev/null || true
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
}
