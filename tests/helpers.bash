# helpers.bash - shared by every suite.  Each suite runs inside a private
# mount namespace (tests/run), and mounts tmpfs only under its own $TT.
bats_require_minimum_version 1.5.0

: "${TNOS:=$BATS_TEST_DIRNAME/../tnos}"
: "${TNOS_TESTS:=$BATS_TEST_DIRNAME}"
# the python3 oracles take syscall numbers from tests/lib/sysnr.py
# (from sysnr import NR; NR["statx"]), never a number for one arch
export PYTHONPATH="$TNOS_TESTS/lib${PYTHONPATH:+:$PYTHONPATH}"

# A skipped test is a failure in CI.
tn_skip() {
	if [ "${CI:-}" = true ]; then
		echo "skip not allowed in CI: $*" >&2
		return 1
	fi
	skip "$*"
}

# Wait until a file made now in DIR would be born after second CUT by the
# filesystem's own clock: that clock is coarse and can lag date(1) by a tick.
wait_born_after() {
	local probe=$1/.born-probe
	until touch "$probe" && [ "$(stat -c %W "$probe")" -gt "$2" ]; do
		rm -f "$probe"
		sleep 0.1
	done
	rm -f "$probe"
}

skip_unless_root() {
	[ "$(id -u)" = 0 ] || tn_skip "needs root"
}

# skip_unless_syscall NAME: probes the running kernel
skip_unless_syscall() {
	case $1 in
	statmount|listmount)
		"$TNOS" statmount / >/dev/null 2>&1 || [ $? -ne 3 ] || tn_skip "no $1 in this kernel" ;;
	*) : ;;
	esac
}

# Private tmpfs scratch area for this suite: $TT
tn_setup_tmpfs() {
	skip_unless_root
	# refuse to run on the host's namespace: tests/run puts us in our own
	if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
		echo "tests must run in a private mount namespace (use tests/run)" >&2
		return 1
	fi
	TT=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/tnos.XXXXXX")
	mount -t tmpfs -o size=64m tnos-test "$TT"
	export TT
}

# tn_nobody_tmpfs NAME: a tmpfs on a new directory under /tmp, both 0755,
# so that an unprivileged user reaches it (the bats temp dirs are 0700, and
# the suite's namespace keeps it from the host).  Prints its path; undo with
# umount -R "$P"; rmdir "$P".
tn_nobody_tmpfs() {
	local p
	p=$(mktemp -d "/tmp/tnos-$1.XXXXXX")
	chmod 755 "$p"
	mount -t tmpfs tnos-test "$p"
	chmod 755 "$p"
	echo "$p"
}

tn_teardown_tmpfs() {
	[ -n "${TT:-}" ] || return 0
	umount -R "$TT" 2>/dev/null || umount -l "$TT" 2>/dev/null || true
	rmdir "$TT" 2>/dev/null || true
}

# The kernel's text for errno NAME (EACCES), as strerror gives it.
errstr() { python3 -c "import os,errno; print(os.strerror(errno.$1))"; }

# mountinfo field N (1-based) for the mount at path $1 (last match wins)
mi_field() {
	awk -v mp="$1" -v f="$2" '$5 == mp { v = $f } END { print v }' /proc/self/mountinfo
}

# decode mountinfo's octal escapes (\040 ...) to bytes
mi_unescape() {
	printf '%b' "$(printf '%s' "$1" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')"
}

# tn_overlay_escapes DIR: two overlay mounts whose option values hold bytes
# the kernel writes as \ooo in an option list (mountinfo's super options,
# statmount's STATMOUNT_MNT_OPTS): DIR/classic by mount(8), its lowerdir's
# comma given as overlayfs's "\," (so a backslash too) and a space;
# DIR/fsconfig by fsconfig(2) string options, each lowerdir+ layer verbatim
# (a bare comma, a space, a tab), the upperdir with a newline.
tn_overlay_escapes() {
	local d=$1
	grep -qw overlay /proc/filesystems || { tn_skip "no overlay filesystem"; return; }
	mkdir -p "$d/l,1" "$d/l 2" "$d/l"$'\t'3 "$d/u" "$d/u"$'\n'x "$d/w" "$d/w2" "$d/classic" "$d/fsconfig"
	mount -t overlay overlay -o "lowerdir=$d/l\\,1:$d/l 2,upperdir=$d/u,workdir=$d/w" "$d/classic"
	"$TNOS" fsmount overlay "$d/fsconfig" -o "lowerdir+=\"$d/l,1\",lowerdir+=\"$d/l 2\",lowerdir+=\"$d/l"$'\t'"3\",upperdir=\"$d/u"$'\n'"x\",workdir=$d/w2"
}

# tn_userns INNER OUTER COUNT: start a process in a new user namespace whose
# uid and gid maps are "INNER OUTER COUNT" (written by us, root, so no
# newuidmap is needed).  Sets TN_USERNS_PID; kill it when done.
tn_userns() {
	unshare -U sleep 600 &
	TN_USERNS_PID=$!
	local me i
	me=$(readlink /proc/self/ns/user)
	for i in $(seq 100); do
		[ "$(readlink /proc/$TN_USERNS_PID/ns/user 2>/dev/null)" != "$me" ] &&
			[ -n "$(readlink /proc/$TN_USERNS_PID/ns/user 2>/dev/null)" ] && break
		sleep 0.05
	done
	echo "$1 $2 $3" > /proc/$TN_USERNS_PID/uid_map
	echo deny > /proc/$TN_USERNS_PID/setgroups
	echo "$1 $2 $3" > /proc/$TN_USERNS_PID/gid_map
	export TN_USERNS_PID
}

# tn_nosys NAMES CMD...: run CMD with the named syscalls failing with ENOSYS
# (a seccomp filter, as on an older kernel).
tn_nosys() {
	local bin=${BATS_RUN_TMPDIR:-/tmp}/nosys
	[ -x "$bin" ] || cc -O2 -o "$bin" "$TNOS_TESTS/lib/nosys.c" || return 1
	"$bin" "$@"
}

# unique_mnt_id PATH: the kernel's unique mount id for PATH (statx
# STATX_MNT_ID_UNIQUE through python3 ctypes: an oracle tnos did not compute)
unique_mnt_id() {
	python3 - "$1" <<'PY'
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
buf = ctypes.create_string_buffer(256)
r = libc.syscall(NR["statx"], -100, sys.argv[1].encode(), 0, 0x4000, buf)
assert r == 0, os.strerror(ctypes.get_errno())
assert struct.unpack_from("I", buf.raw, 0)[0] & 0x4000, "no STATX_MNT_ID_UNIQUE"
print(struct.unpack_from("Q", buf.raw, 0x90)[0])
PY
}

# The kernel's words for an empty path (ENOENT: no AT_EMPTY_PATH), through
# python3's os.stat(""), the oracle for tnos's "'': ..." refusals.
empty_path_err() {
	python3 -c '
import errno, os
try: os.stat("")
except OSError as e:
    assert e.errno == errno.ENOENT, e
    print(e.strerror)
else: raise SystemExit("os.stat of an empty path worked")'
}
