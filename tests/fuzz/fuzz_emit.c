/* fuzz_emit.c - libFuzzer: arbitrary bytes as a string through the emitter.
 * Invariants, with jansson's parser as the oracle: the JSON writer's text
 * (pretty, as -J writes it, and compact) parses, and the _b64 twin (or the
 * string itself) gives back the exact bytes; an --ndjson row is one line
 * that parses, with the same bytes back and the other values intact; the
 * escaped text for people has no control byte, no C1 control and is valid
 * UTF-8. */
#include "../../src/emit/emit.h"
#include "../../src/emit/jsonw.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

static size_t unb64(const char *s, unsigned char *out)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;
	for (; *s && *s != '='; s++) {
		int v = b64val(*s);
		if (v < 0)
			abort();
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (acc >> bits) & 0xff;
		}
	}
	return n;
}

/* The string's bytes back from a parsed object holding "s" (and "s_b64"
 * when they are not UTF-8); aborts when they differ. */
static void check_back(json_t *r, const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	json_t *js = json_object_get(r, "s"), *j64 = json_object_get(r, "s_b64");
	if (!json_is_string(js) || !!j64 != !tn_utf8_valid(s, size))
		abort();
	if (!j64 && (json_string_length(js) != size || memcmp(json_string_value(js), s, size)))
		abort();
	if (j64) {
		unsigned char *dec = malloc(size + 4);
		if (!json_is_string(j64) || unb64(json_string_value(j64), dec) != size ||
		    memcmp(dec, data, size))
			abort();
		free(dec);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	json_error_t e;

	/* the writer: valid JSON either way, lossless with the twin */
	for (int pretty = 0; pretty < 2; pretty++) {
		struct sbuf b = { 0 };
		struct jsonw w;
		jw_init(&w, &b, pretty, pretty);
		jw_obj_open(&w);
		jw_bytes_field(&w, "s", s, size);
		jw_key(&w, "a");
		jw_arr_open(&w);
		jw_bytes(&w, s, size);
		jw_arr_close(&w);
		jw_key(&w, "e");
		jw_arr_open(&w);
		jw_arr_close(&w);
		jw_obj_close(&w);
		json_t *r = json_loadb(b.p, b.len, JSON_ALLOW_NUL, &e);
		if (!r || !json_is_object(r) || json_array_size(json_object_get(r, "a")) != 1 ||
		    !json_is_array(json_object_get(r, "e")))
			abort();
		check_back(r, data, size);
		/* pretty or not, the text has no raw control byte */
		for (size_t i = 0; i < b.len; i++)
			if ((unsigned char)b.p[i] == 0x7f || ((unsigned char)b.p[i] < 0x20 && b.p[i] != '\n'))
				abort();
		json_decref(r);
		sb_free(&b);
	}

	/* --ndjson rows: one line, parsed back by jansson */
	{
		static const struct tn_col cols[] = {
			{ "S", "s", T_STR, TN_DEFAULT, "", NULL, 0 },
			{ "N", "n", T_S64, TN_DEFAULT, "", NULL, 0 },
			{ "B", "b", T_BOOL, TN_DEFAULT, "", NULL, 0 },
			{ "T", "t", T_TIME, TN_DEFAULT, "", NULL, 0 },
			{ NULL, NULL, 0, 0, NULL, NULL, 0 } };
		struct out_opts oo = { .fmt = OUT_NDJSON };
		struct out o;
		struct sbuf line = { 0 };
		if (out_init(&o, &oo, cols, NULL, "x"))
			abort();
		int64_t n = size ? (int64_t)((uint64_t)data[0] << 56 | size) : -1;
		out_row_open_into(&o, &line);
		out_strn(&o, 0, s, size);
		out_s64(&o, 1, n);
		out_bool(&o, 2, size & 1);
		out_time(&o, 3, -n, (uint32_t)size);
		out_row_close_into(&o, &line);
		out_free(&o);
		if (!line.len || line.p[line.len - 1] != '\n' || memchr(line.p, '\n', line.len - 1))
			abort();
		json_t *r = json_loadb(line.p, line.len, JSON_ALLOW_NUL, &e);
		if (!r || !json_is_object(r))
			abort();
		check_back(r, data, size);
		if (json_integer_value(json_object_get(r, "n")) != n ||
		    json_is_true(json_object_get(r, "b")) != (bool)(size & 1) ||
		    json_integer_value(json_object_get(json_object_get(r, "t"), "sec")) != -n ||
		    json_integer_value(json_object_get(json_object_get(r, "t"), "nsec")) != (json_int_t)(uint32_t)size)
			abort();
		json_decref(r);
		sb_free(&line);
	}

	/* people: nothing a terminal would act on */
	for (int raw = 0; raw < 2; raw++) {
		struct sbuf b = { 0 };
		tn_escape(&b, s, size, raw);
		const unsigned char *p = (const unsigned char *)(b.p ? b.p : "");
		for (size_t i = 0; i < b.len; i++) {
			if (p[i] < 0x20 || p[i] == 0x7f)
				abort();
			if (raw && p[i] == ' ')
				abort();
			/* C1 controls are U+0080..U+009F: 0xc2 0x80..0x9f */
			if (p[i] == 0xc2 && i + 1 < b.len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
				abort();
		}
		if (!tn_utf8_valid(b.p ? b.p : "", b.len))
			abort();
		sb_free(&b);
	}
	return 0;
}
