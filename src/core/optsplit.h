/* optsplit.h - split a mount option list ("-o a,b=c,d=\"x,y\"") into
 * key[=value] items.  Pure: no syscall, no printing, no exit. */
#ifndef TNOS_OPTSPLIT_H
#define TNOS_OPTSPLIT_H

#include <stddef.h>

/* Called once per item, in order: key is not NUL-terminated (klen bytes,
 * never 0), val is NUL-terminated or NULL for a bare key (a flag).  Both
 * point into a buffer that lives only during the call.  A negative return
 * stops the split and is returned. */
typedef int (*tn_optsplit_fn)(void *ctx, const char *key, size_t klen, const char *val);

/* Split on commas outside double quotes; the quotes are removed, and the
 * first '=' of an item ends its key.  Returns 0; or -EINVAL with *why set
 * to "unbalanced double quote" or "empty option name" (an empty item, or
 * one that starts with '='), after fn has seen the items before it; or
 * -ENOMEM with *why "out of memory"; or the negative value fn returned. */
int tn_optsplit(const char *list, tn_optsplit_fn fn, void *ctx, const char **why);

#endif
