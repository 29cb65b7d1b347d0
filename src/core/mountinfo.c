/* mountinfo.c - parse /proc/PID/mountinfo (proc_pid_mountinfo(5)). */
#define _GNU_SOURCE
#include "mountinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tn_mi_unescape(char *s)
{
	char *d = s;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = 0;
}

static char *field(char **p)
{
	char *s = *p, *e;
	if (!s)
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = 0;
		*p = e + 1;
	} else {
		*p = NULL;
	}
	return s;
}

int tn_mountinfo_each(const char *path, int (*fn)(const struct tn_mi *m, void *ctx), void *ctx)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		struct tn_mi m = { 0 };
		char *p = line;
		if (line[n - 1] == '\n')
			line[n - 1] = 0;
		if (sscanf(line, "%u %u %u:%u", &m.id, &m.parent, &m.major, &m.minor) != 4)
			continue;
		field(&p);
		field(&p);
		field(&p);
		m.root = field(&p);
		m.target = field(&p);
		m.vfsopts = field(&p);
		/* optional fields up to the lone "-" */
		if (!p)
			continue;
		if (!strncmp(p, "- ", 2)) {
			m.optional = "";
			p += 2;
		} else {
			char *sep = strstr(p, " - ");
			if (!sep)
				continue;
			*sep = 0;
			m.optional = p;
			p = sep + 3;
		}
		m.fstype = field(&p);
		m.source = field(&p);
		m.superopts = field(&p);
		if (!m.root || !m.target || !m.vfsopts || !m.fstype || !m.source || !m.superopts)
			continue;
		tn_mi_unescape(m.root);
		tn_mi_unescape(m.target);
		tn_mi_unescape(m.fstype);
		tn_mi_unescape(m.source);
		if ((r = fn(&m, ctx)))
			break;
	}
	free(line);
	fclose(f);
	return r;
}

int tn_fstypes_each(int (*fn)(const char *type, void *ctx), void *ctx)
{
	FILE *f = fopen("/proc/filesystems", "re");
	char line[256];
	int r = 0;

	if (!f)
		return -errno;
	while (!r && fgets(line, sizeof(line), f)) {
		/* "nodev\tproc" or "\text4" */
		char *t = strchr(line, '\t');
		if (!t)
			continue;
		t[strcspn(t, "\n")] = 0;
		r = fn(t + 1, ctx);
	}
	fclose(f);
	return r;
}
