/* buf — a growable byte buffer, the one string builder of liang.
 *
 * Modelled on cmark's strbuf: the bytes are always NUL-terminated, and
 * liang_buf_detach() hands them over to the caller, who frees them. */
#ifndef LIANG_BUF_H
#define LIANG_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct liang_buf {
	char *ptr;    /* NUL-terminated; NULL until the first append */
	size_t len;   /* bytes in use, without the NUL */
	size_t cap;   /* bytes allocated */
} liang_buf;

#define LIANG_BUF_INIT {NULL, 0, 0}

/* Make room for n more bytes. Aborts on out of memory (see util.h). */
void liang_buf_grow(liang_buf *b, size_t n);
void liang_buf_put(liang_buf *b, const void *data, size_t len);
void liang_buf_puts(liang_buf *b, const char *s);
void liang_buf_putc(liang_buf *b, int c);
void liang_buf_printf(liang_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void liang_buf_vprintf(liang_buf *b, const char *fmt, va_list ap);

/* fmt with its arguments into dst (cap bytes; NUL-terminated when cap is
 * not 0), without stdio, when every conversion is one of %s %.*s %c %d
 * %i %u %ld %li %lu %lld %lli %llu %zu %% (no flags or widths): returns
 * the length of the whole result, which may exceed cap - 1; -1 when fmt
 * has another conversion, having read no argument. Pages are built by
 * the hundred thousand from such formats, where vsnprintf was a tenth of
 * the time. */
int liang_fmt(char *dst, size_t cap, const char *fmt, va_list ap);
/* The decimal digits of v, after a '-' when neg, into dst (room for 21
 * bytes; not terminated): returns how many bytes. */
size_t liang_digits(char *dst, unsigned long long v, bool neg);
/* The text so far; "" for an empty buffer, never NULL. */
const char *liang_buf_cstr(const liang_buf *b);
void liang_buf_clear(liang_buf *b);
/* Hand the bytes to the caller (free() them); the buffer is empty again. */
char *liang_buf_detach(liang_buf *b);
void liang_buf_free(liang_buf *b);

#endif
