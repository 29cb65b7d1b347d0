#!/usr/bin/env bats
# tnos walk: oracles are find(1), stat(1), python's os module and jq.
load helpers

TOKEN=00112233445566778899aabbccddeeff
OTHER=ffeeddccbbaa99887766554433221100

setup_file() {
	tn_setup_tmpfs
	R=$TT/tree
	mkdir -p "$R"
	mount -t tmpfs walk-src "$R"
	cd "$R"
	mkdir -p a/b/c d 'sp ace' "$(printf 'nl\nname')" e
	echo hello >a/f1
	head -c 1000 /dev/zero >a/b/f2
	echo x >'sp ace/file with spaces'
	printf 'y' >"$(printf 'nl\nname')/$(printf 'esc\033[31mred')"
	printf 'z' >"$(printf 'bad\xff\xfeutf8')"
	printf 'w' >'back\slash'
	printf 'v' >"$(printf 'tab\there')"
	printf 'q' >'quo"te'
	ln -s a/f1 rel-link
	ln -s /etc/passwd abs-link
	ln -s nowhere dangling
	ln -s a dirlink
	mkfifo fifo
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
	mknod null c 1 3
	mkdir nested
	mount -t tmpfs other nested
	mkdir nested/inside
	echo deep >nested/inside/file
	for i in 1 2 3; do mkdir "e/d$i"; for j in 1 2 3 4; do echo "$i$j" >"e/d$i/f$j"; done; done
	# neighbours that differ in one value only: the same second, other
	# nanoseconds; the same owner, another group; the same size
	for j in 1 2 3 4; do
		touch -m -d "2021-02-03 04:05:06.${j}00000001" "e/d2/f$j"
		touch -a -d "2021-02-03 04:05:06.${j}00000002" "e/d2/f$j"
		chown "7:$((j % 2 + 8))" "e/d2/f$j"
	done
	cd /
	export R
}

teardown_file() {
	tn_teardown_tmpfs
}

# find's set of entries below $R: one filesystem, no symlinks, no child mounts
find_set() {
	find "$R" -xdev -mindepth 1 ! -type l ! -path "$R/nested" -print0 | sort -z
}

@test "-0 prints exactly what find -xdev prints (no symlinks, no child mounts)" {
	run -0 --separate-stderr bash -c '"$TNOS" walk -0 "$R" walk-src | sort -z | od -An -c'
	want=$(find_set | od -An -c)
	[ "$output" = "$want" ]
	[ -z "$stderr" ]
}

@test "--include-symlinks --include-mountpoints adds them (and nothing below the mount)" {
	run -0 bash -c '"$TNOS" walk -0 --include-symlinks --include-mountpoints "$R" walk-src | sort -z | od -An -c'
	want=$(find "$R" -xdev -mindepth 1 -print0 | sort -z | od -An -c)
	[ "$output" = "$want" ]
	run -0 bash -c '"$TNOS" walk -0 --include-symlinks "$R" walk-src | sort -z | od -An -c'
	want=$(find "$R" -xdev -mindepth 1 ! -path "$R/nested" -print0 | sort -z | od -An -c)
	[ "$output" = "$want" ]
}

@test "lines are escaped for terminals and decode back to find's names" {
	run -0 --separate-stderr "$TNOS" walk "$R" walk-src
	# no control byte reaches the terminal, no invalid UTF-8 either
	! printf '%s' "$output" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" || false
	printf '%s\n' "$output" | iconv -f UTF-8 -t UTF-8 >/dev/null
	[[ $output == *"\\x1b[31mred"* ]]
	[[ $output == *"nl\\x0aname"* ]]
	[[ $output == *"bad\\xff\\xfeutf8"* ]]
	[[ $output == *"back\\\\slash"* ]]
	# one line per entry; each line decodes (printf %b) to a find path
	got=$(printf '%s\n' "$output" | while IFS= read -r l; do printf '%b\0' "$l"; done | sort -z | od -An -c)
	[ "$got" = "$(find_set | od -An -c)" ]
}

@test "--ndjson: sizes at each count of digits, up to the largest file, are exact" {
	mkdir "$TT/sizes"
	mount -t tmpfs sizes-src "$TT/sizes"
	local n
	for n in 9 10 99 100 999999999 1000000000 4294967296 9999999999 10000000000 \
		999999999999999999 1000000000000000000 9223372036854775807; do
		truncate -s "$n" "$TT/sizes/f$n"
	done
	run -0 --separate-stderr "$TNOS" walk --ndjson "$TT/sizes" sizes-src
	umount "$TT/sizes"
	# python's json reads integers exactly (jq would round them to doubles)
	python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.argv[1].splitlines()]
assert len(rows) == 12, rows
for r in rows:
    assert r["stx_size"] == int(r["name"][1:]), r
' "$output"
}

@test "--ndjson records match lstat (python) for every entry, every value (times to the ns)" {
	run -0 --separate-stderr bash -c '"$TNOS" walk --ndjson --include-symlinks --include-mountpoints "$R" walk-src'
	n=$(printf '%s\n' "$output" | jq -c . | wc -l)
	[ "$n" -eq "$(find "$R" -xdev -mindepth 1 -printf . | wc -c)" ]
	printf '%s\n' "$output" | python3 -c '
import sys, json, os, base64, stat
bad = 0
for line in sys.stdin:
    r = json.loads(line)
    name = base64.b64decode(r["name_b64"]) if "name_b64" in r else r["name"].encode()
    parent = base64.b64decode(r["parent_b64"]) if "parent_b64" in r else r["parent"].encode()
    st = os.lstat(os.path.join(parent, name))
    ns = lambda t: t["sec"] * 10**9 + t["nsec"]
    want = dict(stx_size=st.st_size, stx_mode=st.st_mode, stx_ino=st.st_ino, stx_nlink=st.st_nlink,
                stx_uid=st.st_uid, stx_gid=st.st_gid, stx_blocks=st.st_blocks, stx_blksize=st.st_blksize,
                stx_dev_major=os.major(st.st_dev), stx_dev_minor=os.minor(st.st_dev),
                isdir=stat.S_ISDIR(st.st_mode), isreg=stat.S_ISREG(st.st_mode),
                islnk=stat.S_ISLNK(st.st_mode), ismount=os.path.ismount(os.path.join(parent, name)),
                atime=st.st_atime_ns, mtime=st.st_mtime_ns, ctime=st.st_ctime_ns,
                rdev=(os.major(st.st_rdev), os.minor(st.st_rdev)) if stat.S_ISCHR(st.st_mode) else None)
    got = dict(r, atime=ns(r["stx_atime"]), mtime=ns(r["stx_mtime"]), ctime=ns(r["stx_ctime"]),
               rdev=(r["stx_rdev_major"], r["stx_rdev_minor"]) if "stx_rdev_major" in r else None)
    if stat.S_ISDIR(st.st_mode):
        del want["atime"]	# the walk reads a directory after its statx
    for k, v in want.items():
        if got[k] != v:
            print(name, k, got[k], v); bad += 1
sys.exit(1 if bad else 0)'
}

@test "sizes, modes and inodes agree with stat(1)" {
	run -0 bash -c '"$TNOS" walk --ndjson "$R" walk-src | jq -r "select(.name == \"f2\" or .name == \"f1\" or .name == \"b\") | \"\(.parent)/\(.name) \(.stx_size) \(.stx_mode) \(.stx_ino) \(.stx_nlink)\""'
	[ "${#lines[@]}" -eq 9 ]	# a/f1, a/b, a/b/f2 and e/d[123]/f[12]
	for l in "${lines[@]}"; do
		set -- $l
		[ "$2 $(printf %x "$3") $4 $5" = "$(stat -c '%s %f %i %h' "$1")" ]
	done
}

@test "a writer-less FIFO never hangs the walk" {
	run -0 timeout 10 "$TNOS" walk --ndjson "$R" walk-src
	run -0 bash -c 'printf "%s\n" "$output"' output="$output"
	run -0 timeout 10 bash -c '"$TNOS" walk --ndjson "$R" walk-src | jq -r "select(.name == \"fifo\") | .type"'
	[ "$output" = fifo ]
}

@test "FSNAME mismatch stops with both names, exit 1" {
	run -1 --separate-stderr "$TNOS" walk "$R" tank/wrong
	[ -z "$output" ]
	[[ $stderr == *"'walk-src'"* && $stderr == *"'tank/wrong'"* ]]
	# the nested mount is another filesystem
	run -1 --separate-stderr "$TNOS" walk "$R/nested" walk-src
	[[ $stderr == *"'other'"* ]]
	run -0 "$TNOS" walk "$R/nested" other
	[ "$output" = "$R/nested/inside
$R/nested/inside/file" ]
}

@test "MOUNTPOINT through a symlink is refused" {
	ln -sfn "$R" "$TT/link-to-tree"
	run -1 --separate-stderr "$TNOS" walk "$TT/link-to-tree" walk-src
	[[ $stderr == *symlink* ]]
	# a symlink in the middle of the path too, not only the last component
	ln -sfn "$TT" "$TT/link-to-tt"
	[ "$(realpath "$TT/link-to-tt/tree")" = "$(realpath "$R")" ]
	run -1 --separate-stderr "$TNOS" walk "$TT/link-to-tt/tree" walk-src
	[[ $stderr == *"a component is a symlink"* ]]
	[ -z "$output" ]
	run -1 --separate-stderr "$TNOS" walk "$R/a/f1" walk-src
	[[ $stderr == *"Not a directory"* ]]
}

@test "--relative: escapes refused, a subtree walked" {
	run -2 --separate-stderr "$TNOS" walk --relative ../.. "$R" walk-src
	[[ $stderr == *"'..'"* ]]
	run -2 --separate-stderr "$TNOS" walk --relative a/../../x "$R" walk-src
	run -2 --separate-stderr "$TNOS" walk --relative /etc "$R" walk-src
	[[ $stderr == *absolute* ]]
	run -1 --separate-stderr "$TNOS" walk --relative dirlink "$R" walk-src
	[[ $stderr == *symlink* ]]
	run -1 --separate-stderr "$TNOS" walk --relative dirlink/b "$R" walk-src
	[[ $stderr == *symlink* ]]
	run -1 --separate-stderr "$TNOS" walk --relative nested/inside "$R" walk-src
	[ -z "$output" ]
	run -0 bash -c '"$TNOS" walk -0 --relative a/ "$R" walk-src | sort -z | od -An -c'
	[ "$output" = "$(find "$R/a" -mindepth 1 -print0 | sort -z | od -An -c)" ]
}

@test "--relative never enters another mount, even one whose source has the same name" {
	mkdir "$TT/tw"
	mount -t tmpfs tw-src "$TT/tw"
	mkdir "$TT/tw/sub"
	mount -t tmpfs tw-src "$TT/tw/sub"
	touch "$TT/tw/sub/on-the-other-one"
	[ "$(findmnt -no SOURCE --mountpoint "$TT/tw/sub")" = tw-src ]
	run -1 --separate-stderr "$TNOS" walk --relative sub "$TT/tw" tw-src
	[[ $stderr == *"--relative sub: leaves the filesystem"* ]]
	[ -z "$output" ]
	umount "$TT/tw/sub" "$TT/tw"
}

@test "a child mount is never opened: one the walk could not read is left out without an error" {
	mkdir "$TT/xd"
	mount -t tmpfs xd-src "$TT/xd"
	mkdir "$TT/xd/child"
	touch "$TT/xd/file"
	mount -t tmpfs -o mode=000 xd-child "$TT/xd/child"
	nodac() { setpriv --bounding-set -dac_override,-dac_read_search -- "$@"; }
	# without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH root cannot open the child's root
	run ! nodac ls "$TT/xd/child"
	run -0 --separate-stderr nodac "$TNOS" walk "$TT/xd" xd-src
	[ -z "$stderr" ]
	[ "$output" = "$TT/xd/file" ]
	umount "$TT/xd/child" "$TT/xd"
}

@test "--btime-cutoff leaves out files born after it (stat -c %W), epoch or ISO 8601" {
	mkdir "$TT/bt"
	mount -t tmpfs bt-src "$TT/bt"
	mkdir "$TT/bt/old" && touch "$TT/bt/old/o1" "$TT/bt/o2"
	cut=$(stat -c %W "$TT/bt/o2")
	[ "$cut" -gt 0 ] || tn_skip "no birth time on tmpfs"
	wait_born_after "$TT/bt" "$cut"
	mkdir "$TT/bt/new" && touch "$TT/bt/new/n1" "$TT/bt/old/n2"
	want=$(find "$TT/bt" -mindepth 1 | while read -r p; do
		if [ -d "$p" ] || [ "$(stat -c %W "$p")" -le "$cut" ]; then echo "$p"; fi; done | sort)
	run -0 bash -c '"$TNOS" walk --btime-cutoff '"$cut"' "$TT/bt" bt-src | sort'
	[ "$output" = "$want" ]
	[[ $output != *n1* && $output != *n2* && $output == *o1* ]]
	iso=$(date -u -d "@$cut" +%Y-%m-%dT%H:%M:%SZ)
	run -0 bash -c '"$TNOS" walk --btime-cutoff '"$iso"' "$TT/bt" bt-src | sort'
	[ "$output" = "$want" ]
	iso=$(date -d "@$cut" +%Y-%m-%dT%H:%M:%S%:z)
	run -0 bash -c '"$TNOS" walk --btime-cutoff '"$iso"' "$TT/bt" bt-src | sort'
	[ "$output" = "$want" ]
	run -2 "$TNOS" walk --btime-cutoff yesterday "$TT/bt" bt-src
	umount "$TT/bt"
}

@test "--stats: the iterator state as JSON on stderr (jq)" {
	run -0 --separate-stderr "$TNOS" walk --stats "$R" walk-src
	[ "$(printf '%s\n' "$stderr" | jq -r .cnt)" -eq "$(find "$R" -xdev -mindepth 1 ! -type l ! -path "$R/nested" -printf . | wc -c)" ]
	bytes=$(find "$R" -xdev -mindepth 1 ! -type l ! -type d -printf '%s\n' | awk '{ s += $1 } END { print s }')
	[ "$(printf '%s\n' "$stderr" | jq -r .cnt_bytes)" -eq "$bytes" ]
	[ "$(printf '%s\n' "$stderr" | jq -r '.state + ":" + .current_directory + ":" + (.errors|tostring)')" = "done::0" ]
	printf '%s\n' "$stderr" | jq -e '.elapsed >= 0'
}

@test "--report-every N: a JSON record every N entries, stdout untouched" {
	run -0 --separate-stderr "$TNOS" walk --report-every 4 "$R" walk-src
	n=$(find "$R" -xdev -mindepth 1 ! -type l ! -path "$R/nested" -printf . | wc -c)
	[ "${#lines[@]}" -eq "$n" ]
	# and a last record when the walk ends
	[ "$(printf '%s\n' "$stderr" | jq -s length)" -eq $((n / 4 + 1)) ]
	printf '%s\n' "$stderr" | jq -e -s '.[:-1] | all(.[]; .cnt % 4 == 0 and .state == "running")'
	printf '%s\n' "$stderr" | jq -e -s --argjson n "$n" '.[-1] | .cnt == $n and .state == "done"'
	# --progress writes nothing when stderr is not a terminal
	run -0 --separate-stderr "$TNOS" walk --progress "$R" walk-src
	[ -z "$stderr" ]
}

@test "--progress: a status line on a terminal's stderr, never on stdout" {
	command -v script >/dev/null || tn_skip "no script(1)"
	n=$(find "$R" -xdev -mindepth 1 ! -type l ! -path "$R/nested" -printf . | wc -c)
	# stdout to a file, stderr to script's pseudo-terminal
	run -0 script -qec "'$TNOS' walk --progress '$R' walk-src >'$TT/prog.out'" /dev/null
	[[ $output == *"$n entries"*"(done)"* ]]
	[ "$(tr -cd '\n' <"$TT/prog.out" | wc -c)" -eq "$n" ]
	! grep -q entries "$TT/prog.out" || false
}

@test "--prune GLOB: matching directories are shown, not entered" {
	run -0 bash -c '"$TNOS" walk -0 --prune "d?" --prune b "$R" walk-src | sort -z | od -An -c'
	want=$(find "$R" -xdev -mindepth 1 ! -path "$R/nested" \( -type d \( -name 'd?' -o -name b \) -print0 -prune -o ! -type l -print0 \) | sort -z | od -An -c)
	[ "$output" = "$want" ]
}

@test "--open-flags path walks the same set" {
	run -0 bash -c '"$TNOS" walk --open-flags path -0 "$R" walk-src | sort -z | od -An -c'
	[ "$output" = "$(find_set | od -An -c)" ]
}

@test "--jobs 2 walks the same set, whole lines" {
	run -0 bash -c '"$TNOS" walk -j 2 -0 "$R" walk-src | sort -z | od -An -c'
	[ "$output" = "$(find_set | od -An -c)" ]
	run -0 bash -c '"$TNOS" walk -j 2 --ndjson "$R" walk-src | jq -c "[.parent,.name]" | sort'
	want=$("$TNOS" walk --ndjson "$R" walk-src | jq -c '[.parent,.name]' | sort)
	[ "$output" = "$want" ]
}

@test "one job lists in find's order, each entry with its own size, in every mode" {
	# more entries in one directory than the walk looks at in one go, with
	# directories (entered as they come) among them
	export O=$TT/ord
	mkdir -p "$O"
	mount -t tmpfs ord-src "$O"
	for i in $(seq 1 150); do
		if [ $((i % 11)) = 0 ]; then
			mkdir "$O/d$i"
			for j in $(seq 1 40); do head -c "$j" /dev/zero >"$O/d$i/f$j"; done
		else
			head -c "$i" /dev/zero >"$O/f$i"
		fi
	done
	want=$(find "$O" -xdev -mindepth 1 -printf '%p %s\n')
	run -0 "$TNOS" walk "$O" ord-src
	[ "$output" = "$(find "$O" -xdev -mindepth 1)" ]
	run -0 "$TNOS" walk -n -o PATH,SIZE "$O" ord-src
	[ "$output" = "$want" ]
	run -0 bash -c '"$TNOS" walk --ndjson "$O" ord-src | jq -r "\"\\(.parent)/\\(.name) \\(.stx_size)\""'
	[ "$output" = "$want" ]
	run -0 "$TNOS" walk -n -o PATH,SIZE --open-flags path "$O" ord-src
	[ "$output" = "$want" ]
	umount "$O"
}

# syscalls of a walk beyond those of the same walk of an empty tree
# (the root's checks): "openat2 statx" counts, by strace
walk_calls() {
	local t
	for t in "$R walk-src" "$TT/empty empty-src"; do
		# shellcheck disable=SC2086	# the tree is two words
		strace -f -qq -e trace=openat2,statx -o "$TT/strace" "$TNOS" walk "$@" $t >/dev/null 2>&1 || true
		grep -c 'openat2(' "$TT/strace" || true
		grep -c 'statx(' "$TT/strace" || true
	done | paste -sd' ' | awk '{ print $1 - $3, $2 - $4 }'
}

@test "names, stat and fd modes ask the kernel only what they need (strace counts per entry)" {
	mkdir -p "$TT/empty" && mount -t tmpfs empty-src "$TT/empty"
	ents=$(find_set | tr -cd '\0' | wc -c)
	# every directory the walk meets, the child mount point included
	dirs=$(find "$R" -xdev -mindepth 1 -type d -printf . | wc -c)
	# names (the default, -0, names-only columns): one open per directory, no statx
	[ "$(walk_calls)" = "$dirs 0" ]
	[ "$(walk_calls -0)" = "$dirs 0" ]
	[ "$(walk_calls --ndjson -o PATH,NAME,PARENT,ISDIR,ISREG,ISLNK)" = "$dirs 0" ]
	# stat (columns, --ndjson, --stats): one statx per entry, still one open per directory
	[ "$(walk_calls --ndjson)" = "$dirs $ents" ]
	[ "$(walk_calls --stats)" = "$dirs $ents" ]
	[ "$(walk_calls --ndjson -o NAME,SIZE)" = "$dirs $ents" ]
	# fd (--open-flags, --exec): every entry opened and statx'd (the
	# mount point's open is refused with EXDEV)
	[ "$(walk_calls --open-flags rdonly)" = "$((ents + 1)) $ents" ]
	umount "$TT/empty"
}

# the masks a walk's entries are statx'd with, by strace, one a line
entry_masks() {
	strace -qq -e trace=statx -e raw=statx -o "$TT/strace" "$TNOS" walk "$@" "$R" walk-src >/dev/null
	# statx(dirfd, name, flags, mask, buf): an entry's is by name (AT_SYMLINK_NOFOLLOW)
	awk -F', ' '/^statx\(/ && $3 == "0x100" { print $4 }' "$TT/strace" | sort -u
}

@test "the default record asks statx what truenas_os's iterator asks; a DIO or atomic-write column adds its bit" {
	# the uapi's STATX_BASIC_STATS 0x7ff | STATX_BTIME 0x800 | STATX_MNT_ID_UNIQUE 0x4000
	[ "$(entry_masks --ndjson)" = 0x4fff ]
	[ "$(entry_masks -o PATH,SIZE,BTIME)" = 0x4fff ]
	run -0 "$TNOS" walk --ndjson "$R" walk-src
	[ "$(echo "$output" | jq -s 'map(keys[] | select(test("dio|atomic|subvol"))) | length')" = 0 ]
	# STATX_DIOALIGN 0x2000, STATX_SUBVOL 0x8000, STATX_WRITE_ATOMIC 0x10000, STATX_DIO_READ_ALIGN 0x20000
	[ "$(entry_masks --ndjson -o +DIO-MEM-ALIGN)" = 0x6fff ]
	[ "$(entry_masks --ndjson -o +AWU-MIN,SUBVOL,DIO-READ-ALIGN)" = 0x3cfff ]
}

@test "a file bind-mounted over a file: names mode lists it as a file; stat modes know it by its mount id" {
	mkdir "$R/fm" && echo under >"$R/fm/target" && echo "the mounted file, longer" >"$TT/over"
	mount --bind "$TT/over" "$R/fm/target"
	findmnt -n "$R/fm/target" >/dev/null	# the oracle: it is a mount point
	# names: listed by name as a regular file, not as a mount point
	run -0 "$TNOS" walk --relative fm "$R" walk-src
	[ "$output" = "$R/fm/target" ]
	run -0 "$TNOS" walk --ndjson -o NAME,ISREG --relative fm "$R" walk-src
	[ "$(printf '%s\n' "$output" | jq -c .)" = '{"name":"target","isreg":true}' ]
	# stat: a child mount, left out; with --include-mountpoints shown as one,
	# with the mounted file's size (stat -c %s) and the mount's device
	run -0 "$TNOS" walk --ndjson --relative fm "$R" walk-src
	[ -z "$output" ]
	run -0 --separate-stderr "$TNOS" walk --stats --relative fm "$R" walk-src
	[ -z "$output" ]
	run -0 "$TNOS" walk --ndjson --include-mountpoints --relative fm "$R" walk-src
	[ "$(printf '%s\n' "$output" | jq -r '"\(.ismount) \(.isreg) \(.stx_size) \(.stx_dev_major):\(.stx_dev_minor)"')" = \
	  "true true $(stat -c '%s %Hd:%Ld' "$R/fm/target")" ]
	umount "$R/fm/target"
	rm -rf "$R/fm"
}

@test "an entry deleted between getdents and its open is counted in cnt_vanished, not an error" {
	mkdir "$R/van" && for i in $(seq 1 20); do echo "$i" >"$R/van/f$i"; done
	n=$(find "$R/van" -type f | wc -l)
	# the first file's --exec deletes them all: getdents has listed them already
	run -0 --separate-stderr "$TNOS" walk --relative van --stats \
		--exec sh -c 'rm -f "${TNOS_PATH%/*}"/f*' \; "$R" walk-src
	[ "${#lines[@]}" -eq 1 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[ "$(printf '%s\n' "$stderr" | jq -c '[.cnt, .cnt_vanished, .errors, .state]')" = "[1,$((n - 1)),0,\"done\"]" ]
	rmdir "$R/van"
}

# One top directory holding everything (the usual /mnt/pool/dataset shape),
# for -j: pool/dataset/aN/bM/fK plus a chain 40 levels deep.
deep_tree() {
	mkdir -p "$TT/dset"
	mountpoint -q "$TT/dset" || mount -t tmpfs dset-src "$TT/dset"
	python3 - "$TT/dset/pool/dataset" <<'EOF'
import os, sys
top = sys.argv[1]
for a in range(12):
    for b in range(6):
        d = os.path.join(top, f"a{a}", f"b{b}")
        os.makedirs(d, exist_ok=True)
        for f in range(8):
            with open(os.path.join(d, f"f{f}"), "w") as fh:
                fh.write("x" * (a * 100 + b * 10 + f))
d = os.path.join(top, "chain")
for i in range(40):
    d = os.path.join(d, f"c{i}")
os.makedirs(d, exist_ok=True)
open(os.path.join(d, "bottom"), "w").close()
EOF
}

deep_find() { find "$TT/dset" -xdev -mindepth 1 "$@" -print0 | sort -z | od -An -c; }

@test "-j2 and -j (online CPUs) on one deep top directory: find's set, each entry once" {
	deep_tree
	for j in "-j2" "-j 2" "-j" "--jobs"; do
		run -0 bash -o pipefail -c '"$TNOS" walk '"$j"' -0 "$TT/dset" dset-src | sort -z | od -An -c'
		[ "$output" = "$(deep_find)" ]
	done
	# -j alone: one thread per online CPU (getconf), seen from --exec as the
	# walker's tasks (the main thread waits for them)
	n=$(getconf _NPROCESSORS_ONLN)
	[ "$n" -le 64 ] || n=64
	want=$((n > 1 ? n + 1 : 1))
	run -0 bash -o pipefail -c '"$TNOS" walk -j "$TT/dset" dset-src --exec sh -c "ls /proc/\$PPID/task | wc -l" \; | grep -v "^/" | sort -n | tail -n 1'
	[ "$output" -eq "$want" ]
	# no entry twice, records too
	run -0 bash -o pipefail -c '"$TNOS" walk -j2 --ndjson "$TT/dset" dset-src | jq -r ".parent + \"/\" + .name + \" \" + (.stx_size | tostring)" | sort'
	[ "$output" = "$(find "$TT/dset" -xdev -mindepth 1 -printf '%p %s\n' | sort)" ]
	[ -z "$(printf '%s\n' "$output" | uniq -d)" ]
}

@test "-j2 shares any directory, not only the root's entries: two commands of one subdirectory overlap" {
	mkdir -p "$TT/one" && mountpoint -q "$TT/one" || mount -t tmpfs one-src "$TT/one"
	mkdir -p "$TT/one/only/sub"
	for i in $(seq 1 12); do echo "$i" >"$TT/one/only/sub/f$i"; done
	rm -f "$TT/overlaps"
	# the root and its one entry give a root-only split nothing to share;
	# a lock directory shows two commands running at once
	run -0 "$TNOS" walk -j2 "$TT/one" one-src --exec sh -c \
		'if mkdir "$TT/lock" 2>/dev/null; then sleep 0.2; rmdir "$TT/lock"; else echo x >>"$TT/overlaps"; sleep 0.2; fi' \;
	[ -s "$TT/overlaps" ]
	# one job never overlaps
	rm -f "$TT/overlaps"
	run -0 "$TNOS" walk "$TT/one" one-src --exec sh -c \
		'if mkdir "$TT/lock" 2>/dev/null; then sleep 0.05; rmdir "$TT/lock"; else echo x >>"$TT/overlaps"; fi' \;
	[ ! -e "$TT/overlaps" ]
}

@test "-j2 on one flat directory of 20,000 files: both threads read it, each entry once (find)" {
	mkdir -p "$TT/flat" && mountpoint -q "$TT/flat" || mount -t tmpfs flat-src "$TT/flat"
	mkdir -p "$TT/flat/top/only"
	python3 -c '
import os, sys
for i in range(20000):
    os.close(os.open(os.path.join(sys.argv[1], f"entry-{i:05d}"), os.O_CREAT | os.O_WRONLY, 0o644))
' "$TT/flat/top/only"
	want=$(find "$TT/flat" -xdev -mindepth 1 -print0 | sort -z | od -An -c)
	for mode in -0 "-0 --stats"; do
		for _ in 1 2 3; do
			run -0 --separate-stderr bash -o pipefail -c '"$TNOS" walk -j2 '"$mode"' "$TT/flat" flat-src | sort -z | od -An -c'
			[ "$output" = "$want" ]
		done
	done
}

@test "-j2: each worker has an fd table of its own and reads a joined directory through a copy; without them, find's set still" {
	deep_tree
	# every worker thread unshares its table; a directory another worker
	# opened is read through a copy of its fd (strace -ff: a file for each
	# thread, so no call is split by another's; LeakSanitizer cannot run
	# under ptrace)
	# (a join needs one thread idle while the other walks: on a loaded
	# machine one may walk it all first, so up to 10 runs)
	copied=0
	for _ in $(seq 10); do
		rm -f "$TT"/strace.*
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -ff -qq -e trace=unshare,pidfd_getfd -o "$TT/strace" \
			"$TNOS" walk -j2 -0 --open-flags rdonly,noatime "$TT/dset" dset-src >"$TT/out"
		[ "$(cat "$TT"/strace.* | grep -c '^unshare(CLONE_FILES) *= 0')" -eq 2 ]
		[ "$(grep -l '^unshare(CLONE_FILES) *= 0' "$TT"/strace.* | wc -l)" -eq 2 ]
		[ "$(sort -z "$TT/out" | od -An -c)" = "$(deep_find)" ]
		if cat "$TT"/strace.* | grep -qE '^pidfd_getfd\([0-9]+, [0-9]+, 0\) *= [0-9]+'; then
			copied=1
			break
		fi
	done
	[ "$copied" = 1 ]
	# no thread pidfds (before Linux 6.9), no pidfd_getfd, or unshare
	# refused: the workers share one table, and the walk is the same
	for no in pidfd_open=22 pidfd_getfd=38 unshare=1; do
		tn_nosys "$no" "$TNOS" walk -j2 -0 --open-flags rdonly,noatime "$TT/dset" dset-src >"$TT/out"
		[ "$(sort -z "$TT/out" | od -An -c)" = "$(deep_find)" ]
		tn_nosys "$no" "$TNOS" walk -j2 -0 "$TT/dset" dset-src >"$TT/out"
		[ "$(sort -z "$TT/out" | od -An -c)" = "$(deep_find)" ]
	done
}

@test "-j2 stopped by SIGINT: exit 130, one line that says so, no entry twice, each one find lists" {
	deep_tree
	stop_at=$TT/dset/pool/dataset/a6/b2/f3
	for _ in 1 2 3 4 5; do
		run -130 --separate-stderr "$TNOS" walk -j2 "$TT/dset" dset-src \
			--exec sh -c '[ "$TNOS_PATH" != "$1" ] || kill -INT $PPID' sh "$stop_at" \;
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
		[[ $stderr == "tnos walk: stopped by Interrupt after ${#lines[@]} entries"* ]]
		[ -z "$(printf '%s\n' "$output" | sort | uniq -d)" ]
		[ -z "$(comm -23 <(printf '%s\n' "$output" | LC_ALL=C sort) <(find "$TT/dset" -xdev -mindepth 1 | LC_ALL=C sort))" ]
	done
}

@test "-j2 keeps --prune, --stats, --report-every and --btime-cutoff (find as the oracle)" {
	deep_tree
	run -0 bash -o pipefail -c '"$TNOS" walk -j2 -0 --prune "b[34]" "$TT/dset" dset-src | sort -z | od -An -c'
	[ "$output" = "$(find "$TT/dset" -xdev -mindepth 1 -name 'b[34]' -prune -print0 -o -print0 | sort -z | od -An -c)" ]
	run -0 --separate-stderr "$TNOS" walk -j2 --stats --report-every 7 "$TT/dset" dset-src
	n=$(find "$TT/dset" -xdev -mindepth 1 -printf . | wc -c)
	bytes=$(find "$TT/dset" -xdev -mindepth 1 ! -type d -printf '%s\n' | awk '{ s += $1 } END { print s }')
	[ "${#lines[@]}" -eq "$n" ]
	[ "$(printf '%s\n' "$stderr" | tail -n 1 | jq -c '[.cnt, .cnt_bytes, .errors, .state]')" = "[$n,$bytes,0,\"done\"]" ]
	# the counts summed from the workers when no record needs them live
	run -0 --separate-stderr "$TNOS" walk -j2 --stats "$TT/dset" dset-src
	[ "$(printf '%s\n' "$stderr" | jq -c '[.cnt, .cnt_bytes, .errors, .state]')" = "[$n,$bytes,0,\"done\"]" ]
	run -0 --separate-stderr "$TNOS" walk -j2 --stats --report-every 7 "$TT/dset" dset-src
	# one record every 7 entries, each at a multiple of 7
	[ "$(printf '%s\n' "$stderr" | jq -r 'select(.state == "running") | .cnt % 7' | sort -u)" = 0 ]
	[ "$(printf '%s\n' "$stderr" | jq -r 'select(.state == "running") | .cnt' | wc -l)" -eq $((n / 7)) ]
	# a file born after the cutoff is left out, under -j2 too
	cut=$(find "$TT/dset" -xdev -exec stat -c %W {} + | sort -n | tail -n 1)
	wait_born_after "$TT/dset/pool/dataset/a5/b5" "$cut"
	echo new >"$TT/dset/pool/dataset/a5/b5/late"
	run -0 bash -o pipefail -c '"$TNOS" walk -j2 -0 --btime-cutoff '"$cut"' "$TT/dset" dset-src | sort -z | od -An -c'
	[ "$output" = "$(deep_find ! -name late)" ]
	rm "$TT/dset/pool/dataset/a5/b5/late"
}

@test "-j2 keeps --exec (contents through the fd, as find -exec cat) and --resume-token" {
	deep_tree
	# (one write per file: printf, so that lines of the two workers' commands cannot mix)
	run -0 bash -o pipefail -c '"$TNOS" walk -j2 "$TT/dset" dset-src --exec sh -c "printf \"c:%s\\n\" \"\$(cat)\"" \; | grep "^c:" | sort'
	[ "$output" = "$(find "$TT/dset" -xdev -type f -exec sh -c 'printf "c:%s\n" "$(cat "$1")"' sh {} \; | sort)" ]
	# a full -j2 run marks the root and every directory (python's getxattr)
	run -0 "$TNOS" walk -j2 -0 --resume-token "user.t=$TOKEN" "$TT/dset" dset-src
	[ "$(marked_dirs "$TT/dset" "$TOKEN" | sort)" = "$(find "$TT/dset" -xdev -type d | sort)" ]
	run -0 "$TNOS" walk -j2 --resume-token "user.t=$TOKEN" "$TT/dset" dset-src
	[ -z "$output" ]
	# a -j2 run stopped by SIGTERM: what it marked was walked whole, and a
	# rerun lists the rest; the root is not marked
	echo c >"$TT/count"
	run -143 --separate-stderr "$TNOS" walk -j2 --resume-token "user.t=$OTHER" \
		--exec sh -c 'n=$(wc -l <"$TT/count"); echo c >>"$TT/count"; [ "$n" -lt 200 ] || kill -TERM $PPID; sleep 0.01' \; \
		"$TT/dset" dset-src
	first=$output
	marked=$(marked_dirs "$TT/dset" "$OTHER")
	! printf '%s\n' "$marked" | grep -qxF "$TT/dset" || false
	for d in $marked; do
		for p in $(find "$d" -mindepth 1); do printf '%s\n' "$first" | grep -qxF "$p"; done
	done
	run -0 "$TNOS" walk -j2 --resume-token "user.t=$OTHER" "$TT/dset" dset-src
	all=$(printf '%s\n%s\n' "$first" "$output" | sort -u)
	[ "$all" = "$(find "$TT/dset" -mindepth 1 | sort)" ]
}

@test "--exec: stdin is the verified fd even when the path is swapped for a symlink" {
	mkdir "$R/swap" && echo "the real content" >"$R/swap/victim"
	run -0 --separate-stderr "$TNOS" walk --relative swap \
		--exec sh -c 'mv "$TNOS_PATH" "$TNOS_PATH.moved"; ln -s /etc/passwd "$TNOS_PATH"; printf "%s|" "$TNOS_PATH"; cat' \; \
		"$R" walk-src
	[ "$output" = "$R/swap/victim
$R/swap/victim|the real content" ]
	[ -L "$R/swap/victim" ]
	rm -r "$R/swap"
	# a failing command makes the walk exit 1; a missing one stops it
	run -1 --separate-stderr "$TNOS" walk --relative e --exec false \; "$R" walk-src
	[[ $stderr == *"failed for 12 files"* ]]
	run -1 --separate-stderr "$TNOS" walk --relative e --exec /nonexistent/cmd \; "$R" walk-src
	[[ $stderr == *"/nonexistent/cmd"* ]]
}

@test "--exec runs exactly the words between --exec and ';': no path, nothing after the ';'" {
	mkdir "$TT/ea" && mount -t tmpfs ea-src "$TT/ea"
	printf 'hello\n' >"$TT/ea/f"
	# each line: the walk's own path, then what the command printed
	run -0 --separate-stderr "$TNOS" walk --exec printf '%s|' a 'b c' \; "$TT/ea" ea-src
	[ "$output" = "$TT/ea/f
a|b c|" ]
	# MOUNTPOINT and FSNAME follow the ';': none of them is an argument
	run -0 --separate-stderr "$TNOS" walk --exec printf '[%s]' \; "$TT/ea" ea-src
	[ "$output" = "$TT/ea/f
[]" ]
	run -0 --separate-stderr "$TNOS" walk "$TT/ea" ea-src --exec printf '[%s]' \;
	[ "$output" = "$TT/ea/f
[]" ]
	# $0 and "$@" exactly, and stdin is the file: wc counts stat's size
	run -0 --separate-stderr "$TNOS" walk --exec sh -c 'printf "%s|" "$0" "$@"; wc -c' x 'y z' \; "$TT/ea" ea-src
	[ "$output" = "$TT/ea/f
x|y z|$(stat -c %s "$TT/ea/f")" ]
	run -0 --separate-stderr "$TNOS" walk --exec wc -c \; "$TT/ea" ea-src
	[ "$output" = "$TT/ea/f
$(stat -c %s "$TT/ea/f")" ]
	# the path is only in $TNOS_PATH (one of it, not the caller's), never in argv
	run -0 --separate-stderr env TNOS_PATH=stale "$TNOS" walk \
		--exec sh -c 'printf "%s|%s|%s\n" "$#" "$(env | grep -c "^TNOS_PATH=")" "$TNOS_PATH"' \; "$TT/ea" ea-src
	[ "$output" = "$TT/ea/f
0|1|$TT/ea/f" ]
	umount "$TT/ea"
}

@test "--exec chmod 700 /dev/stdin \; changes the verified files, never the walk's root" {
	mkdir "$TT/ec" && mount -t tmpfs -o mode=755 ec-src "$TT/ec"
	mkdir -m 755 "$TT/ec/d"
	echo 1 >"$TT/ec/f1" && echo 2 >"$TT/ec/d/f2" && chmod 644 "$TT/ec/f1" "$TT/ec/d/f2"
	root=$(stat -c %a "$TT/ec")
	[ "$root" = 755 ]
	run -0 --separate-stderr "$TNOS" walk --exec chmod 700 /dev/stdin \; "$TT/ec" ec-src
	[ -z "$stderr" ]
	[ "$(stat -c %a "$TT/ec")" = "$root" ]
	[ "$(stat -c '%a %n' "$TT/ec/d" "$TT/ec/d/f2" "$TT/ec/f1")" = "755 $TT/ec/d
700 $TT/ec/d/f2
700 $TT/ec/f1" ]
	umount "$TT/ec"
}

@test "--exec sha256sum of every file through its fd matches find -exec sha256sum" {
	mkdir "$TT/es" && mount -t tmpfs es-src "$TT/es"
	mkdir -p "$TT/es/a/b" "$TT/es/sp ace"
	echo one >"$TT/es/a/1"
	head -c 200000 /dev/urandom >"$TT/es/a/b/big"
	: >"$TT/es/empty"
	echo x >"$TT/es/sp ace/f g"
	run -0 --separate-stderr "$TNOS" walk --exec sh -c 'printf "%s " "$TNOS_PATH"; sha256sum' \; "$TT/es" es-src
	# "PATH HASH  -" from the command, as sha256sum's own "HASH  PATH"
	got=$(printf '%s\n' "$output" | sed -nE 's/^(.*) ([0-9a-f]{64})  -$/\2  \1/p' | sort)
	want=$(find "$TT/es" -type f -exec sha256sum {} + | sort)
	[ "$got" = "$want" ]
	[ "$(printf '%s\n' "$got" | wc -l)" -eq 4 ]
	# the other lines are the walk's own listing
	rest=$(printf '%s\n' "$output" | grep -vE ' [0-9a-f]{64}  -$' | sort)
	[ "$rest" = "$(find "$TT/es" -mindepth 1 | sort)" ]
	umount "$TT/es"
}

@test "--exec without its ';' is a usage error, and nothing runs" {
	run -2 --separate-stderr "$TNOS" walk --exec touch "$TT/ran" "$R" walk-src
	[ "$(head -n 1 <<<"$stderr")" = "tnos walk: end the --exec command with a lone ';' (quoted, so the shell passes it on): the command is every word before it" ]
	run -2 --separate-stderr "$TNOS" walk "$R" walk-src --exec touch "$TT/ran"
	[[ $stderr == "tnos walk: end the --exec command with a lone ';'"* ]]
	[ ! -e "$TT/ran" ]
	# --exec=CMD would drop CMD: the command is words of its own
	run -2 --separate-stderr "$TNOS" walk --exec=touch "$TT/ran" \; "$R" walk-src
	[[ $stderr == *"option '--exec' takes no '='"* ]]
	[ ! -e "$TT/ran" ]
}

@test "--exec with find's {} or + is a usage error naming it; a file named {} is left alone" {
	W=$TT/brace
	mkdir -p "$W"
	touch "$W/{}" "$W/keep"
	cd "$W"
	run -2 --separate-stderr "$TNOS" walk --exec rm {} \; "$R" walk-src
	[ "$output" = "" ]
	[ "$(head -n 1 <<<"$stderr")" = "tnos walk: --exec: '{}' would be passed as it is, not replaced by a path: the command gets the file as its standard input (/dev/stdin); see --exec in --help" ]
	[ "$(wc -l <<<"$stderr")" -eq 2 ]
	run -2 --separate-stderr "$TNOS" walk --exec rm -f {} + "$R" walk-src
	[[ $stderr == "tnos walk: end the --exec command with a lone ';' (quoted, so the shell passes it on; find's '+' is not taken): the command is every word before it"* ]]
	run -2 --separate-stderr "$TNOS" openat2 --exec rm {} \; "$R/a/f1"
	[[ $stderr == "tnos openat2: --exec: '{}' would be passed as it is"* ]]
	cd /
	[ -e "$W/{}" ]
	[ -e "$W/keep" ]
	[ -e "$R/a/f1" ]
	# {} inside a word is the command's own text, passed on as it is
	run -0 "$TNOS" walk --exec sh -c 'echo "x{}y" >>"$1"' sh "$W/out" \; "$R" walk-src
	[ "$(sort -u "$W/out")" = "x{}y" ]
	[ "$(wc -l <"$W/out")" -eq "$(find "$R" -xdev -type f -printf x | wc -c)" ]
	rm -r "$W"
}

# directories of $1 carrying xattr user.t == token $2 (python reads them)
marked_dirs() {
	python3 - "$1" "$2" <<'EOF'
import os, sys
root, tok = sys.argv[1].encode(), bytes.fromhex(sys.argv[2])
for d, dirs, files in os.walk(root):
    try:
        if os.getxattr(d, "user.t", follow_symlinks=False) == tok:
            sys.stdout.buffer.write(d + b"\n")
    except OSError:
        pass
EOF
}

@test "--resume-token: a SIGTERM'd walk marks only finished directories; a rerun skips them" {
	mkdir "$TT/res"
	mount -t tmpfs res-src "$TT/res"
	for i in $(seq 1 8); do mkdir -p "$TT/res/d$i/sub"; for j in 1 2 3; do echo "$i$j" >"$TT/res/d$i/f$j"; echo s >"$TT/res/d$i/sub/s$j"; done; done
	echo c >"$TT/count"
	# the --exec command kills the walk (its parent) at the 14th regular file
	run -143 --separate-stderr "$TNOS" walk --resume-token "user.t=$TOKEN" \
		--exec sh -c 'n=$(wc -l <"$TT/count"); echo c >>"$TT/count"; [ "$n" -lt 14 ] || kill -TERM $PPID' \; \
		"$TT/res" res-src
	[[ $stderr == *"stopped by"* ]]
	first=$output
	last_dir=$(printf '%s\n' "$first" | tail -n 1 | xargs dirname)
	marked=$(marked_dirs "$TT/res" "$TOKEN")
	[ -n "$marked" ]
	# the directory it was in, and the root, are not marked
	! printf '%s\n' "$marked" | grep -qxF "$last_dir" || false
	! printf '%s\n' "$marked" | grep -qxF "$TT/res" || false
	# every marked directory was walked completely by the first run
	for d in $marked; do
		for p in $(find "$d" -mindepth 1); do printf '%s\n' "$first" | grep -qxF "$p"; done
	done
	# the rerun enters exactly the unmarked directories
	run -0 --separate-stderr "$TNOS" walk --stats --resume-token "user.t=$TOKEN" "$TT/res" res-src
	second=$output
	entered=$(printf '%s\n' "$second" | while read -r p; do [ -d "$p" ] && echo "$p"; done | sort)
	want=$(find "$TT/res" -mindepth 1 -type d | while read -r d; do
		skip=; for m in $marked; do case $d/ in "$m"/*) skip=1 ;; esac; done
		[ -n "$skip" ] || echo "$d"; done | sort)
	[ "$entered" = "$want" ]
	# resumed counts the marked directories met: those without a marked parent
	top=$(for m in $marked; do printf '%s\n' "$marked" | grep -qxF "$(dirname "$m")" || echo "$m"; done | wc -l)
	[ "$(printf '%s\n' "$stderr" | jq -r .resumed)" -eq "$top" ]
	# together the two runs cover find's set
	all=$(printf '%s\n%s\n' "$first" "$second" | sort -u)
	[ "$all" = "$(find "$TT/res" -mindepth 1 | sort)" ]
	# now everything is marked: a third run has nothing to do
	run -0 "$TNOS" walk --resume-token "user.t=$TOKEN" "$TT/res" res-src
	[ -z "$output" ]
	# another token ignores the old marks
	run -0 "$TNOS" walk --resume-token "user.t=$OTHER" "$TT/res" res-src
	[ "${#lines[@]}" -eq "$(find "$TT/res" -mindepth 1 | wc -l)" ]
	umount "$TT/res"
}

@test "--resume-token needs NAME=32 hex digits" {
	run -2 "$TNOS" walk --resume-token user.t=abc "$R" walk-src
	run -2 "$TNOS" walk --resume-token "user.t=${TOKEN%?}g" "$R" walk-src
	run -2 "$TNOS" walk --resume-token "$TOKEN" "$R" walk-src
	# a name the kernel cannot store on a directory (EOPNOTSUPP): no namespace, system.
	for n in job system.t user.; do
		run -2 --separate-stderr "$TNOS" walk --resume-token "$n=$TOKEN" "$R" walk-src
		[ -z "$output" ]
		[ "${stderr_lines[0]}" = "tnos walk: --resume-token: '$n' is not an extended attribute a directory can carry: give user.NAME (or trusted.NAME, security.NAME)" ]
		[ "$n" = user. ] || ! python3 -c 'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], b"x")' "$R" "$n" 2>/dev/null || false
	done
}

@test "--resume-token on a filesystem without extended attributes: one line, nothing listed, exit 1" {
	mkdir "$TT/noxattr"
	mount -t proc noxattr-src "$TT/noxattr"
	err=$(python3 -c 'import os,sys
try: os.getxattr(sys.argv[1], "user.t")
except OSError as e: print(os.strerror(e.errno))' "$TT/noxattr")
	[ "$err" = "$(python3 -c 'import os,errno; print(os.strerror(errno.EOPNOTSUPP))')" ]
	run -1 --separate-stderr "$TNOS" walk --resume-token "user.t=$TOKEN" "$TT/noxattr" noxattr-src
	umount "$TT/noxattr"
	[ -z "$output" ]
	[ "$stderr" = "tnos walk: --resume-token: $TT/noxattr: $err: this filesystem keeps no such extended attribute, so no directory can be marked; --checkpoint FILE resumes without writing to it" ] || { echo "$stderr"; false; }
}

@test "a mode-0000 file and an unreadable directory are listed as find lists them; only opening reports the file" {
	mkdir -p "$R/locked/inner" && touch "$R/locked/inner/x" "$R/closed"
	chown 65534 "$R/locked" "$R/closed" && chmod 700 "$R/locked" && chmod 000 "$R/closed"
	# root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH gets EACCES; find,
	# under the same restriction, is the oracle for what can be listed
	nocap="setpriv --bounding-set -dac_override,-dac_read_search --"
	want=$($nocap find "$R" -xdev -mindepth 1 ! -type l ! -path "$R/nested" -print0 2>/dev/null | sort -z | od -An -c)
	[[ $want == *c*l*o*s*e*d* ]]
	# names (-0), stat (--stats, --ndjson): the 0000 file needs no opening
	for mode in -0 "-0 --stats"; do
		run -1 --separate-stderr bash -o pipefail -c "$nocap \"\$TNOS\" walk $mode \"\$R\" walk-src | sort -z | od -An -c"
		[ "$output" = "$want" ]
	done
	# one line: the path, the syscall, the kernel's errno
	[[ $'\n'$stderr$'\n' == *$'\n'"tnos walk: $R/locked: openat2: $(errstr EACCES)"$'\n'* ]]
	[[ $stderr != *"closed"* ]]
	[[ $stderr == *"1 entry could not be read"* ]]
	[ "$(printf '%s\n' "$stderr" | tail -n 2 | head -n 1 | jq -r .errors)" -eq 1 ]
	run -1 --separate-stderr $nocap "$TNOS" walk --ndjson "$R" walk-src
	[ "$(printf '%s\n' "$output" | jq -r 'select(.name == "closed") | .stx_mode')" = "$(stat -c '%f' "$R/closed" | python3 -c 'print(int(input(), 16))')" ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.name == "locked") | .isdir')" = true ]
	# a mode that opens files reports the 0000 one too, and lists neither
	run -1 --separate-stderr $nocap "$TNOS" walk --open-flags rdonly "$R" walk-src
	[[ $'\n'$stderr$'\n' == *$'\n'"tnos walk: $R/closed: openat2: $(errstr EACCES)"$'\n'* ]]
	[[ $stderr == *"2 entries could not be read"* ]]
	[[ $output != *"$R/closed"* ]]
	[[ $output == *"$R/a/b/f2"* ]]
	# O_PATH needs no read permission: only the directory is an error now
	run -1 --separate-stderr $nocap "$TNOS" walk --open-flags path "$R" walk-src
	[[ $stderr == *"1 entry could not be read"* ]]
	[[ $output == *"$R/closed"* ]]
	rm -rf "$R/locked" "$R/closed"
}

@test "depth beyond 4096 levels is a clear error; the rest is walked" {
	mkdir "$TT/deep"
	mount -t tmpfs deep-src "$TT/deep"
	python3 -c '
import os, sys
os.chdir(sys.argv[1])
for i in range(4098):
    os.mkdir("d"); os.chdir("d")
open("bottom", "w").close()' "$TT/deep"
	run -1 --separate-stderr "$TNOS" walk --stats "$TT/deep" deep-src
	[[ $stderr == *"deeper than 4096 levels"* ]]
	[ "${#lines[@]}" -eq 4096 ]
	umount -l "$TT/deep"
}

@test "the fd limit is named when a deep tree exceeds it" {
	mkdir "$TT/fdl"
	mount -t tmpfs fdl-src "$TT/fdl"
	mkdir -p "$TT/fdl/$(printf 'd/%.0s' $(seq 1 40))"
	run -1 --separate-stderr bash -c 'ulimit -n 24; "$TNOS" walk "$TT/fdl" fdl-src'
	[[ $stderr == *"RLIMIT_NOFILE is 24"* ]]
	umount "$TT/fdl"
}

@test "usage errors exit 2" {
	run -2 "$TNOS" walk "$R"
	run -2 "$TNOS" walk "$R" a b
	run -2 "$TNOS" walk -0 --ndjson "$R" walk-src
	run -2 "$TNOS" walk --jobs 0 "$R" walk-src
	run -2 "$TNOS" walk --open-flags creat "$R" walk-src
	# the names completion offers are the ones it takes, and only those
	offered=$("$TNOS" __complete walk --open-flags '')
	for f in creat excl trunc directory tmpfile; do ! grep -qx "$f" <<<"$offered" || false; done
	for f in $offered; do
		run "$TNOS" walk --open-flags "$f" "$R" walk-src
		[ "$status" -ne 2 ] || { echo "offered '$f' is refused: $output"; false; }
	done
	run -2 "$TNOS" walk --open-flags path,rdwr "$R" walk-src
	run -2 "$TNOS" walk --open-flags path --exec cat \; "$R" walk-src
	run -2 "$TNOS" walk --report-every 0 "$R" walk-src
	run -2 "$TNOS" walk --exec \; "$R" walk-src
}

@test "a closed pipe ends the walk quietly" {
	run -0 --separate-stderr bash -c '"$TNOS" walk "$R" walk-src | head -n 1'
	[ "${#lines[@]}" -eq 1 ]
	[ -z "$stderr" ]
	# two threads, each with its own fd table, stop as quietly, in every
	# mode, with far more output than a pipe holds; SIGPIPE ends tnos as
	# it ends find
	mkdir -p "$TT/cut" && mountpoint -q "$TT/cut" || mount -t tmpfs cut-src "$TT/cut"
	python3 -c '
import os, sys
for d in range(20):
    p = os.path.join(sys.argv[1], "a" * 60 + f"{d:02d}")
    os.makedirs(p)
    for f in range(1000):
        os.close(os.open(os.path.join(p, "b" * 60 + f"{f:04d}"), os.O_CREAT | os.O_WRONLY, 0o644))
' "$TT/cut"
	find_rc=$(bash -c 'find "$TT/cut" | head -n 3 >/dev/null; echo "${PIPESTATUS[0]}"')
	[ "$find_rc" = 141 ]
	for mode in "" --ndjson --open-flags=rdonly; do
		for _ in 1 2 3; do
			run -0 --separate-stderr bash -c '"$TNOS" walk -j2 '"$mode"' "$TT/cut" cut-src | head -n 3; echo "${PIPESTATUS[0]}"'
			[ "${#lines[@]}" -eq 4 ]
			[ "${lines[3]}" = "$find_rc" ]
			[ -z "$stderr" ]
		done
	done
	umount "$TT/cut"
}

@test "--resume-token: a directory where --exec failed is not marked" {
	mkdir "$TT/rx"
	mount -t tmpfs rx-src "$TT/rx"
	mkdir -p "$TT/rx/good" "$TT/rx/bad"
	echo 1 >"$TT/rx/good/f" && echo 2 >"$TT/rx/bad/f" && echo 3 >"$TT/rx/bad/fail-me"
	run -1 --separate-stderr "$TNOS" walk --resume-token "user.t=$TOKEN" \
		--exec sh -c 'case $TNOS_PATH in *fail-me) exit 1 ;; esac' \; "$TT/rx" rx-src
	[[ $stderr == *"failed for 1 file"* ]]
	[ "$(marked_dirs "$TT/rx" "$TOKEN")" = "$TT/rx/good" ]
	run -0 "$TNOS" walk --resume-token "user.t=$TOKEN" "$TT/rx" rx-src
	[ "$output" = "$(find "$TT/rx" -mindepth 1 ! -path "$TT/rx/good*" | sort)" ] ||
		[ "$(printf '%s\n' "$output" | sort)" = "$(find "$TT/rx" -mindepth 1 ! -path "$TT/rx/good*" | sort)" ]
	umount "$TT/rx"
}

@test "entries swapped after getdents are re-classified from statx, not d_type" {
	mkdir "$R/sw"
	for f in r1 r2 r3 r4; do echo "$f" >"$R/sw/$f"; done
	# the first file's command swaps its siblings, which getdents already
	# reported as regular files: a FIFO, a symlink, a directory
	run -0 --separate-stderr timeout 10 "$TNOS" walk --ndjson --relative sw --exec sh -c '
		[ -e "$TT/swapped" ] && exit 0; : >"$TT/swapped"
		set --; for f in r1 r2 r3 r4; do [ "$R/sw/$f" = "$TNOS_PATH" ] || set -- "$@" "$R/sw/$f"; done
		rm "$1" "$2" "$3"; mkfifo "$1"; ln -s /etc/passwd "$2"; mkdir "$3"; echo in >"$3/inner"
		printf "%s\n" "$1" "$2" "$3" >"$TT/swaplist"' \; "$R" walk-src
	fifo=$(sed -n 1p "$TT/swaplist") link=$(sed -n 2p "$TT/swaplist") dir=$(sed -n 3p "$TT/swaplist")
	rec() { printf '%s\n' "$output" | jq -c --arg p "$1" 'select(.parent + "/" + .name == $p) | [.type, .isreg, .isdir, .islnk]'; }
	[ "$(rec "$fifo")" = '["fifo",false,false,false]' ]
	[ -z "$(rec "$link")" ]
	[ "$(rec "$dir")" = '["directory",false,true,false]' ]
	[ "$(rec "$dir/inner")" = '["regular",true,false,false]' ]
	rm -rf "$R/sw" "$TT/swapped" "$TT/swaplist"
}

@test "an empty MOUNTPOINT is refused by name with the kernel's ENOENT" {
	want=$(empty_path_err)
	cd "$R"
	run -1 --separate-stderr "$TNOS" walk '' walk-src
	[ "$output" = "" ]
	[ "$stderr" = "tnos walk: '': $want" ]
}

@test "the man page's checksum example: sha256sum -c checks every line, one per regular file" {
	mkdir "$TT/sums"
	mount -t tmpfs sums-src "$TT/sums"
	mkdir -p "$TT/sums/a b/c"
	echo one >"$TT/sums/a b/f 1"
	head -c 100000 /dev/urandom >"$TT/sums/a b/c/big"
	: >"$TT/sums/empty"
	{ "$TNOS" walk --exec sh -c 'printf "%s  %s\n" "$(sha256sum | cut -c1-64)" "$TNOS_PATH" >&3' \; \
		"$TT/sums" sums-src 3>&1 >/dev/null; } >"$TT/sums.txt"
	[ "$(wc -l <"$TT/sums.txt")" -eq "$(find "$TT/sums" -xdev -type f | wc -l)" ]
	run -0 sha256sum --strict -c "$TT/sums.txt"
	[ "$(grep -c ': OK$' <<<"$output")" -eq 3 ]
	umount "$TT/sums"
}

@test "a directory removed while it is read: counted in cnt_vanished, not an error (the kernel's getdents ENOENT)" {
	# the kernel: getdents64 on a directory removed since it was opened
	run -0 python3 -c 'import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
d = sys.argv[1] + "/gone"; os.mkdir(d); fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY); os.rmdir(d)
buf = ctypes.create_string_buffer(4096)
n = libc.getdents64(fd, buf, 4096)
print(errno.errorcode[ctypes.get_errno()] if n < 0 else n)' "$TT"
	[ "$output" = ENOENT ]
	mkdir -p "$R/rmd/sub"
	: >"$R/rmd/sub/x"
	run -0 --separate-stderr "$TNOS" walk --relative rmd --stats \
		--exec sh -c 'rm -rf "${TNOS_PATH%/*}"' \; "$R" walk-src
	[ "$output" = "$R/rmd/sub"$'\n'"$R/rmd/sub/x" ]
	[ "$(printf '%s\n' "$stderr" | jq -c '[.cnt, .cnt_vanished, .errors, .state]')" = '[2,1,0,"done"]' ]
	rm -rf "$R/rmd"
}

@test "fd mode: a directory it may not open is listed, reported and not entered, as find lists it" {
	# relative to $TT: the bats directories above it are 0700
	chmod 0755 "$TT"
	cd "$TT"
	mkdir -p fdacc
	mount -t tmpfs fdacc-src fdacc
	chmod 0755 fdacc
	mkdir -p fdacc/priv/sub fdacc/pub
	: >fdacc/pub/f
	chmod 0700 fdacc/priv
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	want=$(as_nobody find fdacc -xdev -mindepth 1 2>/dev/null | LC_ALL=C sort)
	[ "$want" = "$(printf 'fdacc/priv\nfdacc/pub\nfdacc/pub/f')" ]
	for mode in "--exec true ;" "--open-flags path" "-j2 --exec true ;"; do
		# shellcheck disable=SC2086
		run -1 --separate-stderr as_nobody "$TNOS" walk $mode fdacc fdacc-src
		[ "$(printf '%s\n' "$output" | LC_ALL=C sort)" = "$want" ] || { echo "$mode: $output"; return 1; }
		[ "${stderr_lines[0]}" = "tnos walk: fdacc/priv: openat2: $(errstr EACCES)" ] || { echo "$mode: $stderr"; return 1; }
	done
	umount fdacc
}

@test "fd mode on a filesystem without d_type: devices and FIFOs are never opened with the file flags, directories are entered" {
	truncate -s 8M "$TT/nofiletype.img"
	mkfs.ext4 -q -F -O ^filetype "$TT/nofiletype.img"
	mkdir "$TT/nft"
	mount -o loop "$TT/nofiletype.img" "$TT/nft"
	N=$TT/nft
	rm -rf "$N/lost+found"
	mknod "$N/nulldev" c 1 3
	mkfifo "$N/ff"
	mkdir -p "$N/dir/sub"
	echo x >"$N/dir/sub/f"
	# d_type is DT_UNKNOWN here (python's scandir sees no type without a stat)
	src=$(findmnt -n -o SOURCE "$N")
	# (LeakSanitizer cannot run under ptrace: off for the traced run)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=openat2 -o "$TT/nft.strace" "$TNOS" walk --open-flags wronly "$N" "$src" >"$TT/nft.out"
	[ "$(LC_ALL=C sort "$TT/nft.out")" = "$(find "$N" -xdev -mindepth 1 | LC_ALL=C sort)" ]
	# nulldev and ff: only O_PATH opens
	run grep -E '"(nulldev|ff)"' "$TT/nft.strace"
	[ -n "$output" ]
	run grep -E '"(nulldev|ff)"' "$TT/nft.strace"
	printf '%s\n' "$output" | grep -v O_PATH && false
	run -0 "$TNOS" walk --exec true \; "$N" "$src"
	umount "$N"
}
