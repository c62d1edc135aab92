/* text — input encodings and UTF-8.
 *
 * Everything liang reads is turned into UTF-8 here, once: UTF-8 with or
 * without a BOM, UTF-16 with a BOM (Excel's "Unicode text") and GB18030/GBK
 * (what Chinese Excel writes by default, including the single byte 0x80
 * that Windows code page 936 uses for the euro sign). */
#ifndef LIANG_TEXT_H
#define LIANG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	LIANG_ENC_UTF8,
	LIANG_ENC_UTF8_BOM,
	LIANG_ENC_UTF16LE,
	LIANG_ENC_UTF16BE,
	LIANG_ENC_GB18030,
} liang_encoding;

const char *liang_encoding_name(liang_encoding e);

typedef struct liang_decode_error {
	size_t offset;     /* byte offset in the input of the first bad byte */
	long line, col;    /* where that is, 1-based (col in characters) */
	char message[256]; /* Chinese, ends without a period */
} liang_decode_error;

/* Decode a file's bytes to UTF-8 without a BOM. When only_utf8 is set
 * (Markdown is always UTF-8) no other encoding is tried. Returns a
 * NUL-terminated string the caller frees and sets *out_len and *enc; on
 * failure returns NULL and fills *err. NUL characters are refused: no
 * spreadsheet writes them and they would cut strings short later. */
char *liang_text_decode(const char *data, size_t len, bool only_utf8,
			liang_encoding *enc, size_t *out_len,
			liang_decode_error *err);

/* The same for a buffer the caller gives up: DATA holds LEN bytes and a
 * NUL after them, from the heap. UTF-8 (the usual case) is returned in
 * DATA itself, without its BOM, so that a large file is not copied; any
 * other encoding gives a new string and DATA is freed. Either way the
 * caller frees only what is returned. */
char *liang_text_decode_own(char *data, size_t len, bool only_utf8,
			    liang_encoding *enc, size_t *out_len,
			    liang_decode_error *err);

/* Length of the valid UTF-8 prefix of s[0..len). */
size_t liang_utf8_valid_prefix(const char *s, size_t len);
/* Number of code points (s must be valid UTF-8). */
size_t liang_utf8_count(const char *s, size_t len);
/* Decode one code point at *p (valid UTF-8 assumed), advancing *p. */
uint32_t liang_utf8_next(const char **p);
/* Append code point cp as UTF-8 to out (4 bytes room); returns bytes. */
size_t liang_utf8_put(char *out, uint32_t cp);

/* Trim ASCII white space, U+00A0 and U+3000 (the full-width space that
 * Chinese input methods type) from both ends, in place on (*s, *len). */
void liang_trim(const char **s, size_t *len);

#endif
