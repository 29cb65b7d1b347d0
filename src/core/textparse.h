/* textparse.h - parsers of user text shared by several commands.  Pure:
 * no syscall, no printing, no exit. */
#ifndef TNOS_TEXTPARSE_H
#define TNOS_TEXTPARSE_H

#include <stddef.h>
#include <stdint.h>

/* The value of one hex digit (either case), or -1. */
int tn_hexval(int c);
/* n bytes as 2n lowercase hex digits into dst, then a NUL (2n + 1 bytes). */
void tn_hex_encode(char *dst, const void *src, size_t n);

/* An extended attribute's value as setfattr(1) -v takes it: "0x" (or
 * "0X") and hex digits, two a byte; "0s" (or "0S") and base64 (the
 * standard alphabet, '=' padding optional); text between double quotes,
 * where a backslash and one to three octal digits is that byte and a
 * backslash and any other byte that byte (getfattr -e text's form);
 * anything else is the text itself.  0 with *out malloc'd (never NULL) and *len its length; on error
 * -EINVAL (or -ENOMEM) with a sentence naming the problem in why. */
int tn_xattr_value_parse(const char *s, char **out, size_t *len, char *why, size_t whylen);

/* A point in time as seconds since the epoch: decimal epoch seconds (an
 * optional sign), or ISO 8601 YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)FRAC]]]
 * followed by Z, +HH[:]MM, -HH[:]MM or nothing (local time).  A fraction
 * is accepted and dropped (whole seconds).  0, or -1 when s is neither. */
int tn_parse_time(const char *s, int64_t *out);

#endif
