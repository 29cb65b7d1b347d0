/* fuzz_optsplit.c - libFuzzer: the fsmount -o option list splitter.
 * Invariants: no crash; an accepted list gives one item per comma outside
 * double quotes plus one, every key non-empty, without '=' or '"', and every
 * byte of the input accounted for (item bytes + '=' + split commas + quotes);
 * the items, written back each quoted ("key"="value"), split to the same
 * items; a refused list gives one of the two documented reasons. */
#include "../../src/core/optsplit.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct items {
	char **key, **val;	/* val[i] NULL for a flag */
	size_t n;
};

static int add(void *ctx, const char *key, size_t klen, const char *val)
{
	struct items *it = ctx;
	if (!klen || memchr(key, '=', klen) || memchr(key, '"', klen) || (val && strchr(val, '"')))
		abort();
	it->key = realloc(it->key, (it->n + 1) * sizeof(char *));
	it->val = realloc(it->val, (it->n + 1) * sizeof(char *));
	it->key[it->n] = strndup(key, klen);
	it->val[it->n] = val ? strdup(val) : NULL;
	it->n++;
	return 0;
}

static void items_free(struct items *it)
{
	for (size_t i = 0; i < it->n; i++) {
		free(it->key[i]);
		free(it->val[i]);
	}
	free(it->key);
	free(it->val);
}

/* a callback that stops the split at the Nth item */
static int stop_at(void *ctx, const char *key, size_t klen, const char *val)
{
	(void)key, (void)klen, (void)val;
	return --*(size_t *)ctx == 0 ? -ECANCELED : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	size_t len = strlen(s);
	struct items it = { 0 };
	const char *why;
	int r = tn_optsplit(s, add, &it, &why);
	if (r < 0) {
		if (r != -EINVAL || !why ||
		    (strcmp(why, "unbalanced double quote") && strcmp(why, "empty option name")))
			abort();
		items_free(&it);
		free(s);
		return 0;
	}
	size_t commas = 0, quotes = 0, bytes = 0;
	int q = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			quotes++;
			q = !q;
		} else if (s[i] == ',' && !q) {
			commas++;
		}
	}
	if (q || it.n != commas + 1)
		abort();
	for (size_t i = 0; i < it.n; i++)
		bytes += strlen(it.key[i]) + (it.val[i] ? 1 + strlen(it.val[i]) : 0);
	if (bytes + commas + quotes != len)
		abort();
	/* write back quoted, split again: the same items */
	size_t cap = 4 * len + 16, o = 0;
	char *back = malloc(cap);
	for (size_t i = 0; i < it.n; i++) {
		o += (size_t)sprintf(back + o, "%s\"%s\"", i ? "," : "", it.key[i]);
		if (it.val[i])
			o += (size_t)sprintf(back + o, "=\"%s\"", it.val[i]);
	}
	struct items again = { 0 };
	if (tn_optsplit(back, add, &again, &why) != 0 || again.n != it.n)
		abort();
	for (size_t i = 0; i < it.n; i++) {
		if (strcmp(it.key[i], again.key[i]) || !it.val[i] != !again.val[i] ||
		    (it.val[i] && strcmp(it.val[i], again.val[i])))
			abort();
	}
	/* a callback's error stops the split at once and comes back */
	size_t n = it.n;
	if (tn_optsplit(s, stop_at, &n, &why) != -ECANCELED || n != 0)
		abort();
	items_free(&again);
	items_free(&it);
	free(back);
	free(s);
	return 0;
}
