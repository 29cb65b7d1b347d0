/* statxrec.h - the file record: one column table and one describer shared by
 * statx, openat2, fhandle open and walk.  JSON keys are the stx_* names of
 * truenas_os.StatxResult; walk's entry keys are those of its FilesystemIterator. */
#ifndef TNOS_STATXREC_H
#define TNOS_STATXREC_H

#include "../core/uapi.h"
#include "../out/emit.h"

enum {
	/* context of the record (filled by the command, not by statx) */
	SC_PATH, SC_PARENT, SC_NAME, SC_ISDIR, SC_ISREG, SC_ISLNK, SC_ISMOUNT,
	/* statx */
	SC_TYPE, SC_MODE, SC_NLINK, SC_UID, SC_GID, SC_INO, SC_SIZE, SC_BLOCKS,
	SC_BLKSIZE, SC_ATIME, SC_BTIME, SC_CTIME, SC_MTIME, SC_DEV, SC_RDEV,
	SC_MNT_ID, SC_ATTR, SC_ATTR_MASK, SC_DIO_MEM_ALIGN, SC_DIO_OFFSET_ALIGN,
	SC_DIO_READ_ALIGN, SC_SUBVOL, SC_AWU_MIN, SC_AWU_MAX, SC_AWU_MAX_OPT,
	SC_AW_SEGMENTS_MAX, SC_MASK,
};

extern const struct tn_col tn_file_cols[];

/* All statx fields, in column order (for defcols). */
#define TN_STATX_COLS "TYPE,MODE,NLINK,UID,GID,INO,SIZE,BLOCKS,BLKSIZE,ATIME,BTIME," \
	"CTIME,MTIME,DEV,RDEV,MNT-ID,ATTR,ATTR-MASK,DIO-MEM-ALIGN,DIO-OFFSET-ALIGN," \
	"DIO-READ-ALIGN,SUBVOL,AWU-MIN,AWU-MAX,AWU-MAX-OPT,AW-SEGMENTS-MAX,MASK"

/* Every statx mask bit this build knows. */
#define TN_STATX_ALL 0x3ffffU

/* Emit the statx fields of st: a field whose mask bit did not come back is
 * left out (never shown as 0). */
void statxrec_emit(struct out *o, const struct tn_statx *st);

#endif
