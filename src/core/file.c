/* file.c - openat2 with a resolve set, statx, file handles and their text
 * form (see file.h). */
#define _GNU_SOURCE
#include "file.h"
#include "textparse.h"
#include "mount.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tn_openat2(int dfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = flags | O_CLOEXEC;
	how.mode = mode;
	how.resolve = resolve;
	/* With beneath/in-root the kernel answers EAGAIN when a rename or mount
	 * changed the tree while it resolved "..": it could not prove the path
	 * stayed inside, and openat2(2) says to try again.  (With cached, EAGAIN
	 * means "not in the dentry cache" and a retry would not help.) */
	int fd, tries = 0;
	do
		fd = sys_openat2(dfd, path, &how, sizeof(how));
	while (fd == -EAGAIN && (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) &&
	       !(resolve & RESOLVE_CACHED) && ++tries < TN_OPENAT2_TRIES);
	return fd;
}

int tn_statx(int dfd, const char *path, int atflags, unsigned mask, struct tn_statx *st)
{
	memset(st, 0, sizeof(*st));
	return sys_statx(dfd, path, atflags, mask, st);
}

int tn_rename(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return sys_renameat2(from_dfd, from, to_dfd, to, flags);
}

int tn_fd_path(int fd, char **out, size_t *len)
{
	char link[64];
	size_t cap = 256;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	for (;;) {
		char *buf = malloc(cap);
		if (!buf)
			return -ENOMEM;
		ssize_t n = readlink(link, buf, cap);
		if (n < 0) {
			int e = errno;
			free(buf);
			return -e;
		}
		if ((size_t)n < cap) {
			buf[n] = 0;
			*out = buf;
			*len = (size_t)n;
			return 0;
		}
		free(buf);
		if (cap > (1U << 20))
			return -ENAMETOOLONG;
		cap *= 4;
	}
}

/* The mount point of a unique id (statmount) or an old one (mountinfo),
 * into mp: 0, or -ENOENT when there is no such mount, or -errno. */
static int mount_point_of(uint64_t id, char *mp, size_t mplen)
{
	if (id < TN_MNT_UNIQUE_ID_MIN) {
		uint64_t unique;
		int r = tn_old_mnt_id((uint32_t)id, &unique, mp, mplen);
		if (!*mp)	/* not in the mount table, or mountinfo unreadable */
			return r < 0 ? r : -ENOENT;
		return strlen(mp) + 1 < mplen ? 0 : -ENAMETOOLONG;	/* maybe cut */
	}
	struct tn_smbuf b = { 0 };
	int r = tn_statmount(&b, id, 0, STATMOUNT_MNT_POINT);
	if (r == 0) {
		const char *p = tn_sm_str(b.sm, STATMOUNT_MNT_POINT, b.sm->mnt_point);
		if (!p)
			r = -ENOENT;
		else if ((size_t)snprintf(mp, mplen, "%s", p) >= mplen)
			r = -ENAMETOOLONG;	/* never opened cut short */
	}
	tn_smbuf_free(&b);
	return r;
}

int tn_open_mount(uint64_t id, int oflags, char *mp, size_t mplen)
{
	char buf[4096];

	if (!mp) {
		mp = buf;
		mplen = sizeof(buf);
	}
	*mp = 0;
	int r = mount_point_of(id, mp, mplen);
	if (r < 0)
		return r;
	int fd = open(mp, (oflags ? oflags : O_PATH | O_DIRECTORY) | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)	/* the mount point is no longer a directory we can reach */
		return errno == ENOENT || errno == ELOOP || errno == ENOTDIR ? -EXDEV : -errno;
	/* the fd must be that mount, not one mounted over it since */
	unsigned mask = id < TN_MNT_UNIQUE_ID_MIN ? TN_STATX_MNT_ID : TN_STATX_MNT_ID_UNIQUE;
	struct tn_statx st;
	r = tn_statx(fd, "", AT_EMPTY_PATH, mask, &st);
	if (r == 0 && !(st.stx_mask & mask))
		r = -ENOSYS;
	if (r < 0 || st.stx_mnt_id != id) {
		close(fd);
		return r < 0 ? r : -EXDEV;
	}
	return fd;
}

void tn_fhandle_free(struct tn_fhandle *h)
{
	free(h->fh);
	h->fh = NULL;
}

static int n2h(int dfd, const char *path, int flags, struct tn_fhandle *h)
{
	unsigned cap = 0;

	for (int tries = 0; tries < 8; tries++) {
		struct file_handle *fh = calloc(1, sizeof(*fh) + cap);
		if (!fh)
			return -ENOMEM;
		fh->handle_bytes = cap;
		uint64_t mid64 = 0;
		int mid = 0;
		int r = (flags & AT_HANDLE_MNT_ID_UNIQUE)
			? (int)syscall(SYS_name_to_handle_at, dfd, path, fh, &mid64, flags)
			: (int)syscall(SYS_name_to_handle_at, dfd, path, fh, &mid, flags);
		if (r < 0 && errno == EOVERFLOW && fh->handle_bytes > cap) {
			/* the kernel says how much it needs */
			cap = fh->handle_bytes;
			free(fh);
			continue;
		}
		if (r < 0) {
			int e = errno;
			free(fh);
			return -e;
		}
		h->fh = fh;
		h->unique = (flags & AT_HANDLE_MNT_ID_UNIQUE) != 0;
		h->mnt_id = h->unique ? mid64 : (uint64_t)(uint32_t)mid;
		return 0;
	}
	return -EOVERFLOW;
}

int tn_name_to_handle(int dfd, const char *path, int flags, struct tn_fhandle *h)
{
	memset(h, 0, sizeof(*h));
	int r = n2h(dfd, path, flags | AT_HANDLE_MNT_ID_UNIQUE, h);
	if (r == -EINVAL) {
		/* before 6.12 the flag is unknown; anything else wrong gives
		 * EINVAL again below */
		r = n2h(dfd, path, flags & ~AT_HANDLE_MNT_ID_UNIQUE, h);
	}
	return r;
}

char *tn_fhandle_format(const struct tn_fhandle *h)
{
	size_t n = sizeof(*h->fh) + h->fh->handle_bytes;
	char *s = malloc(24 + 2 * n);
	if (!s)
		return NULL;
	int k = snprintf(s, 24, "%llu:", (unsigned long long)h->mnt_id);
	tn_hex_encode(s + k, h->fh, n);
	return s;
}

int tn_fhandle_parse(const char *text, struct tn_fhandle *h, char *why, size_t whylen)
{
	const char *colon = strchr(text, ':');
	uint64_t id = 0;

	memset(h, 0, sizeof(*h));
	if (!colon) {
		snprintf(why, whylen, "no ':' between the mount id and the hex (the form is MOUNT_ID:HEX)");
		return -EINVAL;
	}
	if (colon == text) {
		snprintf(why, whylen, "the mount id before ':' is empty");
		return -EINVAL;
	}
	for (const char *p = text; p < colon; p++) {
		if (*p < '0' || *p > '9') {
			snprintf(why, whylen, "the mount id before ':' is not a decimal number");
			return -EINVAL;
		}
		if (id > (UINT64_MAX - 9) / 10) {
			snprintf(why, whylen, "the mount id is too large");
			return -EINVAL;
		}
		id = id * 10 + (uint64_t)(*p - '0');
	}
	const char *hx = colon + 1;
	size_t n = strlen(hx);
	for (size_t i = 0; i < n; i++)
		if (tn_hexval(hx[i]) < 0) {
			snprintf(why, whylen, "the handle is not hexadecimal");
			return -EINVAL;
		}
	if (n % 2) {
		snprintf(why, whylen, "the hex has an odd number of digits");
		return -EINVAL;
	}
	n /= 2;
	if (n < sizeof(struct file_handle)) {
		snprintf(why, whylen, "the handle is shorter than its 8-byte header (handle_bytes, handle_type)");
		return -EINVAL;
	}
	if (n > sizeof(struct file_handle) + MAX_HANDLE_SZ) {
		snprintf(why, whylen, "%zu bytes is more than the 8-byte header and MAX_HANDLE_SZ (%d)",
			 n, MAX_HANDLE_SZ);
		return -EINVAL;
	}
	unsigned char *b = calloc(1, n);
	if (!b) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(tn_hexval(hx[2 * i]) << 4 | tn_hexval(hx[2 * i + 1]));
	struct file_handle *fh = (struct file_handle *)b;
	if (fh->handle_bytes > MAX_HANDLE_SZ) {
		snprintf(why, whylen, "handle_bytes %u is larger than MAX_HANDLE_SZ (%d)",
			 fh->handle_bytes, MAX_HANDLE_SZ);
		free(b);
		return -EINVAL;
	}
	if (fh->handle_bytes != n - sizeof(struct file_handle)) {
		snprintf(why, whylen, "handle_bytes says %u but %zu bytes follow the 8-byte header",
			 fh->handle_bytes, n - sizeof(struct file_handle));
		free(b);
		return -EINVAL;
	}
	if (fh->handle_bytes == 0) {
		snprintf(why, whylen, "handle_bytes is 0 (an empty handle)");
		free(b);
		return -EINVAL;
	}
	h->fh = fh;
	h->mnt_id = id;
	h->unique = id >= TN_MNT_UNIQUE_ID_MIN;
	return 0;
}

int tn_open_by_handle(int mount_fd, const struct tn_fhandle *h, int flags)
{
	int fd = (int)syscall(SYS_open_by_handle_at, mount_fd, h->fh, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
