#!/usr/bin/env bats
# tnos statmount: every field of one mount, by unique id or path.
load helpers

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall statmount
	mkdir -p "$TT/m" "$TT/sub/dir"
	mount -t tmpfs -o size=2m,nr_inodes=1000,mode=0700 smtest "$TT/m"
}

teardown_file() { tn_teardown_tmpfs; }

@test "by path: the mount holding it, as findmnt --target says" {
	run -0 "$TNOS" statmount -J "$TT/sub/dir"
	want=$(findmnt -n -o TARGET --target "$TT/sub/dir")
	[ "$(echo "$output" | jq -r .mnt_point)" = "$want" ]
	run -0 "$TNOS" statmount -J "$TT/m"
	echo "$output" | jq -e '.fs_type == "tmpfs" and .sb_source == "smtest"'
	# mnt_opts is findmnt's FS-OPTIONS (rw or ro first, as truenas_os has it)
	[ "$(echo "$output" | jq -r .mnt_opts)" = "$(findmnt -n -o FS-OPTIONS "$TT/m")" ]
	[ "rw,$(echo "$output" | jq -r '.opt_array | join(",")')" = "$(echo "$output" | jq -r .mnt_opts)" ]
	[ "$(echo "$output" | jq -r .sb_magic)" = "$(printf '%d' 0x$(stat -f -c %t "$TT/m"))" ]
	[ "$(echo "$output" | jq -r '"\(.sb_dev_major):\(.sb_dev_minor)"')" = "$(mi_field "$TT/m" 3)" ]
	[ "$(echo "$output" | jq -r .mnt_id_old)" = "$(mi_field "$TT/m" 1)" ]
	# the unique id is what the kernel reports for the path
	[ "$(echo "$output" | jq -r .mnt_id)" = "$(unique_mnt_id "$TT/m")" ]
}

@test "by unique id: the same record as by path; several give a named array" {
	id=$("$TNOS" statmount -J "$TT/m" | jq .mnt_id)
	diff <("$TNOS" statmount -J "$TT/m") <("$TNOS" statmount -J "$id")
	run -0 "$TNOS" statmount -J "$TT/m" / "$id"
	echo "$output" | jq -e '.mounts | length == 3'
	echo "$output" | jq -e --argjson id "$id" '.mounts[0].mnt_id == $id and .mounts[1].mnt_point == "/"'
}

@test "JSON keys are the truenas_os field names" {
	run -0 "$TNOS" statmount -J "$TT/m"
	for k in mnt_id mnt_parent_id mnt_id_old mnt_parent_id_old mnt_root mnt_point mnt_attr \
		mnt_propagation mnt_peer_group mnt_master propagate_from fs_type mnt_ns_id mnt_opts \
		sb_dev_major sb_dev_minor sb_magic sb_flags sb_source opt_array supported_mask mask; do
		echo "$output" | jq -e --arg k "$k" 'has($k)' >/dev/null || { echo "missing $k"; false; }
	done
	# kernel's reply mask, by name
	echo "$output" | jq -e '.mask | index("sb-basic") and index("mnt-point")'
}

@test "--mask asks for only those fields; what did not come back is absent" {
	run -0 "$TNOS" statmount -J --mask mnt-point,fs-type "$TT/m"
	[ "$(echo "$output" | jq -c 'keys')" = '["fs_type","mask","mnt_point"]' ]
	echo "$output" | jq -e '.mask == ["mnt-point","fs-type"]'
	# no uid map on a plain mount: the key is absent, not empty
	run -0 "$TNOS" statmount -J --mask mnt-uidmap,mnt-basic "$TT/m"
	echo "$output" | jq -e 'has("mnt_uidmap") | not'
	run -0 "$TNOS" statmount --mask all "$TT/m"
	[[ $output == *"TARGET:"*"$TT/m"* ]]
	run -2 --separate-stderr "$TNOS" statmount --mask nonsense "$TT/m"
	[[ $stderr == *"unknown name 'nonsense'"* ]]
}

@test "--mask with a bit the kernel does not know: exit 3, named, nothing printed (a newer kernel ignores it silently)" {
	for m in 0x10000000000 mnt-point,0x10000000000; do
		run -3 --separate-stderr "$TNOS" statmount -J --mask "$m" "$TT/m"
		[ -z "$output" ]
		[ "$stderr" = "tnos statmount: statmount: --mask: this kernel does not know the bit(s) 0x10000000000" ] || { echo "$stderr"; false; }
	done
}

@test "-P: every key on the line, a field the kernel did not return empty (as findmnt -P)" {
	[[ $(mi_field "$TT/m" 6) != *idmapped* ]]
	run -0 --separate-stderr "$TNOS" statmount -P -o TARGET,UIDMAP,FSTYPE "$TT/m"
	unset TARGET UIDMAP FSTYPE
	eval "$output"
	[ "$TARGET" = "$TT/m" ]
	[ "${UIDMAP+set}" = set ]
	[ -z "$UIDMAP" ]
	[ "$FSTYPE" = "$(findmnt -no FSTYPE --mountpoint "$TT/m")" ]
}

@test "an old mountinfo id is recognised and explained" {
	old=$(mi_field "$TT/m" 1)
	run -1 --separate-stderr "$TNOS" statmount "$old"
	uniq=$("$TNOS" statmount -J "$TT/m" | jq .mnt_id)
	[[ $stderr == *"old mount id"*"$TT/m"*"$uniq"* ]]
}

@test "an unknown unique id: named, exit 1; a bad path: exit 1" {
	run -1 --separate-stderr "$TNOS" statmount 4294967295123
	[ "$stderr" = "tnos statmount: 4294967295123: no such mount" ]
	run -1 --separate-stderr "$TNOS" statmount "$TT/nope"
	[[ $stderr == *"$TT/nope: No such file or directory" ]]
	run -2 --separate-stderr "$TNOS" statmount
	[[ $stderr == *"give an ID or a PATH"* ]]
}

@test "people get key: value lines; -P gives eval-able pairs" {
	run -0 "$TNOS" statmount "$TT/m"
	[[ $output == *"FSTYPE:"*tmpfs* ]]
	eval "$("$TNOS" statmount -P -o TARGET,FSTYPE,MAJ:MIN "$TT/m")"
	[ "$TARGET" = "$TT/m" ]
	[ "$FSTYPE" = tmpfs ]
	[ "$MAJ_MIN" = "$(mi_field "$TT/m" 3)" ]
}

@test "an idmapped mount shows its uid and gid maps" {
	command -v unshare >/dev/null
	mkdir -p "$TT/idm"
	tn_userns 0 1000 100
	pid=$TN_USERNS_PID
	# mount(8) of util-linux 2.38 cannot idmap; use python3 + the syscalls
	python3 - "$TT/m" "$TT/idm" "$pid" <<'PY'
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
src, dst, pid = sys.argv[1], sys.argv[2], sys.argv[3]
fd = libc.syscall(NR["open_tree"], -100, src.encode(), 1 | 0o2000000)            # open_tree CLONE|CLOEXEC
assert fd >= 0, os.strerror(ctypes.get_errno())
ns = os.open(f"/proc/{pid}/ns/user", os.O_RDONLY)
attr = struct.pack("QQQQ", 0x00100000, 0, 0, ns)                  # MOUNT_ATTR_IDMAP
r = libc.syscall(NR["mount_setattr"], fd, b"", 0x1000, attr, len(attr))           # mount_setattr AT_EMPTY_PATH
assert r == 0, os.strerror(ctypes.get_errno())
r = libc.syscall(NR["move_mount"], fd, b"", -100, dst.encode(), 4)             # move_mount F_EMPTY_PATH
assert r == 0, os.strerror(ctypes.get_errno())
PY
	run -0 "$TNOS" statmount -J "$TT/idm"
	echo "$output" | jq -e '.mnt_attr | index("idmapped")'
	[ "$(echo "$output" | jq -r '.mnt_uidmap | join(";")')" = "$(awk '{print $1, $2, $3}' /proc/$pid/uid_map | tr -s ' ' | paste -sd';')" ]
	[ "$(echo "$output" | jq -r '.mnt_gidmap | length')" = 1 ]
	kill "$pid"
	umount "$TT/idm"
}

@test "an empty ID|PATH or --ns is refused by name with the kernel's ENOENT; the others still go" {
	want=$(empty_path_err)
	run -1 --separate-stderr "$TNOS" statmount ''
	[ "$output" = "" ]
	[ "$stderr" = "tnos statmount: '': $want" ]
	run -1 --separate-stderr "$TNOS" statmount -J -o TARGET '' "$TT/m"
	[ "$stderr" = "tnos statmount: '': $want" ]
	[ "$(echo "$output" | jq -r '.mounts[].mnt_point')" = "$(findmnt -no TARGET "$TT/m")" ]
	run -1 --separate-stderr "$TNOS" statmount --ns '' "$TT/m"
	[ "$stderr" = "tnos statmount: --ns '': $want" ]
}

@test "2^31 and its free neighbours all say 'no such mount' (the kernel: EINVAL for 2^31, ENOENT beside it), the id said once" {
	# the kernel's answers, through python: statmount of 2^31 is EINVAL, and
	# the first free ids above it are ENOENT
	run -0 python3 - <<'PY'
import ctypes, errno, struct
libc = ctypes.CDLL(None, use_errno=True)
from sysnr import NR
libc.syscall.argtypes = [ctypes.c_long, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
def sm(i):
    buf = ctypes.create_string_buffer(4096)
    r = libc.syscall(NR["statmount"], struct.pack("IIQQ", 24, 0, i, 2), buf, 4096, 0)  # STATMOUNT_MNT_BASIC
    return 0 if r == 0 else ctypes.get_errno()
assert sm(2**31) == errno.EINVAL, sm(2**31)
free = [i for i in range(2**31 + 1, 2**31 + 200) if sm(i) == errno.ENOENT][:2]
assert len(free) == 2
print(*free)
PY
	read -r f1 f2 <<<"$output"
	for id in 2147483648 "$f1" "$f2"; do
		run -1 --separate-stderr "$TNOS" statmount "$id"
		[ "$output" = "" ]
		[ "$stderr" = "tnos statmount: $id: no such mount" ] || { echo "$id: $stderr"; return 1; }
		run -1 --separate-stderr "$TNOS" statx --mount-id "$id" --empty-path
		[ "$stderr" = "tnos statx: --mount-id $id: no such mount in this mount namespace" ]
	done
	# a label that is not the decimal id keeps it
	run -1 --separate-stderr "$TNOS" statmount 0x80000000
	[ "$stderr" = "tnos statmount: 0x80000000: no such mount (id 2147483648)" ]
}

@test "a filesystem without options: FS-OPTIONS and OPTIONS as findmnt's (the kernel leaves its empty mnt_opts out)" {
	mkdir -p "$TT/noopt"
	mount -t tmpfs -o noatime noopt "$TT/noopt"
	fso=$(findmnt -n -o FS-OPTIONS "$TT/noopt")
	[ "$fso" = rw ]
	run -0 --separate-stderr "$TNOS" statmount -J "$TT/noopt"
	jq -e '.mask | index("mnt-opts") | not' <<<"$output"
	[ "$(jq -r .mnt_opts <<<"$output")" = "$fso" ]
	[ "$(jq -r .options <<<"$output")" = "$(findmnt -n -o OPTIONS "$TT/noopt")" ]
	# asked by --mask: the same; not asked: absent, not a bare "rw"
	run -0 --separate-stderr "$TNOS" statmount -J -m sb-basic,mnt-opts "$TT/noopt"
	[ "$(jq -r .mnt_opts <<<"$output")" = "$fso" ]
	run -0 --separate-stderr "$TNOS" statmount -J -m sb-basic "$TT/noopt"
	jq -e 'has("mnt_opts") | not' <<<"$output"
	umount "$TT/noopt"
}
