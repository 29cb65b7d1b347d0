#!/usr/bin/env bats
# Dispatch, help, version, usage errors, links, output plumbing.
load helpers

setup_file() { :; }
teardown() { tn_teardown_tmpfs; }

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

# The long options of tnos CMD as getopt -l takes them: NAME, NAME: when
# --help shows a value after it (an upper-case word: ID, COLS, CMD [ARGS] ;),
# or NAME:: when the value is optional (in brackets: [N]).
getopt_longopts() {
	"$TNOS" "$1" --help | grep -oE -- '^  (-., |    )--[a-z0-9-]+( \[?[A-Z][^ ]*)?' |
		sed -E 's/^ *(-., )?--//; s/ \[.*/::/; s/ [A-Z].*/:/' | paste -sd, -
}

@test "abbreviated long options resolve as getopt_long resolves them (util-linux getopt is the oracle), for every prefix of every option" {
	n=0
	for c in $("$TNOS" __options); do
		list=$(getopt_longopts "$c")
		# the option set is the one tnos __options lists
		[ "$(tr , '\n' <<<"$list" | sed 's/:*$//' | sort)" = "$("$TNOS" __options "$c" | sed 's/^--//' | sort)" ]
		for o in $(tr , ' ' <<<"$list"); do
			o=${o%%:*}
			for ((k = 1; k <= ${#o}; k++)); do
				p=${o:0:k}
				gout=$(getopt -o '' -l "$list" -- "--$p" 2>"$BATS_TEST_TMPDIR/gerr") || :
				gerr=$(<"$BATS_TEST_TMPDIR/gerr")
				case $gerr in
				*"is ambiguous; possibilities:"*)
					# the same line, word for word: tnos lists them in --help's order
					args=("--$p") want="tnos $c: ${gerr#getopt: }" ;;
				*"requires an argument")
					l=${gerr#*\'--} l=${l%%\'*}
					args=("--$p") want="tnos $c: option '--$l' needs a "
					[[ $("$TNOS" "$c" --help) == *"--$l CMD "*";"* ]] && want+="command" || want+="value" ;;
				"")
					l=${gout# --} l=${l% --}
					if [[ $l == *" ''" ]]; then
						# an optional value (getopt shows it empty): a
						# word that is not one is the option's to refuse
						l=${l% \'\'}
						args=("--$p=x") want="tnos $c: --$l: 'x' is not a number"
						got=$("$TNOS" "$c" "${args[@]}" 2>&1 >"$BATS_TEST_TMPDIR/out") && st=0 || st=$?
						[ "$st" = 2 ] && [ ! -s "$BATS_TEST_TMPDIR/out" ] && [[ ${got%%$'\n'*} == "$want"* ]] ||
							{ echo "tnos $c ${args[*]}: exit $st: '$got'; want '$want'"; false; }
						n=$((n + 1))
						continue
					fi
					[ -n "$l" ] && [[ $l != *" "* ]] || { echo "getopt --$p: '$gout'"; false; }
					args=("--$p=x") want="tnos $c: option '--$l' takes no value" ;;
				*) echo "getopt -l $list -- --$p: $gerr"; false ;;
				esac
				got=$("$TNOS" "$c" "${args[@]}" 2>&1 >"$BATS_TEST_TMPDIR/out") && st=0 || st=$?
				[ "$st" = 2 ] && [ ! -s "$BATS_TEST_TMPDIR/out" ] && [[ ${got%%$'\n'*} == "$want"* ]] ||
					{ echo "tnos $c ${args[*]}: exit $st: '$got'; want '$want'"; false; }
				n=$((n + 1))
			done
		done
	done
	[ "$n" -ge 500 ]
}

@test "an abbreviated option takes its value as the whole name does (--outp=COLS, --outp COLS), checked against findmnt and stat(1)" {
	want=$(findmnt -J -l -t proc,sysfs -o TARGET | jq -r '.filesystems[].target' | sort)
	[ -n "$want" ]
	run -0 --separate-stderr "$TNOS" lsmount --outp=TARGET --ty proc,sysfs -l -J
	[ "$(jq -r '.mounts[].mnt_point' <<<"$output" | sort)" = "$want" ]
	run -0 --separate-stderr "$TNOS" lsmount --outp TARGET --typ=proc,sysfs -l -J
	[ "$(jq -r '.mounts[].mnt_point' <<<"$output" | sort)" = "$want" ]
	f=$BATS_TEST_TMPDIR/f && printf 12345 > "$f"
	run -0 --separate-stderr "$TNOS" statx --out=PATH,SIZE --js "$f"
	[ "$(jq -r '"\(.path) \(.stx_size)"' <<<"$output")" = "$(stat -c '%n %s' "$f")" ]
	run -0 --separate-stderr "$TNOS" statx --out PATH --js "$f"
	[ "$(jq -c 'keys' <<<"$output")" = '["path"]' ]
}

@test "an exact name wins over the longer names it begins; an ambiguous prefix names every candidate, exit 2, nothing on stdout" {
	# --list is whole, though --list-columns starts with it (getopt agrees)
	[ "$(getopt -o '' -l list,limit:,list-columns -- --list)" = " --list --" ]
	run -0 --separate-stderr "$TNOS" lsmount --list --outp TARGET -n -t proc
	[ "$(sort <<<"$output")" = "$(findmnt -J -l -t proc -o TARGET | jq -r '.filesystems[].target' | sort)" ]
	run -2 --separate-stderr "$TNOS" lsmount --li /
	[ -z "$output" ]
	[ "$stderr" = "tnos lsmount: option '--li' is ambiguous; possibilities: '--list' '--limit' '--list-columns'
Try 'tnos lsmount --help'." ]
	# with a value given after '=', the message names the prefix alone
	run -2 --separate-stderr "$TNOS" lsmount --r=x
	[ "${stderr%%$'\n'*}" = "tnos lsmount: option '--r' is ambiguous; possibilities: '--reverse' '--raw'" ]
	# "--=x" names no option at all
	run -2 --separate-stderr "$TNOS" lsmount --=x
	[ "${stderr%%$'\n'*}" = "tnos lsmount: unknown option '--=x'" ]
}

@test "abbreviations leave '--' and '--exec CMD ... ;' alone: the words after them are not options" {
	f=$BATS_TEST_TMPDIR/f && echo hello > "$f"
	mkdir -p "$BATS_TEST_TMPDIR/d" && cd "$BATS_TEST_TMPDIR/d"
	echo x > ./--js
	# after --, "--js" is a path, as stat(1) takes it
	run -0 --separate-stderr "$TNOS" statx -J -- --js
	[ "$(jq -r .stx_size <<<"$output")" = "$(stat -c %s -- --js)" ]
	# --exe is --exec; the command's own --js, up to the ';', is cat's
	run -0 --separate-stderr "$TNOS" openat2 --exe sh -c 'cat; echo "$1"' sh --js ';' "$f"
	[ "$output" = "hello
--js" ]
	# an abbreviation of an option that takes the words to ';' still needs the ';'
	run -2 --separate-stderr "$TNOS" openat2 --exe cat "$f"
	[[ ${stderr%%$'\n'*} == "tnos openat2: end the --exec command with a lone ';'"* ]]
}

# typos WORD...: for each word, a few one-edit typos of it and some words
# close to nothing, each with the suggestion the rule of tnos(1) gives
# among the words (worked out here, in python): "TYPO<TAB>SUGGESTION", or
# "TYPO<TAB>" when none is close.  OPTS=1: a typo that begins an option is
# an abbreviation, not a typo; KEYS: words compared with case.
typos() {
	python3 - "$@" <<'PY'
import os, sys
words = sys.argv[1:]
opts = os.environ.get("OPTS") == "1"
keys = set(os.environ.get("KEYS", "").split())

def osa(a, b):
    a, b = a.lower(), b.lower()
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]

def near(w):
    best = {}
    for c in words:
        if c.lower() in best:
            continue
        if len(w) >= 3 and len(w) < len(c) and c.lower().startswith(w.lower()):
            best[c.lower()] = (1, c)
            continue
        d = osa(w, c)
        if d <= max(len(w), len(c)) // 3:
            best[c.lower()] = (d, c)
    if not best:
        return ""
    m = min(d for d, _ in best.values())
    at = [c for d, c in best.values() if d == m]
    return at[0] if len(at) == 1 else ""

def known(w):
    for c in words:
        if (w == c) if c in keys else (w.lower() == c.lower()):
            return True
        if opts and c.startswith(w):
            return True
    return False

out = {}
for c in words:
    h = len(c) // 2
    for t in (c[:h] + c[h + 1:], c[:h - 1] + c[h] + c[h - 1] + c[h + 1:],
              c[0] + ("z" if c[1] == "q" else "q") + c[2:], c[:h] + "x" + c[h:]):
        if len(c) >= 4 and t and not t[0].isdigit() and t[0] != "-" and not known(t):
            out[t] = near(t)
for t in ("frobnicate", "zzzzzz", "qq", "xyzzy"):
    out[t] = near(t)
for t, s in out.items():
    print(t + "\t" + s)
PY
}

# chk_typos WANT_PREFIX HINTLESS_END CMD... : each typo T (read from stdin)
# given as the last argument's placeholder @ gives the first line
# "WANT_PREFIX'T'; did you mean 'S'?", or "WANT_PREFIX'T'HINTLESS_END"
chk_typos() {
	local pre=$1 end=$2 t s n=0 h=0
	shift 2
	while IFS=$'\t' read -r t s; do
		local args=("${@//@/$t}")
		got=$("$TNOS" "${args[@]}" 2>&1 >"$BATS_TEST_TMPDIR/out") && st=0 || st=$?
		if [ -n "$s" ]; then want="$pre'$t'; did you mean '$s'?"; h=$((h + 1)); else want="$pre'$t'$end"; fi
		[ "$st" = 2 ] && [ ! -s "$BATS_TEST_TMPDIR/out" ] && [ "${got%%$'\n'*}" = "$want" ] ||
			{ echo "tnos ${args[*]}: exit $st: '${got%%$'\n'*}', want '$want'"; return 1; }
		n=$((n + 1))
	done
	echo "$n typos, $h hints"
	[ "$n" -ge 20 ] || return 1
	[ "$h" -ge 10 ]
}

@test "did you mean: an unknown command, option, column or flag name gets the one close candidate the rule gives (worked out in python), or no hint" {
	cmds=$(ls "$BATS_TEST_DIRNAME"/../man/tnos-*.1 | sed 's|.*/tnos-||; s|\.1$||')
	typos $cmds help | chk_typos "tnos: unknown command " "" @
	typos $cmds help | chk_typos "tnos: unknown command " "" help @
	OPTS=1 typos $("$TNOS" __options setattr | sed 's/^--//') |
		sed 's/\t\(.\)/\t--\1/; s/^/--/' | chk_typos "tnos setattr: unknown option " "" setattr @ /
	cols=$("$TNOS" lsmount --list-columns -J | jq -r '.columns[] | .name, .key')
	KEYS=$("$TNOS" lsmount --list-columns -J | jq -r '.columns[].key') typos $cols |
		chk_typos "tnos lsmount: unknown column " " (see --list-columns)" lsmount -l -o @
	flags=$("$TNOS" walk --help | sed -n '/^ *--open-flags NAMES/,/)$/p' | sed 1d | tr -d '()' | tr -s ' \n' '\n' | sed '/^$/d')
	typos $flags | chk_typos "tnos walk: --open-flags: unknown name " " (known: $(echo $flags))" walk --open-flags @ / x
	attrs=$("$TNOS" setattr --help | sed -n '/--set ATTRS/,/)$/p' | sed 1d | tr -d '()' | tr -s ' \n' '\n' | sed '/^$/d')
	typos $attrs | chk_typos "tnos setattr: --set: unknown name " " (known: $(echo $attrs))" setattr --attr @ /
}

@test "did you mean: the cases people type" {
	run -2 --separate-stderr "$TNOS" lsmnt
	[ -z "$output" ]
	[ "$stderr" = "tnos: unknown command 'lsmnt'; did you mean 'lsmount'?
Try 'tnos --help'." ]
	run -2 --separate-stderr "$TNOS" walk --open-flags rdonyl / x
	[ "${stderr%%$'\n'*}" = "tnos walk: --open-flags: unknown name 'rdonyl'; did you mean 'rdonly'?" ]
	run -2 --separate-stderr "$TNOS" setattr --verbsoe /
	[ "${stderr%%$'\n'*}" = "tnos setattr: unknown option '--verbsoe'; did you mean '--verbose'?" ]
	run -2 --separate-stderr "$TNOS" lsmount -o TARGET,SORCE
	[ "${stderr%%$'\n'*}" = "tnos lsmount: unknown column 'SORCE'; did you mean 'SOURCE'?" ]
	# mount(8)'s -o words typed as options: the option that takes them
	# (not the nearest spelling: --rw is not --raw)
	run -2 --separate-stderr "$TNOS" setattr --rw /
	[ "${stderr%%$'\n'*}" = "tnos setattr: unknown option '--rw'; did you mean '--set rw'?" ]
	run -2 --separate-stderr "$TNOS" setattr --private /
	[ "${stderr%%$'\n'*}" = "tnos setattr: unknown option '--private'; did you mean '--propagation private'?" ]
	run -2 --separate-stderr "$TNOS" fsmount --ro tmpfs
	[ "${stderr%%$'\n'*}" = "tnos fsmount: unknown option '--ro'; did you mean '--attr ro'?" ]
	run -2 --separate-stderr "$TNOS" walk --noatime / x
	[ "${stderr%%$'\n'*}" = "tnos walk: unknown option '--noatime'; did you mean '--open-flags noatime'?" ]
	# two candidates equally close: no guess
	run -2 --separate-stderr "$TNOS" statx -o XID /
	[ "${stderr%%$'\n'*}" = "tnos statx: unknown column 'XID' (see --list-columns)" ]
	# too short to tell, and too far
	run -2 --separate-stderr "$TNOS" setattr --set rx /
	[[ ${stderr%%$'\n'*} == "tnos setattr: --set: unknown name 'rx' (known: "* ]]
	run -2 --separate-stderr "$TNOS" frobnicate
	[ "${stderr%%$'\n'*}" = "tnos: unknown command 'frobnicate'" ]
}

@test "same spelling across commands: setattr --attr is --set, as fsmount spells it (mountinfo is the oracle)" {
	tn_setup_tmpfs
	mkdir "$TT/m" && mount -t tmpfs tnos-attr "$TT/m"
	run -0 --separate-stderr "$TNOS" setattr --attr ro,nosuid "$TT/m"
	[ -z "$output" ]
	opts=$(findmnt -n -o VFS-OPTIONS "$TT/m")
	# and abbreviated, the way --set would be
	run -0 --separate-stderr "$TNOS" setattr --att noexec "$TT/m"
	opts2=$(findmnt -n -o VFS-OPTIONS "$TT/m")
	[[ ,$opts, == *,ro,* && ,$opts, == *,nosuid,* ]] || { echo "$opts"; false; }
	[[ ,$opts2, == *,noexec,* ]] || { echo "$opts2"; false; }
	[[ $("$TNOS" setattr --help) == *"--attr ATTRS "*"the same as --set"* ]]
}

@test "fsmount -o given a column list is refused with a hint to use --output, and nothing is mounted" {
	tn_setup_tmpfs
	mkdir "$TT/m"
	before=$(wc -l </proc/self/mountinfo)
	for v in TARGET,SOURCE +FSTYPE MAJ:MIN; do
		run -2 --separate-stderr "$TNOS" fsmount -o "$v" tmpfs "$TT/m"
		[ -z "$output" ]
		[ "${stderr%%$'\n'*}" = "tnos fsmount: -o '$v': -o is the filesystem's options here, as in mount(8); to choose columns, use --output '$v'" ] ||
			{ echo "$stderr"; false; }
	done
	# the same words are columns to --output
	run -0 --separate-stderr "$TNOS" fsmount --output TARGET,SOURCE -o size=1m tmpfs "$TT/m"
	[ "$output" = "TARGET: $TT/m
SOURCE: $(findmnt -n -o SOURCE "$TT/m")" ]
	# filesystem options, lower case or not column names, are passed on
	run -0 --separate-stderr "$TNOS" fsmount -o size=2m,mode=700 tmpfs "$TT/m"
	run -1 --separate-stderr "$TNOS" fsmount -o TARGET,bogus tmpfs "$TT/m"
	[[ $stderr != *"--output"* ]]
	# the two good ones are mounted, the refused ones not
	[ "$(findmnt -n -o TARGET -R "$TT" | wc -l)" = 3 ]
	[ "$(wc -l </proc/self/mountinfo)" = $((before + 2)) ]
}

@test "tnos' own --version and --help abbreviate as getopt takes them; a typo of one is named" {
	for p in --v --vers --version --h --hel; do
		l=$(getopt -o Vh -l version,help -- "$p")
		l=${l# } l=${l%% *}
		run -0 --separate-stderr "$TNOS" "$p"
		case $l in
		--version) [ "$output" = "tnos $(cat "$BATS_TEST_DIRNAME/../VERSION")" ] ;;
		--help) [[ $output == "Usage: tnos COMMAND"* ]] ;;
		*) echo "getopt $p: $l"; false ;;
		esac
	done
	run -2 --separate-stderr "$TNOS" --verison
	[ -z "$output" ]
	[ "$stderr" = "tnos: unknown option '--verison'; did you mean '--version'?
Try 'tnos --help'." ]
}
