/* optsplit.c - the mount option list splitter (see optsplit.h). */
#include "optsplit.h"
#include "../util.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

int tn_optsplit(const char *list, tn_optsplit_fn fn, void *ctx, const char **why)
{
	struct sbuf item = { 0 };
	const char *p = list;
	int r = 0;

	*why = NULL;
	for (;;) {
		bool q = false;
		item.len = 0;
		sb_add(&item, "", 0);
		for (; *p && (q || *p != ','); p++) {
			if (*p == '"') {
				q = !q;
				continue;
			}
			sb_addc(&item, *p);
		}
		if (q) {
			*why = "unbalanced double quote";
			r = -EINVAL;
			break;
		}
		if (item.len == 0 || item.p[0] == '=') {
			*why = "empty option name";
			r = -EINVAL;
			break;
		}
		char *eq = strchr(item.p, '=');
		if (eq)
			r = fn(ctx, item.p, eq - item.p, eq + 1);
		else
			r = fn(ctx, item.p, item.len, NULL);
		if (r < 0 || !*p)
			break;
		p++;
	}
	sb_free(&item);
	return r < 0 ? r : 0;
}
