#!/usr/bin/env bats
# Exit codes never fail open.  A raw flag number the kernel refuses (EINVAL
# on bits it does not know) exits 3 in every command, naming the option and
# the bits; a fatal error in the walk exits 1 with a message, whatever its
# errno.  Oracles: the kernel's own errno for the same call (python3
# ctypes), findmnt, the files themselves.
load helpers

setup_file() { tn_setup_tmpfs; }
teardown_file() { tn_teardown_tmpfs; }

setup() {
	D=$(mktemp -d "$TT/t.XXXXXX")
	cd "$D"
	mkdir m d
	mount -t tmpfs exitfs m
	echo from > a
}

teardown() {
	cd /
	umount -R "$D/m" "$D/d" 2>/dev/null || true
}


# kerr CALL ARGS...: the errno name the kernel gives for the call ("ok" if it
# succeeds).  The new mount API's syscall numbers come from tests/lib/sysnr.py
# (they differ on alpha and mips); umount2, renameat2 and statx go through libc.
kerr() {
	python3 - "$@" <<'PY'
import ctypes, errno, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
libc.syscall.restype = ctypes.c_long
call, a = sys.argv[1], sys.argv[2:]
FDCWD = ctypes.c_int(-100)
n = lambda s: int(s, 0)
if call == "umount2":
    r = libc.umount2(a[0].encode(), ctypes.c_int(n(a[1])))
elif call == "renameat2":
    r = libc.renameat2(FDCWD, a[0].encode(), FDCWD, a[1].encode(), ctypes.c_uint(n(a[2])))
elif call == "move_mount":
    r = libc.syscall(ctypes.c_long(NR["move_mount"]), FDCWD, a[0].encode(), FDCWD, a[1].encode(), ctypes.c_uint(n(a[2])))
elif call == "openat2":
    how = struct.pack("QQQ", n(a[1]), 0, n(a[2]))
    r = libc.syscall(ctypes.c_long(NR["openat2"]), FDCWD, a[0].encode(), how, ctypes.c_size_t(len(how)))
elif call == "mount_setattr":
    attr = struct.pack("QQQQ", n(a[1]), n(a[2]), n(a[3]), 0)
    r = libc.syscall(ctypes.c_long(NR["mount_setattr"]), FDCWD, a[0].encode(), ctypes.c_uint(0), attr,
                     ctypes.c_size_t(len(attr)))
elif call == "statx":
    buf = ctypes.create_string_buffer(256)
    r = libc.statx(FDCWD, a[0].encode(), 0, ctypes.c_uint(n(a[1])), buf)
elif call == "fsmount":
    fs = libc.syscall(ctypes.c_long(NR["fsopen"]), b"tmpfs", ctypes.c_uint(0))
    assert fs >= 0 and libc.syscall(ctypes.c_long(NR["fsconfig"]), ctypes.c_int(fs), ctypes.c_uint(6), None, None,
                                    ctypes.c_int(0)) == 0   # FSCONFIG_CMD_CREATE
    r = libc.syscall(ctypes.c_long(NR["fsmount"]), ctypes.c_int(fs), ctypes.c_uint(0), ctypes.c_uint(n(a[0])))
print("ok" if r >= 0 else errno.errorcode[ctypes.get_errno()])
PY
}

# refused CMD OPT BITS SYSCALL ARGS...: tnos CMD exits 3 and says which bits
# of which option SYSCALL refused
refused() {
	local cmd=$1 opt=$2 bits=$3 sc=$4
	shift 4
	run -3 --separate-stderr "$TNOS" "$cmd" "$@"
	[ "$stderr" = "tnos $cmd: $opt $bits: $sc: the kernel does not know these flag bits (EINVAL), nor does this build" ] ||
		{ echo "tnos $cmd $*: $stderr"; return 1; }
	[ -z "$output" ]
}

@test "umount --flags: refused bits exit 3 (it was 1); the mount stays" {
	[ "$(kerr umount2 m 0x80000000)" = EINVAL ]
	refused umount --flags 0x80000000 umount2 --flags 0x80000000 m
	# with a known flag beside them only the unknown bits are named
	refused umount --flags 0x80000000 umount2 --detach --flags 0x80000000 m
	[ "$(findmnt -n -o SOURCE --mountpoint "$D/m")" = exitfs ]
}

@test "rename --flags: refused bits exit 3; nothing renamed" {
	[ "$(kerr renameat2 a b 0x100)" = EINVAL ]
	refused rename --flags 0x100 renameat2 --flags 0x100 a b
	[ "$(cat a)" = from ]
	[ ! -e b ]
}

@test "move --flags: refused bits exit 3; nothing moved" {
	[ "$(kerr move_mount m d 0x10000)" = EINVAL ]
	refused move --flags 0x10000 move_mount --flags 0x10000 m d
	[ "$(findmnt -n -o SOURCE --mountpoint "$D/m")" = exitfs ]
	[ -z "$(findmnt -n -o SOURCE --mountpoint "$D/d")" ]
}

@test "openat2 --resolve and --flags: refused bits exit 3" {
	[ "$(kerr openat2 / 0 0x100000)" = EINVAL ]
	refused openat2 --resolve 0x100000 openat2 --resolve 0x100000 /
	[ "$(kerr openat2 / 0x80000000 0)" = EINVAL ]
	refused openat2 --flags 0x80000000 openat2 --flags 0x80000000 /
}

@test "setattr --set, --clear, --propagation: refused bits exit 3; the mount is unchanged" {
	[ "$(kerr mount_setattr m 0x40000000 0 0)" = EINVAL ]
	refused setattr --set 0x40000000 mount_setattr --set 0x40000000 m
	[ "$(kerr mount_setattr m 0 0x40000000 0)" = EINVAL ]
	refused setattr --clear 0x40000000 mount_setattr --clear 0x40000000 m
	[ "$(kerr mount_setattr m 0 0 0x1000)" = EINVAL ]
	refused setattr --propagation 0x1000 mount_setattr --propagation 0x1000 m
	[ "$(findmnt -n -o VFS-OPTIONS --mountpoint "$D/m" | cut -d, -f1)" = rw ]
}

@test "statx --mask: a refused bit exits 3" {
	[ "$(kerr statx / 0x80000000)" = EINVAL ]
	refused statx --mask 0x80000000 statx --mask 0x80000000 /
}

@test "fsmount --attr: refused bits exit 3, for a new filesystem and a bind; nothing is mounted" {
	[ "$(kerr fsmount 0x40000000)" = EINVAL ]
	refused fsmount --attr 0x40000000 fsmount --attr 0x40000000 tmpfs d
	[ "$(kerr mount_setattr m 0x40000000 0 0)" = EINVAL ]
	# a bind sets them in open_tree_attr (Linux 6.15), else with mount_setattr
	refused fsmount --attr 0x40000000 open_tree_attr --attr 0x40000000 --bind m d
	run -3 --separate-stderr tn_nosys open_tree_attr "$TNOS" fsmount --attr 0x40000000 --bind m d
	[ "$stderr" = "tnos fsmount: --attr 0x40000000: mount_setattr: the kernel does not know these flag bits (EINVAL), nor does this build" ]
	[ -z "$(findmnt -n -o SOURCE --mountpoint "$D/d")" ]
}

@test "walk: a fatal EPERM is an error with a message, not the callback's stop" {
	# EPERM is -1, the number the callback's stop used to have: the walk
	# ended early and exited 0 without a word
	echo x > m/f
	run -1 --separate-stderr tn_nosys fgetxattr=1 "$TNOS" walk \
		--resume-token user.t=00112233445566778899aabbccddeeff "$D/m" exitfs
	[ "$stderr" = "tnos walk: $D/m: fgetxattr: $(errstr EPERM)" ]
	[ -z "$output" ]
	run -1 --separate-stderr tn_nosys fgetxattr=1 "$TNOS" walk -j 2 \
		--resume-token user.t=00112233445566778899aabbccddeeff "$D/m" exitfs
	[ "$stderr" = "tnos walk: $D/m: fgetxattr: $(errstr EPERM)" ]
	# the same walk without the filter finishes
	run -0 --separate-stderr "$TNOS" walk --resume-token user.t=00112233445566778899aabbccddeeff "$D/m" exitfs
	[ "$output" = "$D/m/f" ]
}

@test "walk: --exec that cannot run stops the walk: exit 1, its own message, no other" {
	echo x > m/f
	run -1 --separate-stderr "$TNOS" walk --exec "$D/nosuch" \; "$D/m" exitfs
	[ "$stderr" = "tnos walk: --exec $D/nosuch: $(errstr ENOENT)
tnos walk: --exec $D/nosuch failed for 1 file" ]
}

@test "xattr and access --resolve: refused bits exit 3, nothing set or printed" {
	[ "$(kerr openat2 a 0x200000 0x100000)" = EINVAL ]
	refused xattr --resolve 0x100000 openat2 set --resolve 0x100000 a user.x 1
	run ! getfattr -n user.x a
	refused access --resolve 0x100000 openat2 -u 0 -g 0 --resolve 0x100000 a
}
