/* statxrec.c - the file record shared by statx, openat2, fhandle and walk. */
#define _GNU_SOURCE
#include "statxrec.h"

#define SX(x) TN_STATX_##x
const struct tn_col tn_file_cols[] = {
	[SC_PATH] = { "PATH", "path", T_STR, 0, "the path as given (walk: as find prints it)", NULL, 0 },
	[SC_PARENT] = { "PARENT", "parent", T_STR, 0, "path of the parent directory", NULL, 0 },
	[SC_NAME] = { "NAME", "name", T_STR, 0, "entry name", NULL, 0 },
	[SC_ISDIR] = { "ISDIR", "isdir", T_BOOL, 0, "a directory", NULL, 0 },
	[SC_ISREG] = { "ISREG", "isreg", T_BOOL, 0, "a regular file", NULL, 0 },
	[SC_ISLNK] = { "ISLNK", "islnk", T_BOOL, 0, "a symbolic link", NULL, 0 },
	[SC_ISMOUNT] = { "ISMOUNT", "ismount", T_BOOL, 0, "a child mount point (not descended)", NULL, 0 },
	[SC_TYPE] = { "TYPE", "type", T_ENUM, 0, "file type by name (from stx_mode)", tn_file_type_names, SX(TYPE) },
	[SC_MODE] = { "MODE", "stx_mode", T_MODE, 0, "type and permission bits", NULL, SX(TYPE) | SX(MODE) },
	[SC_NLINK] = { "NLINK", "stx_nlink", T_U64, TN_RIGHT, "hard links", NULL, SX(NLINK) },
	[SC_UID] = { "UID", "stx_uid", T_U64, TN_RIGHT, "owner", NULL, SX(UID) },
	[SC_GID] = { "GID", "stx_gid", T_U64, TN_RIGHT, "group", NULL, SX(GID) },
	[SC_INO] = { "INO", "stx_ino", T_U64, TN_RIGHT, "inode number", NULL, SX(INO) },
	[SC_SIZE] = { "SIZE", "stx_size", T_U64, TN_RIGHT, "size in bytes", NULL, SX(SIZE) },
	[SC_BLOCKS] = { "BLOCKS", "stx_blocks", T_U64, TN_RIGHT, "512-byte blocks allocated", NULL, SX(BLOCKS) },
	[SC_BLKSIZE] = { "BLKSIZE", "stx_blksize", T_U64, TN_RIGHT, "preferred I/O size", NULL, 0 },
	[SC_ATIME] = { "ATIME", "stx_atime", T_TIME, 0, "last access", NULL, SX(ATIME) },
	[SC_BTIME] = { "BTIME", "stx_btime", T_TIME, 0, "creation (birth)", NULL, SX(BTIME) },
	[SC_CTIME] = { "CTIME", "stx_ctime", T_TIME, 0, "last status change", NULL, SX(CTIME) },
	[SC_MTIME] = { "MTIME", "stx_mtime", T_TIME, 0, "last modification", NULL, SX(MTIME) },
	[SC_DEV] = { "DEV", "stx_dev", T_DEV, TN_RIGHT, "device holding the file (JSON: stx_dev_major, stx_dev_minor)", NULL, 0 },
	[SC_RDEV] = { "RDEV", "stx_rdev", T_DEV, TN_RIGHT, "device number of a device file (JSON: stx_rdev_major, stx_rdev_minor)", NULL, 0 },
	[SC_MNT_ID] = { "MNT-ID", "stx_mnt_id", T_U64, TN_RIGHT, "mount id (unique when MASK has mnt-id-unique)", NULL, SX(MNT_ID_UNIQUE) },
	[SC_ATTR] = { "ATTR", "stx_attributes", T_FLAGS, 0, "file attributes", tn_statx_attr_names, 0 },
	[SC_ATTR_MASK] = { "ATTR-MASK", "stx_attributes_mask", T_FLAGS, 0, "attributes the filesystem supports", tn_statx_attr_names, 0 },
	[SC_DIO_MEM_ALIGN] = { "DIO-MEM-ALIGN", "stx_dio_mem_align", T_U64, TN_RIGHT, "direct I/O memory alignment", NULL, SX(DIOALIGN) },
	[SC_DIO_OFFSET_ALIGN] = { "DIO-OFFSET-ALIGN", "stx_dio_offset_align", T_U64, TN_RIGHT, "direct I/O offset alignment", NULL, SX(DIOALIGN) },
	[SC_DIO_READ_ALIGN] = { "DIO-READ-ALIGN", "stx_dio_read_offset_align", T_U64, TN_RIGHT, "direct I/O read offset alignment", NULL, SX(DIO_READ_ALIGN) },
	[SC_SUBVOL] = { "SUBVOL", "stx_subvol", T_U64, TN_RIGHT, "subvolume id", NULL, SX(SUBVOL) },
	[SC_AWU_MIN] = { "AWU-MIN", "stx_atomic_write_unit_min", T_U64, TN_RIGHT, "smallest atomic write", NULL, SX(WRITE_ATOMIC) },
	[SC_AWU_MAX] = { "AWU-MAX", "stx_atomic_write_unit_max", T_U64, TN_RIGHT, "largest atomic write", NULL, SX(WRITE_ATOMIC) },
	[SC_AWU_MAX_OPT] = { "AWU-MAX-OPT", "stx_atomic_write_unit_max_opt", T_U64, TN_RIGHT, "largest fast atomic write", NULL, SX(WRITE_ATOMIC) },
	[SC_AW_SEGMENTS_MAX] = { "AW-SEGMENTS-MAX", "stx_atomic_write_segments_max", T_U64, TN_RIGHT, "most segments in an atomic write", NULL, SX(WRITE_ATOMIC) },
	[SC_MASK] = { "MASK", "stx_mask", T_FLAGS, 0, "fields the kernel returned", tn_statx_mask_names, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

void statxrec_emit(struct out *o, const struct tn_statx *st)
{
	uint32_t m = st->stx_mask;

	if (m & SX(TYPE))
		out_flags(o, SC_TYPE, st->stx_mode & S_IFMT);
	if (m & (SX(TYPE) | SX(MODE)))
		out_flags(o, SC_MODE, st->stx_mode);
	if (m & SX(NLINK))
		out_u64(o, SC_NLINK, st->stx_nlink);
	if (m & SX(UID))
		out_u64(o, SC_UID, st->stx_uid);
	if (m & SX(GID))
		out_u64(o, SC_GID, st->stx_gid);
	if (m & SX(INO))
		out_u64(o, SC_INO, st->stx_ino);
	if (m & SX(SIZE))
		out_u64(o, SC_SIZE, st->stx_size);
	if (m & SX(BLOCKS))
		out_u64(o, SC_BLOCKS, st->stx_blocks);
	out_u64(o, SC_BLKSIZE, st->stx_blksize);	/* unconditional */
	if (m & SX(ATIME))
		out_time(o, SC_ATIME, st->stx_atime.tv_sec, st->stx_atime.tv_nsec);
	if (m & SX(BTIME))
		out_time(o, SC_BTIME, st->stx_btime.tv_sec, st->stx_btime.tv_nsec);
	if (m & SX(CTIME))
		out_time(o, SC_CTIME, st->stx_ctime.tv_sec, st->stx_ctime.tv_nsec);
	if (m & SX(MTIME))
		out_time(o, SC_MTIME, st->stx_mtime.tv_sec, st->stx_mtime.tv_nsec);
	out_dev(o, SC_DEV, st->stx_dev_major, st->stx_dev_minor);	/* unconditional */
	if ((m & SX(TYPE)) && (S_ISCHR(st->stx_mode) || S_ISBLK(st->stx_mode)))
		out_dev(o, SC_RDEV, st->stx_rdev_major, st->stx_rdev_minor);
	if (m & (SX(MNT_ID) | SX(MNT_ID_UNIQUE)))
		out_u64(o, SC_MNT_ID, st->stx_mnt_id);
	out_flags(o, SC_ATTR, st->stx_attributes);	/* unconditional */
	out_flags(o, SC_ATTR_MASK, st->stx_attributes_mask);
	if (m & SX(DIOALIGN)) {
		out_u64(o, SC_DIO_MEM_ALIGN, st->stx_dio_mem_align);
		out_u64(o, SC_DIO_OFFSET_ALIGN, st->stx_dio_offset_align);
	}
	if (m & SX(DIO_READ_ALIGN))
		out_u64(o, SC_DIO_READ_ALIGN, st->stx_dio_read_offset_align);
	if (m & SX(SUBVOL))
		out_u64(o, SC_SUBVOL, st->stx_subvol);
	if (m & SX(WRITE_ATOMIC)) {
		out_u64(o, SC_AWU_MIN, st->stx_atomic_write_unit_min);
		out_u64(o, SC_AWU_MAX, st->stx_atomic_write_unit_max);
		out_u64(o, SC_AWU_MAX_OPT, st->stx_atomic_write_unit_max_opt);
		out_u64(o, SC_AW_SEGMENTS_MAX, st->stx_atomic_write_segments_max);
	}
	out_flags(o, SC_MASK, st->stx_mask);
}
