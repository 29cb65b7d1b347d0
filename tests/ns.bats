#!/usr/bin/env bats
# Mount namespaces: --ns PID through a pidfd (and its /proc fallback),
# lsmount --all-ns and --namespaces, each against /proc/PID/mountinfo of
# processes that tnos did not start.
load helpers

# ns_proc NAME: a process in a new mount namespace with a tmpfs named NAME
# on $TT/NAME (made inside it, so only that namespace has it).  Prints its PID.
ns_proc() {
	mkdir -p "$TT/$1"
	unshare -m --propagation private sh -c \
		"mount -t tmpfs -o size=1m $1 '$TT/$1' && exec sleep 600" </dev/null >/dev/null 2>&1 &
	local pid=$! i
	for i in $(seq 200); do
		grep -q " $1 " /proc/$pid/mountinfo 2>/dev/null && break
		sleep 0.05
	done
	grep -q " $1 " /proc/$pid/mountinfo
	echo "$pid" >> "$TT/pids"
	echo "$pid"
}

# "TARGET SOURCE FSTYPE" of every mount in /proc/PID/mountinfo, sorted
mi_triples() {
	awk '{ for (i = 7; $i != "-"; i++) ; print $5, $(i + 2), $(i + 1) }' /proc/$1/mountinfo | sort
}

# ns_id_of PATH: the mount namespace id of an nsfs file (ioctl NS_GET_MNTNS_ID,
# _IOR(0xb7, 5, __u64), through python3: an oracle tnos did not compute)
ns_id_of() {
	python3 -c 'import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
print(struct.unpack("Q", fcntl.ioctl(fd, 0x8008b705, bytes(8)))[0])' "$1"
}

# the root mount of a mountinfo: its own parent, or a parent not listed
mi_root() {
	awk '{ id[$1] = 1; line[NR] = $0; par[NR] = $2 }
	END { for (i = 1; i <= NR; i++) if (!(par[i] in id) || par[i] == substr(line[i], 1, index(line[i], " ") - 1)) {
		split(line[i], f, " "); for (j = 7; f[j] != "-"; j++) ; print f[j + 2], f[j + 1]; exit } }' "$1"
}

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	: > "$TT/pids"
	A=$(ns_proc ns-alpha)
	B=$(ns_proc ns-beta)
	# a namespace no process is in: held by a bind mount of its nsfs file
	mkdir -p "$TT/held"
	touch "$TT/held/ns"
	# The kernel binds an nsfs file only of a namespace with a larger id than
	# the binder's (mnt_ns_loop), and ids are handed out per CPU in batches,
	# so a new namespace can get a smaller one: try again until it does not.
	local h i try self
	self=$(ns_id_of /proc/self/ns/mnt)
	for try in $(seq 30); do
		unshare -m --propagation private sh -c "mount -t tmpfs -o size=1m ns-held /mnt &&
			mount -t tmpfs -o size=1m ns-held2 /media && exec sleep 600" </dev/null >/dev/null 2>&1 &
		h=$!
		for i in $(seq 200); do
			grep -q " ns-held2 " /proc/$h/mountinfo 2>/dev/null && break
			sleep 0.05
		done
		if [ "$(ns_id_of /proc/$h/ns/mnt)" -gt "$self" ]; then
			mount --bind /proc/$h/ns/mnt "$TT/held/ns"
			try=done
		fi
		kill $h
		wait $h 2>/dev/null || true
		[ "$try" != done ] || break
	done
	[ "$try" = done ]
	AID=$(ns_id_of /proc/$A/ns/mnt)
	BID=$(ns_id_of /proc/$B/ns/mnt)
	HID=$(ns_id_of "$TT/held/ns")
	export A B AID BID HID
}

teardown_file() {
	umount "$TT/held/ns" 2>/dev/null || true
	local p
	for p in $(cat "$TT/pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	for p in $(cat "$TT/pids" 2>/dev/null); do
		while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
	done
	tn_teardown_tmpfs
}

@test "--ns PID lists that process's mounts, as its /proc/PID/mountinfo has them" {
	run -0 --separate-stderr "$TNOS" lsmount --ns "$A" -l -r -n -o TARGET,SOURCE,FSTYPE
	diff <(echo "$output" | sort) <(mi_triples "$A")
	echo "$output" | grep -qx "$TT/ns-alpha ns-alpha tmpfs"
	run ! grep -q "ns-beta" <<<"$output"
}

@test "--ns PID with a PATH or an old id: resolved in that namespace, as its /proc/PID/mountinfo has it" {
	mi=$(awk -v t="$TT/ns-alpha" '$5 == t' /proc/$A/mountinfo)
	[ -n "$mi" ]
	old=${mi%% *}
	# in the caller's namespace that path is a plain directory of $TT
	[ "$(findmnt -n -o TARGET -T "$TT/ns-alpha")" = "$TT" ]
	run -0 --separate-stderr "$TNOS" lsmount --ns "$A" -l -r -n -o OLD-ID,TARGET,SOURCE "$TT/ns-alpha"
	[ "$output" = "$old $TT/ns-alpha ns-alpha" ]
	run -0 --separate-stderr "$TNOS" statmount --ns "$A" -P -o OLD-ID,TARGET,SOURCE "$TT/ns-alpha"
	[ "$output" = "OLD_ID=\"$old\" TARGET=\"$TT/ns-alpha\" SOURCE=\"ns-alpha\"" ]
	run -0 --separate-stderr "$TNOS" lsmount --ns "$A" --mountinfo "$TT/ns-alpha"
	[ "$output" = "$mi" ]
	# an old id is looked up in that namespace's mountinfo for the hint
	run -1 --separate-stderr "$TNOS" statmount --ns "$A" "$old"
	[[ $stderr == *"it is the mount at $TT/ns-alpha, whose unique id is "* ]] || { echo "$stderr"; false; }
	# a relative PATH starts at that namespace's root, as after nsenter -m
	run -0 --separate-stderr sh -c 'cd "$2" && exec "$0" statmount --ns "$1" -o SOURCE "${2#/}/ns-alpha"' "$TNOS" "$A" "$TT"
	[ "$output" = "SOURCE: ns-alpha" ]
}

@test "--ns PID goes through a pidfd: it works with /proc/PID covered, which /proc/PID/ns/mnt cannot" {
	want=$(mi_triples "$A")
	tn_nosys pidfd_open true	# builds the runner
	run -0 --separate-stderr unshare -m --propagation private sh -c \
		'mount -t tmpfs none "/proc/$1" && exec "$0" lsmount --ns "$1" -l -r -n -o TARGET,SOURCE,FSTYPE' \
		"$TNOS" "$A"
	diff <(echo "$output" | sort) <(echo "$want")
	# the same without pidfd_open: only /proc/PID/ns/mnt is left, and it is covered
	run -1 --separate-stderr unshare -m --propagation private sh -c \
		'mount -t tmpfs none "/proc/$3" && exec "$0" pidfd_open "$1" lsmount --ns "$2" -l' \
		"${BATS_RUN_TMPDIR:-/tmp}/nosys" "$TNOS" "$A" "$A"
	[ -z "$output" ]
	[[ "$stderr" == "tnos lsmount: --ns $A: no such process"* ]]
}

@test "--ns PID falls back to /proc/PID/ns/mnt when the kernel has no pidfd_open" {
	run -0 --separate-stderr tn_nosys pidfd_open "$TNOS" lsmount --ns "$B" -l -r -n -o TARGET,SOURCE,FSTYPE
	diff <(echo "$output" | sort) <(mi_triples "$B")
	# statmount --ns takes the same way: the id statx gives inside B's namespace
	id=$(nsenter -t "$B" -m -- python3 - "$TT/ns-beta" <<'PY'
import ctypes, os, struct, sys
from sysnr import NR
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(256)
assert libc.syscall(NR["statx"], -100, sys.argv[1].encode(), 0, 0x4000, buf) == 0
print(struct.unpack_from("Q", buf.raw, 0x90)[0])
PY
)
	run -0 --separate-stderr tn_nosys pidfd_open "$TNOS" statmount -J --ns "$B" "$id"
	echo "$output" | jq -e '.sb_source == "ns-beta" and .fs_type == "tmpfs"'
}

@test "--ns PID: a pidfd without the namespace ioctls (ENOTTY, before 6.11) falls back to /proc/PID/ns/mnt" {
	# PIDFD_GET_MNT_NAMESPACE is _IO(0xff, 3); 25 is ENOTTY
	run -0 --separate-stderr tn_nosys ioctl:0xff03=25 "$TNOS" lsmount --ns "$B" -l -r -n -o TARGET,SOURCE,FSTYPE
	diff <(echo "$output" | sort) <(mi_triples "$B")
	# and it was /proc that answered: with /proc/PID covered there is none
	run -1 --separate-stderr unshare -m --propagation private sh -c \
		'mount -t tmpfs none "/proc/$3" && exec "$0" ioctl:0xff03=25 "$1" lsmount --ns "$2" -l' \
		"${BATS_RUN_TMPDIR:-/tmp}/nosys" "$TNOS" "$B" "$B"
	[[ "$stderr" == "tnos lsmount: --ns $B: no such process"* ]]
}

@test "--ns PATH: a namespace file works as before; a file of another type is refused" {
	run -0 --separate-stderr "$TNOS" lsmount --ns "/proc/$A/ns/mnt" -l -r -n -o TARGET,SOURCE,FSTYPE
	diff <(echo "$output" | sort) <(mi_triples "$A")
	run -1 --separate-stderr "$TNOS" lsmount --ns "/proc/$A/ns/net" -l
	[ "$stderr" = "tnos lsmount: --ns /proc/$A/ns/net: not a mount namespace" ]
	run -1 --separate-stderr "$TNOS" lsmount --ns 2147483000 -l
	[ "$stderr" = "tnos lsmount: --ns 2147483000: no such process" ]
}

@test "--all-ns: each namespace's mounts, under its NS-ID, as its /proc/PID/mountinfo has them" {
	run -0 --separate-stderr "$TNOS" lsmount --all-ns -l
	[[ "${lines[0]}" =~ ^\ *NS-ID\ +TARGET\  ]]
	run -0 --separate-stderr "$TNOS" lsmount --all-ns -l -r -n -o NS-ID,TARGET,SOURCE,FSTYPE
	all=$output
	diff <(awk -v id="$AID" '$1 == id { print $2, $3, $4 }' <<<"$all" | sort) <(mi_triples "$A")
	diff <(awk -v id="$BID" '$1 == id { print $2, $3, $4 }' <<<"$all" | sort) <(mi_triples "$B")
	# the held namespace: its mounts as a process entering it sees them
	diff <(awk -v id="$HID" '$1 == id { print $2, $3, $4 }' <<<"$all" | sort) \
		<(nsenter --mount="$TT/held/ns" awk '{ for (i = 7; $i != "-"; i++) ; print $5, $(i + 2), $(i + 1) }' /proc/self/mountinfo | sort)
	# and ours, from our own mountinfo
	diff <(awk -v id="$(ns_id_of /proc/self/ns/mnt)" '$1 == id { print $2, $3, $4 }' <<<"$all" | sort) <(mi_triples self)
	# seen from the namespace with the largest id (the others are reached
	# with NS_MNT_GET_PREV) and from the smallest (NS_MNT_GET_NEXT, step by step)
	local f id max=/proc/self/ns/mnt min=/proc/self/ns/mnt
	local maxid minid
	maxid=$(ns_id_of /proc/self/ns/mnt) minid=$maxid
	for f in /proc/$A/ns/mnt /proc/$B/ns/mnt "$TT/held/ns"; do
		id=$(ns_id_of "$f")
		[ "$id" -le "$maxid" ] || { max=$f maxid=$id; }
		[ "$id" -ge "$minid" ] || { min=$f minid=$id; }
	done
	for f in "$max" "$min"; do
		run -0 --separate-stderr nsenter --mount="$f" "$TNOS" lsmount --all-ns -l -r -n -o NS-ID,TARGET,SOURCE,FSTYPE
		diff <(awk -v id="$AID" '$1 == id { print $2, $3, $4 }' <<<"$output" | sort) <(mi_triples "$A")
		diff <(awk -v id="$BID" '$1 == id { print $2, $3, $4 }' <<<"$output" | sort) <(mi_triples "$B")
		grep -q "^$HID .* ns-held2 tmpfs$" <<<"$output"
		grep -q "^$(ns_id_of /proc/self/ns/mnt) $TT " <<<"$output"
	done
}

@test "--all-ns with --source and -t: which namespaces have this source mounted" {
	run -0 --separate-stderr "$TNOS" lsmount --all-ns --source ns-alpha -J
	echo "$output" | jq -e --argjson a "$AID" --arg t "$TT/ns-alpha" \
		'.mounts | length == 1 and .[0].mnt_ns_id == $a and .[0].mnt_point == $t'
	run -0 --separate-stderr "$TNOS" lsmount --all-ns -t tmpfs -l -r -n -o NS-ID,SOURCE,FSTYPE
	tmp=$output
	grep -qx "$AID ns-alpha tmpfs" <<<"$tmp"
	grep -qx "$BID ns-beta tmpfs" <<<"$tmp"
	grep -qx "$HID ns-held2 tmpfs" <<<"$tmp"
	run ! grep -v ' tmpfs$' <<<"$tmp"
	run -0 --separate-stderr "$TNOS" lsmount --all-ns -t notmpfs -l -r -n -o FSTYPE
	run ! grep -x tmpfs <<<"$output"
}

@test "--namespaces: mounts, root mount and processes of each namespace" {
	run -0 --separate-stderr "$TNOS" lsmount --namespaces -J
	doc=$output
	for p in "$A" "$B"; do
		id=$(ns_id_of /proc/$p/ns/mnt)
		read -r src type < <(mi_root /proc/$p/mountinfo)
		procs=0
		for d in /proc/[0-9]*; do
			[ "$(readlink "$d/ns/mnt" 2>/dev/null)" = "$(readlink /proc/$p/ns/mnt)" ] && procs=$((procs + 1))
		done
		echo "$doc" | jq -e --argjson id "$id" --argjson n "$(wc -l < /proc/$p/mountinfo)" \
			--arg src "$src" --arg type "$type" --argjson pid "$p" --argjson procs "$procs" \
			'.namespaces[] | select(.mnt_ns_id == $id) | .nr_mounts == $n and
			 .root_sb_source == $src and .root_fs_type == $type and
			 .nr_procs == $procs and .pid == $pid and .comm == "sleep"'
	done
	[ "$procs" = 1 ]
	# ours: this shell is in it, and tnos counts the processes readlink finds
	me=$(readlink /proc/self/ns/mnt)
	echo "$doc" | jq -e --argjson id "$(ns_id_of /proc/self/ns/mnt)" \
		--argjson n "$(wc -l < /proc/self/mountinfo)" '.namespaces[] | select(.mnt_ns_id == $id) | .nr_mounts == $n and .nr_procs >= 1'
}

@test "--namespaces and --all-ns in a user namespace: its own namespace, where the kernel's walk says EPERM next to it" {
	export -f ns_id_of
	run -0 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urm bash -c '
		set -e
		id=$(ns_id_of /proc/self/ns/mnt)
		# the kernel: each way from ours, EPERM or the end (ENOENT); the
		# 16 bytes are struct mnt_ns_info (NS_MNT_GET_NEXT, _PREV)
		python3 -c "import errno, fcntl, os
fd = os.open(\"/proc/self/ns/mnt\", os.O_RDONLY)
out = []
for req in (0x8010b70b, 0x8010b70c):
    try:
        os.close(fcntl.ioctl(fd, req, bytearray(b\"\\x10\" + bytes(15)), True))
        out.append(\"ok\")
    except OSError as e:
        out.append(errno.errorcode[e.errno])
print(\" \".join(out))"
		"$1" lsmount --namespaces -J | jq -e --argjson id "$id" --argjson n "$(wc -l < /proc/self/mountinfo)" \
			"[.namespaces[] | select(.mnt_ns_id == \$id)] | length == 1 and .[0].nr_mounts == \$n"
		"$1" lsmount --all-ns -J | jq -r --argjson id "$id" "[.mounts[] | select(.mnt_ns_id == \$id)] | length"
		wc -l < /proc/self/mountinfo
	' _ "$TNOS"
	[[ ${lines[0]} == *EPERM* ]]
	[[ ${lines[0]} != *ok* ]]
	[ "${lines[1]}" = true ]
	[ "${lines[2]}" = "${lines[3]}" ]
}

@test "--namespaces: a namespace held only by a bind mount of its nsfs file, with no process" {
	n=$(nsenter --mount="$TT/held/ns" cat /proc/self/mountinfo | wc -l)
	read -r src type < <(nsenter --mount="$TT/held/ns" cat /proc/self/mountinfo | mi_root /dev/stdin)
	run -0 --separate-stderr "$TNOS" lsmount --namespaces -J
	echo "$output" | jq -e --argjson id "$HID" --argjson n "$n" --arg src "$src" --arg type "$type" \
		'[.namespaces[] | select(.mnt_ns_id == $id)] | length == 1 and .[0].nr_mounts == $n and
		 .[0].nr_procs == 0 and (.[0] | has("pid") | not) and (.[0] | has("comm") | not) and
		 .[0].root_sb_source == $src and .[0].root_fs_type == $type'
	# people get a dash for the missing process
	run -0 --separate-stderr "$TNOS" lsmount --namespaces -r -n -o NS-ID,PROCS,PID,COMMAND
	grep -qx "$HID 0 - -" <<<"$output"
}

@test "--all-ns and --namespaces on a kernel without the nsfs walk (NS_MNT_GET_INFO, ENOTTY): exit 3" {
	# NS_MNT_GET_INFO is _IOR(0xb7, 10, struct mnt_ns_info): 0x8010b70a
	for opt in --all-ns --namespaces; do
		run -3 --separate-stderr tn_nosys ioctl:0x8010b70a=25 "$TNOS" lsmount "$opt"
		[ -z "$output" ]
		[ "$stderr" = "tnos lsmount: $opt: this kernel cannot walk mount namespaces (NS_MNT_GET_NEXT needs Linux 6.11)" ]
	done
}

@test "--all-ns and --namespaces refuse what makes no sense with them" {
	run -2 --separate-stderr "$TNOS" lsmount --all-ns --ns "$A"
	[ "${stderr_lines[0]}" = "tnos lsmount: --all-ns covers every namespace: --ns names one" ]
	run -2 --separate-stderr "$TNOS" lsmount --namespaces /
	[ "${stderr_lines[0]}" = "tnos lsmount: --namespaces lists whole namespaces: no MOUNT argument" ]
	run -2 --separate-stderr "$TNOS" lsmount --namespaces --all-ns
	run -2 --separate-stderr "$TNOS" lsmount --namespaces -t tmpfs
	run -2 --separate-stderr "$TNOS" lsmount --all-ns --limit 3
	[ -z "$output" ]
	# -o and --list-columns know the namespace record's columns
	run -0 --separate-stderr "$TNOS" lsmount --namespaces -o NS-ID,MOUNTS -r -n
	run -2 --separate-stderr "$TNOS" lsmount -o NS-ID,MOUNTS
	run -0 --separate-stderr "$TNOS" lsmount --namespaces --list-columns -J
	echo "$output" | jq -e '[.columns[].key] | index("nr_procs") and index("root_sb_source")'
}

@test "completion: -o after --namespaces offers the namespace columns" {
	run -0 --separate-stderr "$TNOS" __complete lsmount --namespaces -o ""
	[ "$(echo $output)" = "NS-ID MOUNTS ROOT-ID SOURCE FSTYPE PROCS PID COMMAND" ]
	run -0 --separate-stderr "$TNOS" __complete lsmount -o ""
	grep -qx TARGET <<<"$output"
	run ! grep -qx PROCS <<<"$output"
}

@test "--namespaces: a command name with control bytes reaches the terminal escaped" {
	unshare -m --propagation private python3 -c 'import ctypes, time
ctypes.CDLL(None).prctl(15, b"ev\x1b[31m\nx", 0, 0, 0)
time.sleep(600)' </dev/null >/dev/null 2>&1 &
	p=$!
	echo "$p" >> "$TT/pids"
	for i in $(seq 200); do
		[[ "$(cat /proc/$p/comm 2>/dev/null)" == ev* ]] && break
		sleep 0.05
	done
	run -0 --separate-stderr "$TNOS" lsmount --namespaces -r -n -o PID,COMMAND
	grep -qxF "$p ev\\x1b[31m\\x0ax" <<<"$output"
	run ! grep -q $'\e' <<<"$output"
	run -0 --separate-stderr "$TNOS" lsmount --namespaces -J
	echo "$output" | jq -e --argjson p "$p" '.namespaces[] | select(.pid == $p) | .comm == "ev\u001b[31m\nx"'
}
