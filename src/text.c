/* text — input encodings and UTF-8. */
#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>
#define LIANG_UTF8_SIMD 1
#endif

#include "buf.h"
#include "util.h"

const char *liang_encoding_name(liang_encoding e)
{
	switch (e) {
	case LIANG_ENC_UTF8: return "UTF-8";
	case LIANG_ENC_UTF8_BOM: return "UTF-8 (BOM)";
	case LIANG_ENC_UTF16LE: return "UTF-16LE";
	case LIANG_ENC_UTF16BE: return "UTF-16BE";
	case LIANG_ENC_GB18030: return "GB18030";
	}
	return "?";
}

/* ---------------------------------------------------------------- UTF-8 */

/* One character at a time: the exact end of the valid prefix. */
static size_t S_valid_scalar(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		/* ASCII eight bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* most Hanzi: three bytes led by E1–EC or EE–EF, which can be
		 * neither overlong nor a surrogate */
		if ((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) {
			if (c <= 0xEF) {
				if (i + 3 > len || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
					return i;
				i += 3;
				continue;
			}
		}
		size_t n;
		uint32_t min;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			min = 0x10000;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		uint32_t cp = c & (0x7F >> n);
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n;
	}
	return len;
}

#ifdef LIANG_UTF8_SIMD
/* UTF-8 checked 16 bytes at a time, with three table lookups per block
 * (the "lookup" algorithm of Keiser and Lemire, "Validating UTF-8 in less
 * than one instruction per byte", 2021): byte pairs that cannot follow
 * each other, from the high nibble of the first and both nibbles of the
 * second's predecessor, and third and fourth bytes where a lead byte two
 * or three back asks for them. Input is mostly Hanzi, where the loop of
 * S_valid_scalar took ten instructions a byte. Only whether a block is
 * valid comes out: from the first block that is not, S_valid_scalar finds
 * where the valid prefix ends, starting a block back (at a character's
 * first byte), since the sequence at fault may begin in the block before. */
#define TOO_SHORT (1 << 0)
#define TOO_LONG (1 << 1)
#define OVERLONG_3 (1 << 2)
#define TOO_LARGE (1 << 3)
#define SURROGATE (1 << 4)
#define OVERLONG_2 (1 << 5)
#define TOO_LARGE_1000 (1 << 6)
#define OVERLONG_4 (1 << 6)
#define TWO_CONTS (1 << 7)
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

__attribute__((target("ssse3"))) static __m128i S_errors(__m128i in, __m128i prev)
{
	const __m128i nib = _mm_set1_epi8(0x0F);
	const __m128i byte_1_high_t = _mm_setr_epi8(
		TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS,
		TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
		(char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
	const __m128i byte_1_low_t = _mm_setr_epi8(
		(char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2), (char)CARRY,
		(char)CARRY, (char)(CARRY | TOO_LARGE), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
		(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
		(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
		(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
		(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
		(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000));
	const __m128i byte_2_high_t = _mm_setr_epi8(
		TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
		(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
		(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
		(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
		(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE), TOO_SHORT, TOO_SHORT, TOO_SHORT,
		TOO_SHORT);
	__m128i prev1 = _mm_alignr_epi8(in, prev, 15), prev2 = _mm_alignr_epi8(in, prev, 14),
		prev3 = _mm_alignr_epi8(in, prev, 13);
	__m128i b1h = _mm_shuffle_epi8(byte_1_high_t, _mm_and_si128(_mm_srli_epi16(prev1, 4), nib));
	__m128i b1l = _mm_shuffle_epi8(byte_1_low_t, _mm_and_si128(prev1, nib));
	__m128i b2h = _mm_shuffle_epi8(byte_2_high_t, _mm_and_si128(_mm_srli_epi16(in, 4), nib));
	__m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
	/* a third byte (two after a lead of 111_____) or a fourth (three
	 * after 1111____) must be a continuation: bit 7 where one is due */
	__m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
	__m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
	__m128i due = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
	return _mm_xor_si128(due, special);
}

/* A lead byte among the last three of a block that its end cuts off:
 * non-zero then. */
__attribute__((target("ssse3"))) static __m128i S_incomplete(__m128i in)
{
	const __m128i max = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, (char)(0xF0 - 1),
					  (char)(0xE0 - 1), (char)(0xC0 - 1));
	return _mm_subs_epu8(in, max);
}

static inline bool S_any(__m128i v)
{
	return _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())) != 0xFFFF;
}

__attribute__((target("ssse3"))) static size_t S_valid_simd(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	__m128i prev = _mm_setzero_si128(), pending = _mm_setzero_si128();
	size_t i = 0;
	for (; i < len; i += 16) {
		__m128i in;
		if (i + 16 <= len) {
			in = _mm_loadu_si128((const __m128i *)(s + i));
		} else { /* the tail, after zeros: ASCII, which ends no sequence */
			unsigned char tail[16] = {0};
			memcpy(tail, s + i, len - i);
			in = _mm_loadu_si128((const __m128i *)tail);
		}
		__m128i err;
		if (!_mm_movemask_epi8(in)) {
			err = pending;
			pending = _mm_setzero_si128();
		} else {
			err = S_errors(in, prev);
			pending = S_incomplete(in);
		}
		prev = in;
		if (S_any(err))
			break;
	}
	if (i >= len && !S_any(pending))
		return len;
	/* the fault lies in block i, or starts at most three bytes before
	 * it: exactly, one character at a time from the block before */
	size_t from = i >= 16 ? i - 16 : 0;
	while (from > 0 && (s[from] & 0xC0) == 0x80)
		from--;
	return from + S_valid_scalar(str + from, len - from);
}
#undef TOO_SHORT
#undef TOO_LONG
#undef OVERLONG_3
#undef TOO_LARGE
#undef SURROGATE
#undef OVERLONG_2
#undef TOO_LARGE_1000
#undef OVERLONG_4
#undef TWO_CONTS
#undef CARRY
#endif

size_t liang_utf8_valid_prefix(const char *str, size_t len)
{
#ifdef LIANG_UTF8_SIMD
	static int simd = -1; /* the same answer from every thread */
	if (simd < 0)
		simd = __builtin_cpu_supports("ssse3");
	if (simd && len >= 16)
		return S_valid_simd(str, len);
#endif
	return S_valid_scalar(str, len);
}

size_t liang_utf8_count(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	/* eight bytes at a time: a continuation byte is 10xxxxxx, so its top
	 * bit is set and the next one is not */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		/* the continuation bytes' marks, one per byte at bit 7, summed
		 * by a multiply (popcount is a library call on baseline x86-64) */
		uint64_t marks = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
		n += 8 - (size_t)((marks * 0x0101010101010101ULL) >> 56);
	}
	for (; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

uint32_t liang_utf8_next(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;
	uint32_t cp;
	int n;
	if (p[0] < 0x80) {
		cp = p[0];
		n = 1;
	} else if (p[0] < 0xE0) {
		cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		n = 2;
	} else if (p[0] < 0xF0) {
		cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		     (p[2] & 0x3F);
		n = 3;
	} else {
		cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		n = 4;
	}
	*pp += n;
	return cp;
}

size_t liang_utf8_put(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

void liang_trim(const char **sp, size_t *lenp)
{
	const char *s = *sp;
	size_t len = *lenp;
	for (;;) {
		if (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
			s++;
			len--;
		} else if (len >= 2 && (unsigned char)s[0] == 0xC2 &&
			   (unsigned char)s[1] == 0xA0) {
			s += 2;
			len -= 2;
		} else if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
			s += 3;
			len -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
			    s[len - 1] == '\r' || s[len - 1] == '\n')) {
			len--;
		} else if (len >= 2 && (unsigned char)s[len - 2] == 0xC2 &&
			   (unsigned char)s[len - 1] == 0xA0) {
			len -= 2;
		} else if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0) {
			len -= 3;
		} else {
			break;
		}
	}
	*sp = s;
	*lenp = len;
}

/* ------------------------------------------------------------- errors */

/* Where byte offset `off` is: line by counting LF (a LF byte never occurs
 * inside a UTF-8 or GB18030 multi-byte sequence), column in characters of
 * the given encoding. */
static void S_locate(const unsigned char *s, size_t off, liang_encoding enc,
		     liang_decode_error *err)
{
	long line = 1;
	size_t bol = 0;
	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n') {
			line++;
			bol = i + 1;
		}
	long col = 1;
	size_t i = bol;
	while (i < off) {
		if (enc == LIANG_ENC_GB18030 && s[i] >= 0x81) {
			i += (i + 1 < off && s[i + 1] >= 0x30 && s[i + 1] <= 0x39) ? 4 : 2;
		} else if (enc != LIANG_ENC_GB18030) {
			i++;
			while (i < off && (s[i] & 0xC0) == 0x80)
				i++;
		} else {
			i++;
		}
		col++;
	}
	err->offset = off;
	err->line = line;
	err->col = col;
}

static char *S_fail(liang_decode_error *err, const unsigned char *s, size_t len,
		    size_t off, liang_encoding enc, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static char *S_fail(liang_decode_error *err, const unsigned char *s, size_t len,
		    size_t off, liang_encoding enc, const char *fmt, ...)
{
	(void)len;
	S_locate(s, off, enc, err);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return NULL;
}

/* -------------------------------------------------------------- UTF-16 */

static char *S_from_utf16(const unsigned char *s, size_t len, bool le,
			  size_t *out_len, liang_decode_error *err)
{
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_grow(&b, len * 3 / 2 + 4);
	liang_encoding enc = le ? LIANG_ENC_UTF16LE : LIANG_ENC_UTF16BE;
	size_t i = 2; /* after the BOM */
	while (i < len) {
		if (i + 1 >= len) {
			liang_buf_free(&b);
			return S_fail(err, s, len, i, enc,
				      "UTF-16 文件在第 %zu 字节处被截断（字节数为奇数）", i);
		}
		uint32_t u = le ? (uint32_t)(s[i] | (s[i + 1] << 8))
				: (uint32_t)((s[i] << 8) | s[i + 1]);
		size_t at = i;
		i += 2;
		if (u >= 0xD800 && u <= 0xDBFF) {
			uint32_t v = 0;
			if (i + 1 < len)
				v = le ? (uint32_t)(s[i] | (s[i + 1] << 8))
				       : (uint32_t)((s[i] << 8) | s[i + 1]);
			if (v < 0xDC00 || v > 0xDFFF) {
				liang_buf_free(&b);
				return S_fail(err, s, len, at, enc,
					      "第 %zu 字节处的 UTF-16 代理项不成对，文件已损坏", at);
			}
			i += 2;
			u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			liang_buf_free(&b);
			return S_fail(err, s, len, at, enc,
				      "第 %zu 字节处的 UTF-16 代理项不成对，文件已损坏", at);
		} else if (u == 0) {
			liang_buf_free(&b);
			return S_fail(err, s, len, at, enc,
				      "第 %zu 字节处有 NUL 字符，文件可能已损坏", at);
		}
		char tmp[4];
		size_t n = liang_utf8_put(tmp, u);
		liang_buf_put(&b, tmp, n);
	}
	*out_len = b.len;
	return liang_buf_detach(&b);
}

/* ------------------------------------------------------------- GB18030 */

/* glibc's GB18030 converter follows the standard, in which the single
 * byte 0x80 is undefined; Excel (code page 936) writes it for "€". We
 * convert chunk by chunk and put the euro sign in by hand. Returns NULL
 * and sets *bad to the offset of the first byte that cannot be decoded. */
static char *S_from_gb18030(const unsigned char *s, size_t len, size_t *out_len,
			    size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		*bad = 0;
		return NULL;
	}
	size_t cap = len * 3 / 2 + 16;
	char *out = liang_xmalloc(cap);
	char *in = (char *)s;
	size_t inleft = len;
	char *op = out;
	size_t outleft = cap - 1;
	while (inleft > 0) {
		size_t r = iconv(cd, &in, &inleft, &op, &outleft);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - out);
			cap *= 2;
			out = liang_xrealloc(out, cap);
			op = out + used;
			outleft = cap - used - 1;
		} else if (errno == EILSEQ && (unsigned char)*in == 0x80) {
			if (outleft < 4) {
				size_t used = (size_t)(op - out);
				cap *= 2;
				out = liang_xrealloc(out, cap);
				op = out + used;
				outleft = cap - used - 1;
			}
			memcpy(op, "\xE2\x82\xAC", 3);
			op += 3;
			outleft -= 3;
			in++;
			inleft--;
		} else {
			*bad = (size_t)((unsigned char *)in - s);
			iconv_close(cd);
			free(out);
			return NULL;
		}
	}
	iconv_close(cd);
	*op = '\0';
	*out_len = (size_t)(op - out);
	return out;
}

/* ---------------------------------------------------------------- main */

/* The decoder of both entry points below. UTF-8 (the usual case) is not
 * copied: it returns a pointer into DATA, past any BOM, and sets *as_is;
 * any other encoding gives a new string. */
static char *S_decode(const char *data, size_t len, bool only_utf8, liang_encoding *enc, size_t *out_len,
		      liang_decode_error *err, bool *as_is)
{
	const unsigned char *s = (const unsigned char *)data;
	*as_is = false;
	memset(err, 0, sizeof *err);

	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		bool le = s[0] == 0xFF;
		if (only_utf8)
			return S_fail(err, s, len, 0, LIANG_ENC_UTF8,
				      "文件是 UTF-16 编码，此类文件必须保存为 UTF-8");
		*enc = le ? LIANG_ENC_UTF16LE : LIANG_ENC_UTF16BE;
		return S_from_utf16(s, len, le, out_len, err);
	}

	bool bom = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
	size_t start = bom ? 3 : 0;
	size_t ok = start + liang_utf8_valid_prefix(data + start, len - start);
	const void *nul = memchr(data, 0, ok);
	if (nul)
		return S_fail(err, s, len, (size_t)((const char *)nul - data),
			      LIANG_ENC_UTF8, "第 %zu 字节处有 NUL 字符，文件可能已损坏",
			      (size_t)((const char *)nul - data));
	if (ok == len) {
		*enc = bom ? LIANG_ENC_UTF8_BOM : LIANG_ENC_UTF8;
		*out_len = len - start;
		*as_is = true;
		return (char *)data + start;
	}
	/* A BOM, or any multi-byte sequence that did decode before the bad
	 * byte, says the file means to be UTF-8: report it as such. */
	bool looks_utf8 = bom || only_utf8;
	for (size_t i = start; i < ok && !looks_utf8; i++)
		looks_utf8 = s[i] >= 0x80;
	if (looks_utf8)
		return S_fail(err, s, len, ok, LIANG_ENC_UTF8,
			      "第 %zu 字节（0x%02X）不是有效的 UTF-8 编码，文件可能已损坏或混用了编码",
			      ok, s[ok]);

	size_t bad = 0;
	char *out = S_from_gb18030(s, len, out_len, &bad);
	if (!out)
		return S_fail(err, s, len, bad, LIANG_ENC_GB18030,
			      "无法识别文件编码：第 %zu 字节（0x%02X）既不是有效的 UTF-8，也不是有效的 GB18030/GBK；"
			      "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
			      bad, bad < len ? s[bad] : 0);
	if (memchr(out, 0, *out_len)) {
		const void *z = memchr(data, 0, len);
		size_t at = z ? (size_t)((const char *)z - data) : 0;
		free(out);
		return S_fail(err, s, len, at, LIANG_ENC_GB18030,
			      "第 %zu 字节处有 NUL 字符，文件可能已损坏", at);
	}
	*enc = LIANG_ENC_GB18030;
	return out;
}

char *liang_text_decode(const char *data, size_t len, bool only_utf8,
			liang_encoding *enc, size_t *out_len,
			liang_decode_error *err)
{
	bool as_is;
	char *text = S_decode(data, len, only_utf8, enc, out_len, err, &as_is);
	return as_is ? liang_xstrndup(text, *out_len) : text;
}

char *liang_text_decode_own(char *data, size_t len, bool only_utf8,
			    liang_encoding *enc, size_t *out_len,
			    liang_decode_error *err)
{
	bool as_is;
	char *text = S_decode(data, len, only_utf8, enc, out_len, err, &as_is);
	if (as_is) {
		/* a BOM is dropped in place; the NUL after the text comes along */
		if (text != data)
			memmove(data, text, *out_len + 1);
		return data;
	}
	free(data);
	return text;
}
