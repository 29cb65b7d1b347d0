/* file_record.c - the file record shared by statx, openat2, fhandle and walk. */
#define _GNU_SOURCE
#include "file_record.h"

#define SX(x) TN_STATX_##x
const struct tn_col tn_file_cols[] = {
	TN_FILE_COLS_INIT
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
