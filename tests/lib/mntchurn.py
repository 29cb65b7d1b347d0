"""mntchurn.py - mount churn for the watch suite, with the kernel's own
unique mount ids (statx STATX_MNT_ID_UNIQUE through ctypes): the oracle the
events of `tnos lsmount --watch` are checked against.

    mntchurn.py churn DIR N SEED   N random attach/detach/move operations
                                   (tmpfs and bind mounts on DIR/dK); prints
                                   "EVENT ID" per operation, in order, then
                                   leaves nothing mounted
    mntchurn.py ids PATH...        the unique mount id of each PATH
    mntchurn.py mount DIR N        N new tmpfs mounts DIR/nK; prints the ids
    mntchurn.py umount PATH...     unmounts each PATH; prints the ids it had
    mntchurn.py flood DIR N        N mount + umount pairs on DIR (2N events)
"""
import ctypes
import os
import random
import struct
import sys

from sysnr import NR

libc = ctypes.CDLL(None, use_errno=True)
MS_BIND, MS_MOVE = 4096, 8192
STATX_MNT_ID_UNIQUE = 0x4000


def check(r, what):
    if r != 0:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))


def mnt_id(path):
    buf = ctypes.create_string_buffer(256)
    check(libc.syscall(NR["statx"], -100, path.encode(), 0, STATX_MNT_ID_UNIQUE, buf), "statx " + path)
    assert struct.unpack_from("I", buf.raw, 0)[0] & STATX_MNT_ID_UNIQUE, "no STATX_MNT_ID_UNIQUE"
    return struct.unpack_from("Q", buf.raw, 0x90)[0]


def mount_tmpfs(path, name=b"churn"):
    check(libc.mount(name, path.encode(), b"tmpfs", 0, None), "mount " + path)


def umount(path):
    check(libc.umount2(path.encode(), 0), "umount " + path)


def churn(top, n, seed):
    rnd = random.Random(seed)
    src = os.path.join(top, "src")
    os.makedirs(src, exist_ok=True)
    dirs = []
    for k in range(64):
        d = os.path.join(top, "d%d" % k)
        os.makedirs(d, exist_ok=True)
        dirs.append(d)
    mounted = {}
    out = []
    for _ in range(n):
        free = [d for d in dirs if d not in mounted]
        r = rnd.random()
        if not mounted or (r < 0.4 and free):
            d = rnd.choice(free)
            if rnd.random() < 0.5:
                mount_tmpfs(d)
            else:
                check(libc.mount(src.encode(), d.encode(), None, MS_BIND, None), "bind " + d)
            mounted[d] = mnt_id(d)
            out.append("attach %d" % mounted[d])
        elif r < 0.7 or not free:
            d = rnd.choice(sorted(mounted))
            i = mounted.pop(d)
            assert mnt_id(d) == i
            umount(d)
            out.append("detach %d" % i)
        else:
            d = rnd.choice(sorted(mounted))
            to = rnd.choice(free)
            check(libc.mount(d.encode(), to.encode(), None, MS_MOVE, None), "move " + d)
            i = mounted.pop(d)
            mounted[to] = mnt_id(to)
            assert mounted[to] == i, "a move keeps the id"
            out.append("move %d" % i)
    for d in sorted(mounted):
        umount(d)
        out.append("detach %d" % mounted[d])
    print("\n".join(out))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "churn":
        churn(args[0], int(args[1]), int(args[2]))
    elif cmd == "ids":
        for p in args:
            print(mnt_id(p))
    elif cmd == "mount":
        for k in range(int(args[1])):
            d = os.path.join(args[0], "n%d" % k)
            os.makedirs(d, exist_ok=True)
            mount_tmpfs(d)
            print(mnt_id(d))
    elif cmd == "umount":
        for p in args:
            i = mnt_id(p)
            umount(p)
            print(i)
    elif cmd == "flood":
        for _ in range(int(args[1])):
            mount_tmpfs(args[0], b"flood")
            umount(args[0])
    else:
        sys.exit("mntchurn.py: unknown command " + cmd)


if __name__ == "__main__":
    main()
