/* optsplit.c - the mount option list splitter (see optsplit.h). */
#include "optsplit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int tn_optsplit(const char *list, tn_optsplit_fn fn, void *ctx, const char **why)
{
	/* an item is never longer than the list: one buffer serves them all */
	char *item = malloc(strlen(list) + 1);
	const char *p = list;
	int r = 0;

	*why = NULL;
	if (!item) {
		*why = "out of memory";
		return -ENOMEM;
	}
	for (;;) {
		bool q = false;
		size_t len = 0;
		for (; *p && (q || *p != ','); p++) {
			if (*p == '"') {
				q = !q;
				continue;
			}
			item[len++] = *p;
		}
		item[len] = 0;
		if (q) {
			*why = "unbalanced double quote";
			r = -EINVAL;
			break;
		}
		if (len == 0 || item[0] == '=') {
			*why = "empty option name";
			r = -EINVAL;
			break;
		}
		char *eq = strchr(item, '=');
		if (eq)
			r = fn(ctx, item, (size_t)(eq - item), eq + 1);
		else
			r = fn(ctx, item, len, NULL);
		if (r < 0 || !*p)
			break;
		p++;
	}
	free(item);
	return r < 0 ? r : 0;
}
