#!/usr/bin/env bats
# tnos lsmount: every mount, every field, against /proc/self/mountinfo and findmnt.
load helpers

COLS=ID,PARENT,OLD-ID,OLD-PARENT,TARGET,SOURCE,FSTYPE,ATTR,VFS-OPTIONS,FS-OPTIONS,OPT-FIELDS,PROPAGATION,PEER-GROUP,MASTER,PROPAGATE-FROM,ROOT,MAJ:MIN,SB-FLAGS

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	# some variety: shared, slave, unbindable, bind with a root, ro, nosuid,
	# noexec, noatime
	mkdir -p "$TT"/{a,b,c,d,e,src/sub}
	mount -t tmpfs -o size=1m,mode=0750 tmpa "$TT/a"
	mount --make-shared "$TT/a"
	mount --bind "$TT/a" "$TT/b"
	mount --make-slave "$TT/b"
	mount --bind "$TT/src/sub" "$TT/c"
	mount -o remount,bind,ro,nosuid,noexec "$TT/c"
	mount -t tmpfs -o noatime,nodev tmpd "$TT/d"
	mount --make-unbindable "$TT/d"
}

teardown_file() { tn_teardown_tmpfs; }

@test "every mount agrees with /proc/self/mountinfo (all fields)" {
	run -0 --separate-stderr "$TNOS" lsmount -J -o "$COLS"
	echo "$output" | jq -e '.mounts | length > 5'
	echo "$output" | python3 "$BATS_TEST_DIRNAME/lib/mountinfo.py"
}

@test "the same through --ndjson, -P and the raw table" {
	run -0 "$TNOS" lsmount --ndjson -o "$COLS"
	echo "$output" | jq -s '{mounts: .}' | python3 "$BATS_TEST_DIRNAME/lib/mountinfo.py"
	# pairs: eval each line in a shell, compare the target with mountinfo
	while IFS= read -r line; do
		eval "$line"
		want=$(awk -v id="$OLD_ID" '$1 == id { print $5 }' /proc/self/mountinfo)
		[ "$(mi_unescape "$want")" = "$TARGET" ]
	done < <("$TNOS" lsmount -P -o OLD-ID,TARGET)
	# raw table: one line per mount, columns split on spaces
	[ "$("$TNOS" lsmount -r -n -o TARGET | wc -l)" -eq "$(wc -l < /proc/self/mountinfo)" ]
}

@test "targets, sources, types, options and propagation agree with findmnt" {
	want=$(findmnt -J -l --nofsroot -o TARGET,SOURCE,FSTYPE,VFS-OPTIONS,MAJ:MIN,FSROOT,PROPAGATION |
		jq -c '.filesystems[] | [.target, .source, .fstype, ."vfs-options", ."maj:min", .fsroot,
			(.propagation | split(",") | map(select(. != "")) |
			 # findmnt adds "private" to anything not shared; the kernel does not
			 (if length > 1 then map(select(. != "private")) else . end) | sort)]' | sort)
	got=$("$TNOS" lsmount -J -o TARGET,SOURCE,FSTYPE,ATTR,MAJ:MIN,ROOT,PROPAGATION |
		jq -c '.mounts[] | [.mnt_point, .sb_source, .fs_type, (.mnt_attr | join(",")),
			"\(.sb_dev_major):\(.sb_dev_minor)", .mnt_root, (.mnt_propagation | sort)]' | sort)
	diff <(echo "$want") <(echo "$got")
}

@test "tree: every mount once, each under its parent, children indented" {
	run -0 "$TNOS" lsmount -o TARGET,OLD-ID,OLD-PARENT
	[ "${#lines[@]}" -eq $(( $(wc -l < /proc/self/mountinfo) + 1 )) ]
	# a line's parent (from mountinfo) appears earlier, with less indentation
	declare -A pos depth
	for i in "${!lines[@]}"; do
		[ "$i" -eq 0 ] && continue
		l=${lines[i]}
		pre=${l%%/*}
		read -r _ id parent <<<"${l#"$pre"}"
		pos[$id]=$i
		depth[$id]=${#pre}
	done
	while read -r id parent _; do
		[ -n "${pos[$id]:-}" ]
		if [ -n "${pos[$parent]:-}" ] && [ "$id" != "$parent" ]; then
			[ "${pos[$parent]}" -lt "${pos[$id]}" ]
			[ "${depth[$parent]}" -lt "${depth[$id]}" ]
		fi
	done < /proc/self/mountinfo
}

@test "the descendants of one mount, by path and by id, match findmnt" {
	mkdir -p "$TT/a/x" "$TT/a/y"
	mount -t tmpfs tx "$TT/a/x"
	mount -t tmpfs ty "$TT/a/y"
	want=$(findmnt -l -n -R -o TARGET --target "$TT/a" | sort)
	got=$("$TNOS" lsmount -l -n -r -o TARGET "$TT/a" | sort)
	[ "$want" = "$got" ]
	id=$("$TNOS" statmount -J "$TT/a" | jq .mnt_id)
	got2=$("$TNOS" lsmount -l -n -r -o TARGET "$id" | sort)
	[ "$want" = "$got2" ]
	umount "$TT/a/x" "$TT/a/y"
}

@test "-t includes and no-prefixed types exclude, like findmnt -t; -S/--source as findmnt -S" {
	want=$(findmnt -l -n -o TARGET -t tmpfs | sort)
	got=$("$TNOS" lsmount -l -n -r -o TARGET -t tmpfs | sort)
	[ "$(mi_unescape "$want")" = "$(mi_unescape "$got")" ]
	want=$(findmnt -l -n -o TARGET -t notmpfs,noproc | sort)
	got=$("$TNOS" lsmount -l -n -r -o TARGET -t notmpfs,noproc | sort)
	[ "$want" = "$got" ]
	run -0 "$TNOS" lsmount -l -n -o SOURCE --source tmpd
	[ "$output" = tmpd ]
	# -S, as findmnt spells it: the same mounts findmnt -S lists
	want=$(findmnt -l -n -o TARGET -S tmpd | sort)
	[ -n "$want" ]
	got=$("$TNOS" lsmount -l -n -r -o TARGET -S tmpd | sort)
	[ "$(mi_unescape "$want")" = "$(mi_unescape "$got")" ]
}

@test "-t with no type in it is a usage error, where findmnt -t '' silently lists nothing" {
	[ -z "$(findmnt -n -t '')" ]
	for t in '' ',' ',,'; do
		run -2 --separate-stderr "$TNOS" lsmount -t "$t"
		[ -z "$output" ]
		[[ $stderr == "tnos lsmount: --types: '$t' names no filesystem type"* ]] || { echo "$stderr"; false; }
	done
	# a list with a real type in it is still a filter
	want=$(findmnt -l -n -o TARGET -t tmpfs, | sort)
	got=$("$TNOS" lsmount -l -n -r -o TARGET -t tmpfs, | sort)
	[ -n "$got" ]
	[ "$(mi_unescape "$want")" = "$(mi_unescape "$got")" ]
}

@test "an empty result is still valid JSON" {
	run -0 "$TNOS" lsmount -J -t xyzfs
	[ "$(echo "$output" | jq -c .)" = '{"mounts":[]}' ]
	run -0 "$TNOS" lsmount --ndjson -t xyzfs
	[ -z "$output" ]
}

@test "1500 mounts: pages forward and backward with no duplicate and no gap" {
	mkdir -p "$TT/many/src"
	for i in $(seq 1 1500); do mkdir "$TT/many/m$i"; done
	for i in $(seq 1 1500); do mount --bind "$TT/many/src" "$TT/many/m$i"; done
	total=$(wc -l < /proc/self/mountinfo)
	[ "$total" -gt 1500 ]
	fwd=$("$TNOS" lsmount -l -n -r -o ID --batch 97)
	[ "$(echo "$fwd" | wc -l)" -eq "$total" ]
	[ "$(echo "$fwd" | sort -u | wc -l)" -eq "$total" ]		# no duplicate
	[ "$fwd" = "$(echo "$fwd" | sort -n)" ]				# ascending
	rev=$("$TNOS" lsmount -l -n -r -o ID --reverse --batch 89)
	[ "$rev" = "$(echo "$fwd" | tac)" ]
	# the old ids are exactly mountinfo's
	diff <("$TNOS" lsmount -l -n -r -o OLD-ID --batch 101 | sort -n) <(awk '{print $1}' /proc/self/mountinfo | sort -n)
	# --after/--limit slices line up with the full list
	a=$(echo "$fwd" | sed -n 700p)
	[ "$("$TNOS" lsmount -l -n -r -o ID --after "$a" --limit 300 --batch 64)" = "$(echo "$fwd" | sed -n 701,1000p)" ]
	b=$(echo "$rev" | sed -n 10p)
	[ "$("$TNOS" lsmount -l -n -r -o ID --reverse --after "$b" --limit 5)" = "$(echo "$rev" | sed -n 11,15p)" ]
	umount "$TT"/many/m*
}

@test "odd mount points: escaped for people, byte-exact in JSON" {
	names=("with space" $'new\nline' $'esc\033[31mred' $'bad\xff\xfeutf8' "tab	here")
	for n in "${names[@]}"; do
		mkdir -p "$TT/odd/$n"
		mount -t tmpfs odd "$TT/odd/$n"
	done
	run -0 "$TNOS" lsmount -l -o TARGET
	[[ $output != *$'\033'* ]]
	[[ $output != *$'\xff'* ]]
	[[ $output == *'esc\x1b[31mred'* ]]
	[[ $output == *'new\x0aline'* ]]
	[[ $output == *'bad\xff\xfeutf8'* ]]
	[[ $output == *'tab\x09here'* ]]
	[[ $output == *"with space"* ]]
	for n in "${names[@]}"; do
		# the exact bytes come back from JSON (mnt_point_b64 when not UTF-8)
		got=$("$TNOS" lsmount -J -o TARGET -t tmpfs | python3 -c '
import json, sys, base64
want = sys.argv[1].encode("utf-8", "surrogateescape")
for m in json.load(sys.stdin)["mounts"]:
    b = base64.b64decode(m["mnt_point_b64"]) if "mnt_point_b64" in m else m["mnt_point"].encode()
    if b == want:
        print("found")
' "$TT/odd/$n")
		[ "$got" = found ]
	done
	# -r escapes spaces too, so columns split on blanks
	run -0 "$TNOS" lsmount -r -n -o TARGET,FSTYPE "$TT/odd/with space"
	[ "$output" = "$(printf '%s' "$TT" | sed 's/ /\\x20/g')/odd/with\\x20space tmpfs" ]
	# and the pairs eval back to the exact bytes
	eval "$("$TNOS" lsmount -P -o TARGET "$TT/odd/with space")"
	[ "$TARGET" = "$TT/odd/with space" ]
	umount "$TT"/odd/*
}

@test "a mount with very long options (statmount buffer grows on EOVERFLOW)" {
	l=$(printf 'L%.0s' $(seq 1 200))
	lower=
	for i in $(seq 1 15); do mkdir -p "$TT/ov/$i$l"; lower="$lower${lower:+:}$TT/ov/$i$l"; done
	mkdir -p "$TT/ovm"
	mount -t overlay overlay -o "lowerdir=$lower" "$TT/ovm"
	want=$(awk -v mp="$TT/ovm" '$5 == mp { print $NF }' /proc/self/mountinfo)
	[ "${#want}" -gt 3000 ]
	run -0 "$TNOS" statmount -J "$TT/ovm"
	got=$(echo "$output" | jq -r .mnt_opts)
	[ "$got" = "$want" ]
	[ "$(echo "$output" | jq '.opt_array | length')" -ge 1 ]
	umount "$TT/ovm"
}

@test "--mountinfo keeps the kernel's \\ooo escapes in option values: mountinfo's lines, byte for byte" {
	tn_overlay_escapes "$TT/ovl"
	for m in classic fsconfig; do
		mp=$TT/ovl/$m
		line=$(grep -F " $mp " /proc/self/mountinfo)
		[[ $line == *'\0541'* ]]
		[ "$("$TNOS" lsmount --mountinfo "$mp")" = "$line" ]
	done
	umount "$TT/ovl/classic" "$TT/ovl/fsconfig"
}

@test "OPT-ARRAY splits the options on their commas, then decodes each (a comma of a value stays in its option), also read from mountinfo without listmount" {
	tn_overlay_escapes "$TT/ovl"
	for m in classic fsconfig; do
		mp=$TT/ovl/$m
		line=$(grep -F " $mp " /proc/self/mountinfo)
		# the oracle: mountinfo's super options split on their commas, each
		# option decoded, the superblock's rw left out (python, not tnos)
		want=$(python3 -c '
import json, re, sys
f = sys.argv[1].split(" ")
opts = f[f.index("-") + 3].split(",")
assert opts[0] == "rw", opts
dec = lambda s: re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)
print(json.dumps([dec(o) for o in opts[1:]]))' "$line" | jq -c .)
		echo "$want" | jq -e 'any(.[]; contains(","))'	# a comma inside an option
		[ "$("$TNOS" lsmount -J -o OPT-ARRAY "$mp" | jq -c '.mounts[0].opt_array')" = "$want" ]
		# without listmount and statmount, read from mountinfo: the same
		# options, and FS-OPTIONS and OPTIONS decoded as findmnt's
		run -0 --separate-stderr tn_nosys listmount,statmount "$TNOS" lsmount -J -o OPT-ARRAY,OPTIONS,FS-OPTIONS "$mp"
		[ "$(echo "$output" | jq -c '.mounts[0].opt_array')" = "$want" ]
		[ "$(echo "$output" | jq -c '.mounts[0] | [.options, .mnt_opts]')" = "$(findmnt -J -o OPTIONS,FS-OPTIONS -M "$mp" | jq -c '.filesystems[0] | [.options, ."fs-options"]')" ]
	done
	umount "$TT/ovl/classic" "$TT/ovl/fsconfig"
}

@test "--ns lists another mount namespace, matching its mountinfo" {
	mkdir -p "$TT/nsonly"
	unshare -m --propagation private sh -c "mount -t tmpfs nsonly '$TT/nsonly'; exec sleep 60" &
	pid=$!
	for _ in $(seq 50); do grep -q nsonly /proc/$pid/mountinfo 2>/dev/null && break; sleep 0.1; done
	run -0 "$TNOS" lsmount --ns "$pid" -J -o "$COLS"
	echo "$output" | python3 "$BATS_TEST_DIRNAME/lib/mountinfo.py" "$pid"
	echo "$output" | jq -e '.mounts[] | select(.sb_source == "nsonly")'
	# and ours does not have it
	run -0 "$TNOS" lsmount -J -o SOURCE
	echo "$output" | jq -e '[.mounts[] | select(.sb_source == "nsonly")] | length == 0'
	run -0 "$TNOS" lsmount --ns "/proc/$pid/ns/mnt" -l -n -o SOURCE -t tmpfs
	[[ $output == *nsonly* ]]
	kill "$pid"
	run -1 --separate-stderr "$TNOS" lsmount --ns /proc/self/ns/net
	[[ $stderr == *"not a mount namespace"* ]]
}

@test "--list-columns names every column with its JSON key" {
	run -0 "$TNOS" lsmount --list-columns -J
	echo "$output" | jq -e '.columns | length >= 22'
	for c in ID PARENT OLD-ID OLD-PARENT TARGET SOURCE FSTYPE SUBTYPE OPTIONS SEC-OPTIONS ATTR \
		PROPAGATION PEER-GROUP MASTER PROPAGATE-FROM ROOT MAJ:MIN MAGIC SB-FLAGS NS-ID UIDMAP GIDMAP; do
		echo "$output" | jq -e --arg c "$c" '.columns[] | select(.name == $c)' >/dev/null
	done
	"$TNOS" lsmount -o +ID,MAGIC -l -n | head -1 | grep -q '(0x'
}

@test "an unknown mount id or path: named, exit 1" {
	run -1 --separate-stderr "$TNOS" lsmount 4294967295999
	[[ $stderr == *"4294967295999"* ]]
	run -1 --separate-stderr "$TNOS" lsmount "$TT/does/not/exist"
	[[ $stderr == "tnos lsmount: $TT/does/not/exist: No such file or directory" ]]
	run -2 --separate-stderr "$TNOS" lsmount --limit many
	[[ $stderr == *"--limit"* ]]
	run -2 --separate-stderr "$TNOS" lsmount -l --tree
}

@test "unprivileged: lists its own namespace; another one names the capability" {
	want=$("$TNOS" lsmount -l -n -r -o ID | sort)
	got=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" lsmount -l -n -r -o ID | sort)
	[ "$want" = "$got" ]
	sleep 30 3>&- &
	pid=$!
	run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TNOS" lsmount --ns "$pid"
	kill "$pid"
	[[ $stderr == "tnos lsmount: --ns $pid: Permission denied (another process's mount namespace needs CAP_SYS_ADMIN"* ]]
}

@test "an empty ID|PATH or --ns is refused by name with the kernel's ENOENT" {
	want=$(empty_path_err)
	run -1 --separate-stderr "$TNOS" lsmount ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos lsmount: '': $want" ]
	run -1 --separate-stderr "$TNOS" lsmount --ns ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos lsmount: --ns '': $want" ]
}

@test "--after an old or too small id: exit 2 naming it (the kernel says EINVAL); ID 2^64-1 is no mount" {
	# the kernel refuses listmount after an id at or below 2^31
	run -0 python3 - <<'PY'
import ctypes, errno, struct
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
libc.syscall.argtypes = [ctypes.c_long, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
buf = (ctypes.c_uint64 * 16)()
for last in (22, 2**31):
    n = libc.syscall(NR["listmount"], struct.pack("IIQQ", 24, 0, 2**64 - 1, last), buf, 16, 0)
    assert n == -1 and ctypes.get_errno() == errno.EINVAL, last
print("einval")
PY
	for after in 22 2147483648; do
		run -2 --separate-stderr "$TNOS" lsmount --after "$after"
		[ -z "$output" ]
		[ "${stderr_lines[0]}" = "tnos lsmount: --after: $after is not a unique mount id (those are above 2147483648: see 'tnos lsmount -o ID,TARGET')" ]
	done
	# 2^64-1 is listmount's name for the namespace's root: as an ID it is
	# no mount, as statmount says, not the whole namespace
	run -1 --separate-stderr "$TNOS" statmount 18446744073709551615
	[ "$stderr" = "tnos statmount: 18446744073709551615: no such mount" ]
	for f in -J --mountinfo -l; do
		run -1 --separate-stderr "$TNOS" lsmount $f 18446744073709551615
		[ -z "$output" ]
		[ "$stderr" = "tnos lsmount: 18446744073709551615: no such mount" ]
	done
}

@test "--after the largest id lists nothing, as after any id above the last; listmount itself wraps to the start there" {
	# the kernel, through python: listmount after 2^64-2 gives nothing, after
	# 2^64-1 (it looks from last + 1, which wraps to 0) everything again
	run -0 python3 - <<'PY'
import ctypes, struct
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
libc.syscall.argtypes = [ctypes.c_long, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
def lm(last):
    buf = (ctypes.c_uint64 * 65536)()
    n = libc.syscall(NR["listmount"], struct.pack("IIQQ", 24, 0, 2**64 - 1, last), buf, 65536, 0)
    assert n >= 0
    return list(buf[:n])
assert lm(2**64 - 2) == []
assert lm(2**64 - 1) == lm(0) != []
print("wraps")
PY
	for after in 18446744073709551614 18446744073709551615 0xffffffffffffffff; do
		run -0 --separate-stderr "$TNOS" lsmount -J --after "$after"
		[ "$(echo "$output" | jq -c .mounts)" = "[]" ] || { echo "--after $after: $output"; return 1; }
		run -0 --separate-stderr "$TNOS" lsmount -l -n --after "$after"
		[ "$output" = "" ]
	done
	# --reverse: every id is below it
	[ "$("$TNOS" lsmount -l -n -o ID --reverse --after 18446744073709551615 | wc -l)" = "$(wc -l < /proc/self/mountinfo)" ]
}

@test "C1 controls (U+0080..U+009F) in a name: \\u0080..\\u009f in -J and --ndjson, jq gives the bytes back, walk --report-every escapes them once" {
	local n=$'c1-\xc2\x9b[31m-\xc2\x80-\xc2\x9f-nbsp\xc2\xa0'
	mkdir -p "$TT/c1/$n"
	mount -t tmpfs c1fs "$TT/c1/$n"
	mkdir "$TT/c1/$n/$n"
	want=$(printf '%s' "$TT/c1/$n" | od -An -tx1)
	for fmt in -J --ndjson; do
		run -0 --separate-stderr "$TNOS" lsmount "$fmt" -o TARGET "$TT/c1/$n"
		# no raw C1 control on stdout (od: c2 followed by 80..9f), but U+00A0 stays raw
		hex=$(printf '%s' "$output" | od -An -tx1 -w1 -v | tr -d ' ' | paste -sd' ')
		[[ ! $hex =~ c2\ [89][0-9a-f] ]]
		[[ $hex == *'c2 a0'* ]]
		[[ $output == *'c1-\u009b[31m-\u0080-\u009f-nbsp'$'\xc2\xa0'* ]]
		[ "$(printf '%s' "$output" | jq -j '.mnt_point // .mounts[0].mnt_point' | od -An -tx1)" = "$want" ]
		printf '%s' "$output" | jq -e '(.mnt_point_b64 // .mounts[0].mnt_point_b64) == null'
	done
	# walk's stderr records come from the same writer: one escape, not two
	run -0 --separate-stderr "$TNOS" walk --report-every 1 "$TT/c1/$n" c1fs
	[[ $stderr == *'\u009b'* ]]
	[[ $stderr != *'\\u009b'* ]]
	printf '%s\n' "$stderr" | jq -r .current_directory | grep -qxF -- "$TT/c1/$n"
	umount "$TT/c1/$n"
}

@test "tables count a wide (CJK, emoji) character as two columns and a combining mark as none, as findmnt lays them out" {
	local names=('日本語' $'e\xcc\x81x' '😀ab' 'plain')
	for n in "${names[@]}"; do
		mkdir -p "$TT/wide/$n"
		mount -t tmpfs "src-$n" "$TT/wide/$n"
	done
	# the rows of one list, padded to the widest TARGET of the namespace
	# (the row order is findmnt's mountinfo order against tnos's id order)
	want=$(LC_ALL=C.UTF-8 findmnt -l -o TARGET,SOURCE,FSTYPE | grep -F "$TT/wide/" | sort)
	got=$(LC_ALL=C.UTF-8 "$TNOS" lsmount -l -o TARGET,SOURCE,FSTYPE | grep -F "$TT/wide/" | sort)
	[ "$(echo "$got" | wc -l)" = 4 ]
	[ "$want" = "$got" ] || { diff <(echo "$want") <(echo "$got"); false; }
	for n in "${names[@]}"; do umount "$TT/wide/$n"; done
}
