/* bytes.h - pure byte codecs shared by every layer: UTF-8 validation and
 * base64 (RFC 4648, padded).  No allocation, no output. */
#ifndef TNOS_CORE_BYTES_H
#define TNOS_CORE_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Length of the valid UTF-8 sequence at s (1..4, *cp its code point), or 0
 * if the bytes there are not one (overlong forms and surrogates are not). */
size_t tn_utf8_seq(const unsigned char *s, size_t n, unsigned *cp);
bool tn_utf8_valid(const char *s, size_t n);

/* Base64 of n bytes is TN_B64_LEN(n) characters. */
#define TN_B64_LEN(n) (((n) + 2) / 3 * 4)
/* Writes TN_B64_LEN(n) characters to dst (no NUL). */
void tn_b64_encode(char *dst, const unsigned char *s, size_t n);
/* Decodes n characters of padded base64 into dst (room for n / 4 * 3
 * bytes): the byte count, or -1 when s is not base64. */
ssize_t tn_b64_decode(unsigned char *dst, const char *s, size_t n);

#endif
