/* buf — a growable byte buffer. */
#include "buf.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void liang_buf_grow_slow(liang_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->ptr = liang_xrealloc(b->ptr, cap);
	b->cap = cap;
}

/* ------------------------------------------------------ quick format */

/* The length of the conversion at fmt (just after its '%') when it is
 * one liang_fmt knows, else 0. */
static size_t S_conv(const char *f)
{
	switch (f[0]) {
	case '%':
	case 's':
	case 'c':
	case 'd':
	case 'i':
	case 'u':
		return 1;
	case '.':
		if (f[1] == '*' && f[2] == 's')
			return 3;
		return f[1] >= '0' && f[1] <= '9' && f[2] == 'f' ? 3 : 0;
	case 'z':
		return f[1] == 'u' ? 2 : 0;
	case 'l':
		if (f[1] == 'd' || f[1] == 'i' || f[1] == 'u')
			return 2;
		return f[1] == 'l' && (f[2] == 'd' || f[2] == 'i' || f[2] == 'u') ? 3 : 0;
	default:
		return 0;
	}
}

static size_t S_put(char *dst, size_t cap, size_t at, const char *s, size_t n)
{
	if (at < cap)
		memcpy(dst + at, s, at + n <= cap ? n : cap - at);
	return at + n;
}

size_t liang_digits(char *dst, unsigned long long v, bool neg)
{
	/* two digits a division: most numbers on a page are a few digits */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char d[24];
	size_t n = 0;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		n += 2;
		memcpy(d + sizeof d - n, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		n += 2;
		memcpy(d + sizeof d - n, pairs + 2 * v, 2);
	} else {
		d[sizeof d - ++n] = (char)('0' + v);
	}
	if (neg)
		d[sizeof d - ++n] = '-';
	memcpy(dst, d + sizeof d - n, n);
	return n;
}

static size_t S_put_int(char *dst, size_t cap, size_t at, unsigned long long v, bool neg)
{
	char d[24];
	size_t n = liang_digits(d, v, neg);
	return S_put(dst, cap, at, d, n);
}

/* The largest magnitude S_fixed writes itself: beyond it (and for NaN
 * and the infinities) the formatter leaves the number to stdio. */
#define FIXED_MAX 1e15

/* x with prec (0–9) digits after the point, as printf's %.<prec>f writes
 * it: the exact binary value rounded to nearest, a tie to even, and a '-'
 * for any negative x, also one that rounds to 0 ("-0.0"). x is m·2^e
 * with m < 2^53: m·10^prec < 2^83 fits 128 bits, so the rounding is on
 * exact integers. Writes at most 27 bytes into d; returns how many. */
static size_t S_fixed(char *d, double x, int prec)
{
	static const uint32_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
	bool neg = signbit(x);
	int e;
	double fr = frexp(fabs(x), &e); /* |x| = fr·2^e, fr in [0.5, 1) or 0 */
	uint64_t m = (uint64_t)ldexp(fr, 53);
	int shift = 53 - e; /* |x| = m / 2^shift */
	unsigned __int128 n = (unsigned __int128)m * pow10[prec], q;
	if (shift <= 0) {
		q = n << -shift; /* |x| < 10^15 < 2^50: never more than 2^113 */
	} else if (shift >= 128) {
		q = 0; /* n < 2^83 is below half of 2^shift */
	} else {
		q = n >> shift;
		unsigned __int128 rem = n - (q << shift), half = (unsigned __int128)1 << (shift - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
	}
	uint64_t whole = (uint64_t)(q / pow10[prec]), frac = (uint64_t)(q % pow10[prec]);
	size_t len = liang_digits(d, whole, neg);
	if (prec) {
		d[len++] = '.';
		for (int i = prec - 1; i >= 0; i--, frac /= 10)
			d[len + (size_t)i] = (char)('0' + frac % 10);
		len += (size_t)prec;
	}
	return len;
}

int liang_fmt(char *dst, size_t cap, const char *fmt, va_list ap)
{
	size_t at = 0;
	for (const char *f = fmt; *f;) {
		const char *pc = strchr(f, '%');
		size_t lit = pc ? (size_t)(pc - f) : strlen(f);
		at = S_put(dst, cap, at, f, lit);
		if (!pc)
			break;
		const char *c = pc + 1;
		size_t conv = S_conv(c);
		if (!conv)
			return -1; /* another conversion: the caller's vsnprintf */
		f = c + conv;
		long long sv;
		unsigned long long uv;
		switch (f[-1]) {
		case '%':
			at = S_put(dst, cap, at, "%", 1);
			break;
		case 'f': {
			double x = va_arg(ap, double);
			if (!isfinite(x) || fabs(x) >= FIXED_MAX)
				return -1; /* beyond S_fixed: as above */
			char d[32];
			size_t n = S_fixed(d, x, c[1] - '0');
			at = S_put(dst, cap, at, d, n);
			break;
		}
		case 's': {
			int prec = -1;
			if (c[0] == '.')
				prec = va_arg(ap, int);
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t n;
			if (prec >= 0) {
				const char *z = memchr(s, '\0', (size_t)prec);
				n = z ? (size_t)(z - s) : (size_t)prec;
			} else {
				n = strlen(s);
			}
			at = S_put(dst, cap, at, s, n);
			break;
		}
		case 'c': {
			char ch = (char)va_arg(ap, int);
			at = S_put(dst, cap, at, &ch, 1);
			break;
		}
		case 'd':
		case 'i':
			sv = c[0] != 'l' ? va_arg(ap, int) : c[1] != 'l' ? va_arg(ap, long) : va_arg(ap, long long);
			at = S_put_int(dst, cap, at, sv < 0 ? 0 - (unsigned long long)sv : (unsigned long long)sv, sv < 0);
			break;
		default: /* u */
			uv = c[0] == 'z' ? va_arg(ap, size_t)
			     : c[0] != 'l' ? va_arg(ap, unsigned)
			     : c[1] != 'l' ? va_arg(ap, unsigned long)
					   : va_arg(ap, unsigned long long);
			at = S_put_int(dst, cap, at, uv, false);
		}
	}
	if (cap)
		dst[at < cap ? at : cap - 1] = '\0';
	return at > (size_t)0x7fffffff ? -1 : (int)at;
}

void liang_buf_vprintf(liang_buf *b, const char *fmt, va_list ap)
{
	/* the common formats without stdio, straight into the free space
	 * (again, larger, when it was too small): room for most of them
	 * first, so that an empty buffer (liang_xasprintf) or a nearly full
	 * one is formatted once, not measured and then formatted */
	liang_buf_grow(b, 127);
	va_list ap1;
	va_copy(ap1, ap);
	size_t room = b->cap - b->len;
	int q = liang_fmt(b->ptr + b->len, room, fmt, ap1);
	va_end(ap1);
	if (q >= 0) {
		if ((size_t)q + 1 > room) {
			liang_buf_grow(b, (size_t)q);
			va_copy(ap1, ap);
			liang_fmt(b->ptr + b->len, (size_t)q + 1, fmt, ap1);
			va_end(ap1);
		}
		b->len += (size_t)q;
		return;
	}
	b->ptr[b->len] = '\0'; /* liang_fmt may have written past it */
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	liang_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void liang_buf_printf(liang_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *liang_buf_cstr(const liang_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void liang_buf_clear(liang_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *liang_buf_detach(liang_buf *b)
{
	char *p = b->ptr ? b->ptr : liang_xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void liang_buf_free(liang_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
