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

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	: > "$TT/pids"
	A=$(ns_proc ns-alpha)
	B=$(ns_proc ns-beta)
	export A B
}

teardown_file() {
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

@test "--ns PID goes through a pidfd: it works with /proc covered, which /proc/PID/ns/mnt cannot" {
	want=$(mi_triples "$A")
	tn_nosys pidfd_open true	# builds the runner
	run -0 --separate-stderr unshare -m --propagation private sh -c \
		'mount -t tmpfs none /proc && exec "$0" lsmount --ns "$1" -l -r -n -o TARGET,SOURCE,FSTYPE' \
		"$TNOS" "$A"
	diff <(echo "$output" | sort) <(echo "$want")
	# the same without pidfd_open: only /proc/PID/ns/mnt is left, and it is covered
	run -1 --separate-stderr unshare -m --propagation private sh -c \
		'mount -t tmpfs none /proc && exec "$0" pidfd_open "$1" lsmount --ns "$2" -l' \
		"${BATS_RUN_TMPDIR:-/tmp}/nosys" "$TNOS" "$A"
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

@test "--ns PATH: a namespace file works as before; a file of another type is refused" {
	run -0 --separate-stderr "$TNOS" lsmount --ns "/proc/$A/ns/mnt" -l -r -n -o TARGET,SOURCE,FSTYPE
	diff <(echo "$output" | sort) <(mi_triples "$A")
	run -1 --separate-stderr "$TNOS" lsmount --ns "/proc/$A/ns/net" -l
	[ "$stderr" = "tnos lsmount: --ns /proc/$A/ns/net: not a mount namespace" ]
	run -1 --separate-stderr "$TNOS" lsmount --ns 2147483000 -l
	[ "$stderr" = "tnos lsmount: --ns 2147483000: no such process" ]
}
