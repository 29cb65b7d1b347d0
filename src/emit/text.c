/* text.c - rows for people one at a time: key: value records and
 * KEY="value" shell pairs; and the time and mode texts of the cells. */
#define _GNU_SOURCE
#include "state.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The part of a time's text that depends on its second alone: the local
 * date and time, and the zone after the nanoseconds.  Worked out with
 * localtime_r and strftime once per second and style, and kept: a walk's
 * rows mostly carry a few seconds, often one instant for all four times.
 * Per thread, as the walk's jobs write their rows in parallel. */
struct tsec {
	int64_t sec;
	int style;			/* -1: empty */
	uint8_t dlen, zlen;
	char date[40], zone[12];	/* "2026-05-20T16:27:29", "+00:00" */
};
static __thread struct tsec tsec_cache[4] = { { .style = -1 }, { .style = -1 },
					      { .style = -1 }, { .style = -1 } };

/* The zone as strftime's %z gives it (+hhmm), and with ':' (+hh:mm). */
static size_t zone_text(char *z, long off, bool colon)
{
	char *p = z;
	unsigned long a = off < 0 ? (unsigned long)-off : (unsigned long)off;
	unsigned h = (unsigned)(a / 3600 % 100), m = (unsigned)(a / 60 % 60);
	*p++ = off < 0 ? '-' : '+';
	memcpy(p, tn_digit_pairs + h * 2, 2);
	p += 2;
	if (colon)
		*p++ = ':';
	memcpy(p, tn_digit_pairs + m * 2, 2);
	return (size_t)(p + 2 - z);
}

static const struct tsec *tsec_of(int64_t sec, enum out_time_style style)
{
	struct tsec *c = &tsec_cache[(uint64_t)sec & 3];
	if (c->style == (int)style && c->sec == sec)
		return c;
	struct tm tm;
	time_t t = (time_t)sec;
	if ((int64_t)t != sec || !localtime_r(&t, &tm))
		return NULL;
	static const char *const fmt[] = { [OUT_TIME_ISO8601] = "%Y-%m-%dT%H:%M:%S",
		[OUT_TIME_FULL_ISO] = "%Y-%m-%d %H:%M:%S", [OUT_TIME_ISO] = "%Y-%m-%d %H:%M" };
	size_t n = strftime(c->date, sizeof(c->date), fmt[style], &tm);
	if (!n)
		return NULL;
	c->dlen = (uint8_t)n;
	c->zlen = 0;
	if (style == OUT_TIME_ISO8601)
		c->zlen = (uint8_t)zone_text(c->zone, tm.tm_gmtoff, true);
	else if (style == OUT_TIME_FULL_ISO) {
		c->zone[0] = ' ';
		c->zlen = (uint8_t)(1 + zone_text(c->zone + 1, tm.tm_gmtoff, false));
	}
	c->sec = sec;
	c->style = (int)style;
	return c;
}

/* ".NNNNNNNNN" at p; returns its end. */
static char *put_nsec(char *p, uint32_t nsec)
{
	if (nsec > 999999999u)
		nsec = 999999999u;
	unsigned r = nsec % 100000000u;
	p[0] = '.';
	p[1] = (char)('0' + nsec / 100000000u);
	memcpy(p + 2, tn_digit_pairs + r / 1000000u * 2, 2);
	memcpy(p + 4, tn_digit_pairs + r / 10000u % 100u * 2, 2);
	memcpy(p + 6, tn_digit_pairs + r / 100u % 100u * 2, 2);
	memcpy(p + 8, tn_digit_pairs + r % 100u * 2, 2);
	return p + 10;
}

size_t tn_time_text(char *buf, enum out_time_style style, int64_t sec, uint32_t nsec)
{
	const struct tsec *c = style == OUT_TIME_EPOCH ? NULL : tsec_of(sec, style);
	char *p = buf;

	if (!c) {
		/* epoch seconds, as stat -c %.9Y writes them: -1.5 s is
		 * sec -2, nsec 500000000, written -1.500000000 */
		bool neg = sec < 0;
		uint64_t a = neg ? 0 - (uint64_t)(sec + (nsec ? 1 : 0)) : (uint64_t)sec;
		if (neg && nsec)
			nsec = 1000000000u - nsec;
		p = put_nsec(tn_put_num(p, neg, a), nsec);
		*p = 0;
		return (size_t)(p - buf);
	}
	memcpy(p, c->date, c->dlen);
	p += c->dlen;
	if (style != OUT_TIME_ISO)
		p = put_nsec(p, nsec);
	memcpy(p, c->zone, c->zlen);
	p += c->zlen;
	*p = 0;
	return (size_t)(p - buf);
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

/* Names a shell sets, keeps read-only or runs commands by: a pairs line
 * that assigned them would break the script that evals it (PATH, bash's
 * read-only UID), so their keys get a trailing underscore. */
static const char *const shell_names[] = {
	"BASHPID", "CDPATH", "ENV", "EUID", "GROUPS", "HOME", "IFS", "LANG",
	"OLDPWD", "OPTARG", "OPTIND", "PATH", "PPID", "PS1", "PS2", "PS4",
	"PWD", "SHELL", "SHELLOPTS", "TERM", "TMPDIR", "UID", "USER",
};

static void pairs_key(const char *hdr)
{
	char buf[64];
	size_t i;
	for (i = 0; i < sizeof(buf) - 2 && hdr[i]; i++) {
		char c = hdr[i];
		buf[i] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	buf[i] = 0;
	for (size_t k = 0; k < sizeof(shell_names) / sizeof(shell_names[0]); k++)
		if (!strcmp(buf, shell_names[k])) {
			buf[i++] = '_';
			break;
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
		pairs_value(st_cell(s, k) ? st_cell(s, k) : "");
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
		const char *c = st_cell(s, k);
		if (s->nul) {
			/* the cell and its NUL */
			sb_add(sb, c ? c : "", c ? s->clen[k] + 1 : 1);
			continue;
		}
		if (k)
			sb_addc(sb, ' ');
		if (c && s->clen[k])
			sb_add(sb, c, s->clen[k]);
		else
			sb_addc(sb, '-');
	}
	if (!s->nul)
		sb_addc(sb, '\n');
}

void st_write_record(struct out_state *s)
{
	size_t lw = 0;
	for (int k = 0; k < s->nsel; k++)
		if (st_cell(s, k) && strlen(s->cols[s->sel[k]].hdr) > lw)
			lw = strlen(s->cols[s->sel[k]].hdr);
	if (s->nemitted)
		st_put("\n", 1);
	for (int k = 0; k < s->nsel; k++) {
		const char *c = st_cell(s, k);
		if (!c)
			continue;	/* absent: the kernel did not return it */
		const char *h = s->cols[s->sel[k]].hdr;
		if (s->opt.noheadings) {
			st_puts(c);
			st_put("\n", 1);
			continue;
		}
		st_puts(h);
		st_put(":", 1);
		if (*c) {	/* an empty value leaves no trailing blanks */
			for (size_t i = strlen(h); i <= lw; i++)
				st_put(" ", 1);
			st_puts(c);
		}
		st_put("\n", 1);
	}
}
