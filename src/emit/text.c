/* text.c - rows for people one at a time: key: value records and
 * KEY="value" shell pairs; and the time and mode texts of the cells. */
#define _GNU_SOURCE
#include "state.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void tn_iso8601(char *buf, size_t len, int64_t sec, uint32_t nsec)
{
	struct tm tm;
	time_t t = (time_t)sec;
	char z[8];

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, len, "%lld.%09u", (long long)sec, nsec);
		return;
	}
	size_t k = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);	/* +hhmm -> +hh:mm */
	snprintf(buf + k, len - k, ".%09u%.3s:%.2s", nsec, z, z + 3);
}

void tn_time_text(char *buf, size_t len, enum out_time_style style, int64_t sec, uint32_t nsec)
{
	struct tm tm;
	time_t t = (time_t)sec;

	if (style == OUT_TIME_ISO8601) {
		tn_iso8601(buf, len, sec, nsec);
		return;
	}
	if (style == OUT_TIME_EPOCH || !localtime_r(&t, &tm)) {
		/* -1.5 s is sec -2, nsec 500000000: written as stat(1) writes it */
		if (sec < 0 && nsec)
			snprintf(buf, len, "-%lld.%09u", -(long long)(sec + 1), 1000000000u - nsec);
		else
			snprintf(buf, len, "%lld.%09u", (long long)sec, nsec);
		return;
	}
	if (style == OUT_TIME_ISO) {
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
		return;
	}
	size_t k = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	char z[8];
	strftime(z, sizeof(z), "%z", &tm);
	snprintf(buf + k, len - k, ".%09u %s", nsec, z);
}

void tn_mode_string(unsigned mode, char out[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";
	out[0] = types[(mode >> 12) & 15];
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		out[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = (mode & S_IXOTH) ? 't' : 'T';
	out[10] = 0;
}

static void pairs_key(const char *hdr)
{
	char buf[64];
	size_t i;
	for (i = 0; i < sizeof(buf) - 1 && hdr[i]; i++) {
		char c = hdr[i];
		buf[i] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	st_put(buf, i);
}

/* Pairs values are already escaped (no control or non-UTF-8 bytes); inside
 * double quotes the shell still expands $ ` \ and ", so escape those. */
static void pairs_value(const char *s)
{
	st_put("\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '$' || *s == '`' || *s == '\\')
			st_put("\\", 1);
		st_put(s, 1);
	}
	st_put("\"", 1);
}

void st_write_pairs(struct out_state *s)
{
	bool first = true;
	for (int k = 0; k < s->nsel; k++) {
		if (!first)
			st_put(" ", 1);
		first = false;
		pairs_key(s->cols[s->sel[k]].hdr);
		st_put("=", 1);
		pairs_value(s->cell[k] ? s->cell[k] : "");
	}
	st_put("\n", 1);
}

void st_line_heading(struct out_state *s, struct sbuf *sb)
{
	for (int k = 0; k < s->nsel; k++) {
		if (k)
			sb_addc(sb, ' ');
		sb_adds(sb, s->cols[s->sel[k]].hdr);
	}
	sb_addc(sb, '\n');
}

/* The cells are escaped with spaces (hset) or raw for nul. */
void st_line(struct out_state *s, struct sbuf *sb)
{
	for (int k = 0; k < s->nsel; k++) {
		const char *c = s->cell[k];
		if (s->nul) {
			if (c)
				sb_adds(sb, c);
			sb_addc(sb, 0);
			continue;
		}
		if (k)
			sb_addc(sb, ' ');
		sb_adds(sb, c && *c ? c : "-");
	}
	if (!s->nul)
		sb_addc(sb, '\n');
}

void st_write_record(struct out_state *s)
{
	size_t lw = 0;
	for (int k = 0; k < s->nsel; k++)
		if (s->cell[k] && strlen(s->cols[s->sel[k]].hdr) > lw)
			lw = strlen(s->cols[s->sel[k]].hdr);
	if (s->nemitted)
		st_put("\n", 1);
	for (int k = 0; k < s->nsel; k++) {
		if (!s->cell[k])
			continue;	/* absent: the kernel did not return it */
		const char *h = s->cols[s->sel[k]].hdr;
		if (s->opt.noheadings) {
			st_puts(s->cell[k]);
			st_put("\n", 1);
			continue;
		}
		st_puts(h);
		st_put(":", 1);
		if (*s->cell[k]) {	/* an empty value leaves no trailing blanks */
			for (size_t i = strlen(h); i <= lw; i++)
				st_put(" ", 1);
			st_puts(s->cell[k]);
		}
		st_put("\n", 1);
	}
}
