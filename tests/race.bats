#!/usr/bin/env bats
# Races, bounded in count and time, inside the suite's private namespace.
# Oracles: /proc/self/mountinfo (which mounts lived through the whole run),
# sort/uniq (duplicates), the file contents (which file was opened).
load helpers

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
}

teardown_file() { tn_teardown_tmpfs; }

# Old mount ids of every mount in mountinfo (the oracle's view).
mi_ids() { awk '{ print $1 }' /proc/self/mountinfo | sort; }	# comm wants sort(1) order

@test "lsmount under mount/umount churn: exit 0, no duplicate id, every stable mount in every run" {
	mkdir -p "$TT"/stable{1,2,3} "$TT/churn"
	for i in 1 2 3; do mount -t tmpfs -o size=1m "stable$i" "$TT/stable$i"; done
	before=$(mi_ids)
	out=$BATS_TEST_TMPDIR/runs
	mkdir -p "$out"
	# 1,000 mounts and unmounts: 125 rounds of a tmpfs with a child tmpfs
	# (so a run may meet a mount whose parent went away) in four slots.
	(
		for i in $(seq 125); do
			for s in 0 1 2 3; do
				mkdir -p "$TT/churn/$s"
				mount -t tmpfs -o size=1m "churn$i" "$TT/churn/$s"
				mkdir "$TT/churn/$s/sub"
				mount -t tmpfs -o size=1m "churnsub$i" "$TT/churn/$s/sub"
			done
			for s in 0 1 2 3; do umount -R "$TT/churn/$s"; done
		done
		echo done > "$out/churn-finished"
	) &
	churn=$!
	n=0
	while kill -0 "$churn" 2>/dev/null && [ "$n" -lt 1000 ]; do
		f=$out/$n
		case $((n % 4)) in
		0) "$TNOS" lsmount -l -r -n -o OLD-ID,ID > "$f.raw" 2> "$f.err" ;;
		1) "$TNOS" lsmount -J -o OLD-ID,ID > "$f.json" 2> "$f.err" ;;
		2) "$TNOS" lsmount -J -l --batch 2 -o OLD-ID,ID,TARGET > "$f.json" 2> "$f.err" ;;
		3) "$TNOS" lsmount -o ID,TARGET,SOURCE > "$f.tree" 2> "$f.err" ;;
		esac
		echo "$?" > "$f.rc"
		n=$((n + 1))
	done
	wait "$churn"
	[ -e "$out/churn-finished" ]
	after=$(mi_ids)
	# the mounts that existed for the whole run
	stable=$(comm -12 <(echo "$before") <(echo "$after"))
	[ "$(echo "$stable" | wc -l)" -ge 4 ]
	# one pass over every run (python: the checks must not be slower than the runs)
	read -r runs churn_seen < <(python3 - "$out" "$n" "$(echo $stable)" 3<&- <<'PY' || echo FAIL
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
stable = {int(x) for x in sys.argv[3].split()}
runs = seen = 0
for k in range(n):
    f = os.path.join(d, str(k))
    rc = open(f + ".rc").read().strip()
    err = open(f + ".err").read()
    if rc != "0" or err:
        sys.exit(f"run {k}: exit {rc}: {err}")
    if os.path.exists(f + ".tree"):
        if len(open(f + ".tree").read().splitlines()) < 5:
            sys.exit(f"run {k}: tree too short")
        continue
    if os.path.exists(f + ".raw"):
        rows = [l.split() for l in open(f + ".raw").read().splitlines()]
        old = [int(r[0]) for r in rows]
        new = [int(r[1]) for r in rows]
    else:
        ms = json.load(open(f + ".json"))["mounts"]
        old = [m["mnt_id_old"] for m in ms]
        new = [m["mnt_id"] for m in ms]
    if len(set(old)) != len(old) or len(set(new)) != len(new):
        sys.exit(f"run {k}: duplicate ids")
    missing = stable - set(old)
    if missing:
        sys.exit(f"run {k}: stable mounts missing: {sorted(missing)}")
    seen += len(set(old) - stable)
    runs += 1
print(runs, seen)
PY
)
	[ "$runs" != FAIL ]
	[ "$runs" -gt 0 ]
	echo "# lsmount churn: 1000 mounts+umounts, $n lsmount runs ($runs id-checked), $churn_seen churn mounts seen" >&3
	for i in 1 2 3; do umount "$TT/stable$i"; done
}

@test "statmount/lsmount of a mount that is gone: 'no such mount', exit 1" {
	mkdir -p "$TT/gone"
	mount -t tmpfs -o size=1m gone "$TT/gone"
	id=$(unique_mnt_id "$TT/gone")
	old=$(mi_field "$TT/gone" 1)
	run -0 --separate-stderr "$TNOS" statmount -o ID "$id"
	umount "$TT/gone"
	# the oracle: mountinfo no longer has it
	! awk -v id="$old" '$1 == id { f = 1 } END { exit !f }' /proc/self/mountinfo || false
	run -1 --separate-stderr "$TNOS" statmount "$id"
	[ "$output" = "" ]
	[ "$stderr" = "tnos statmount: $id: no such mount" ]
	run -1 --separate-stderr "$TNOS" statmount -J "$id"
	[ "$output" = "" ]
	[[ $stderr == *"$id: no such mount"* ]]
	run -1 --separate-stderr "$TNOS" lsmount "$id"
	[[ $stderr == "tnos lsmount: $id: no such mount"* ]]
	# one gone among good ones: the good ones are shown, exit 1
	run -1 --separate-stderr "$TNOS" statmount -J -o TARGET / "$id"
	[[ $stderr == *"$id: no such mount"* ]]
	echo "$output" | jq -e '[.. | objects | select(has("mnt_point")) | .mnt_point] | index("/") != null'
}

# The rename attack on "..": root/a/b is renamed to out1/out2/b and back
# while tnos opens a/b/c/.../c/../.../../../../secret (40 down, 40 up, then
# two more) beneath root.  If b moves while the walk is below it, a naive
# "../.." from b lands in out1, whose secret says OUTSIDE: without --resolve
# this escapes on about one try in five here (the control, reported).
@test "openat2 --resolve beneath never escapes while a directory is renamed out of the root and back" {
	R=$TT/rename
	mkdir -p "$R/root/a/b" "$R/out1/out2"
	echo inside > "$R/root/secret"
	echo OUTSIDE > "$R/out1/secret"
	deep=$(printf 'c/%.0s' $(seq 40))
	mkdir -p "$R/root/a/b/$deep"
	P=a/b/$deep$(printf '../%.0s' $(seq 40))../../secret
	out=$BATS_TEST_TMPDIR/o2
	mkdir -p "$out"
	# the renamer: bounded by count and by time (20 s)
	timeout 120 python3 - "$R" "$out/renamer" <<'PY' &
import os, sys, time
r, done = sys.argv[1], sys.argv[2]
a, o = r + "/root/a/b", r + "/out1/out2/b"
n, end = 0, time.monotonic() + 20
while n < 4000000 and time.monotonic() < end and not os.path.exists(done + ".stop"):
    os.rename(a, o)
    os.rename(o, a)
    n += 2
open(done, "w").write(str(n))
PY
	ren=$!
	# the control: the same opens without --resolve first (counted, not asserted)
	naive=0
	for ((k = 0; k < 200; k++)); do
		kill -0 "$ren" 2>/dev/null || break
		[ "$("$TNOS" openat2 --dir "$R/root" --cat "$P" 2>/dev/null)" != OUTSIDE ] || naive=$((naive + 1))
	done
	inside=0 refused=0 gone=0 other=0 n=0
	for ((n = 0; n < 1500; n++)); do
		kill -0 "$ren" 2>/dev/null || break
		rc=0
		res=$("$TNOS" openat2 --dir "$R/root" --resolve beneath --cat "$P" 2>&1) || rc=$?
		case $rc:$res in
		0:inside) inside=$((inside + 1)) ;;
		*OUTSIDE*) echo "escaped on try $n: $res"; touch "$out/renamer.stop"; wait "$ren"; return 1 ;;
		1:*"escapes the directory"*|1:*"try again"*) refused=$((refused + 1)) ;;
		1:*"No such file or directory"*) gone=$((gone + 1)) ;;
		*) other=$((other + 1)); echo "try $n: exit $rc: $res" ;;
		esac
		# the fd's own path (what was opened) never lies outside the root
		if [ $((n % 10)) = 0 ]; then
			p=$("$TNOS" openat2 --dir "$R/root" --resolve beneath -o FDPATH -n -J "$P" 2>/dev/null | jq -r '.fd_path // empty')
			case $p in
			"" | "$R/root/secret") ;;
			*) echo "opened $p"; touch "$out/renamer.stop"; wait "$ren"; return 1 ;;
			esac
		fi
	done
	touch "$out/renamer.stop"
	wait "$ren"
	renames=$(cat "$out/renamer")
	echo "# openat2 rename race: $n opens beneath ($inside inside, $refused refused, $gone ENOENT, $other other) during $renames renames; control without --resolve: $naive of $k escaped" >&3
	[ "$other" = 0 ]
	[ "$inside" -gt 0 ]
	[ "$renames" -gt 0 ]
}
