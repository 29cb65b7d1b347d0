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
