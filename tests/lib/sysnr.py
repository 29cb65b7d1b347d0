"""sysnr.py - syscall numbers for the suites' python3 ctypes oracles
(python's os module has no statx, listmount, statmount, open_tree, ...).

    from sysnr import NR
    libc.syscall(NR["statx"], ...)

Syscalls from number 424 on (Linux 5.1+) share the asm-generic number on
every arch except alpha (+110) and mips (+4000 o32, +5000 n64, +6000 n32);
x32 sets __X32_SYSCALL_BIT.  statx (4.11) predates that and has a number of
its own per arch.  An arch not listed here stops the test with a message
rather than call a wrong syscall.
"""
import platform
import struct
import sysconfig

_NEW = {"open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "openat2": 437, "mount_setattr": 442,
        "statmount": 457, "listmount": 458}


def _abi():
    """(cpu, abi) of this python: the Debian multiarch triplet when there is
    one (it tells i386 from x86_64 and the three mips ABIs apart), else
    uname's machine and the pointer size."""
    triplet = sysconfig.get_config_var("MULTIARCH") or ""
    cpu = triplet.split("-")[0] if triplet else platform.machine()
    bits = struct.calcsize("P") * 8
    if cpu.startswith("mips"):
        return "mips", ("n64" if triplet.endswith("abi64") else
                        "n32" if triplet.endswith("abin32") else "o32")
    if cpu == "x86_64" and triplet.endswith("gnux32"):
        return "x86_64", "x32"
    if cpu == "x86_64" and bits == 64:
        return "x86_64", "64"
    if cpu in ("x86_64", "i386", "i486", "i586", "i686"):
        return "i386", ""
    return cpu, str(bits)


def _table():
    cpu, abi = _abi()
    if cpu == "x86_64" and abi == "x32":
        bit = 0x40000000
        return dict({k: v + bit for k, v in _NEW.items()}, statx=332 + bit)
    if cpu == "x86_64":
        return dict(_NEW, statx=332)
    if cpu == "i386" or cpu.startswith(("powerpc", "ppc")):
        return dict(_NEW, statx=383)
    if cpu.startswith("arm") and abi == "32":
        return dict(_NEW, statx=397)
    if cpu.startswith("s390"):
        return dict(_NEW, statx=379)
    if cpu in ("aarch64", "arm64", "riscv64", "riscv32", "loongarch64"):
        return dict(_NEW, statx=291)		# asm-generic
    if cpu == "alpha":
        return dict({k: v + 110 for k, v in _NEW.items()}, statx=522)
    if cpu == "mips":
        base = {"o32": 4000, "n64": 5000, "n32": 6000}[abi]
        statx = {"o32": 4366, "n64": 5326, "n32": 6330}[abi]
        return dict({k: v + base for k, v in _NEW.items()}, statx=statx)
    raise SystemExit("tests/lib/sysnr.py: no syscall numbers for %s %s: add them" % (cpu, abi))


NR = _table()

if __name__ == "__main__":
    import sys
    for name in sys.argv[1:] or sorted(NR):
        print(NR[name] if sys.argv[1:] else "%s %d" % (name, NR[name]))
