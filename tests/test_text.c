/* Tests for text.c: encodings and UTF-8. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "unit.h"

static char *decode(const char *bytes, size_t len, liang_encoding *enc, liang_decode_error *err)
{
	size_t out_len;
	return liang_text_decode(bytes, len, false, enc, &out_len, err);
}

static void utf8_plain_and_bom(void)
{
	liang_encoding enc;
	liang_decode_error err;
	char *s = decode("编号,名称\n", 14, &enc, &err);
	CHECK_STR(s, "编号,名称\n");
	CHECK(enc == LIANG_ENC_UTF8);
	free(s);
	s = decode("\xEF\xBB\xBF" "a,b", 6, &enc, &err);
	CHECK_STR(s, "a,b");
	CHECK(enc == LIANG_ENC_UTF8_BOM);
	free(s);
}

/* liang_text_decode_own of a heap copy of bytes; *in_place tells whether
 * the result is that copy */
static char *decode_own(const char *bytes, size_t len, bool only_utf8, bool *in_place, liang_encoding *enc,
			size_t *n, liang_decode_error *err)
{
	char *in = malloc(len + 1);
	memcpy(in, bytes, len);
	in[len] = '\0';
	char *s = liang_text_decode_own(in, len, only_utf8, enc, n, err);
	*in_place = s == in;
	return s;
}

/* A buffer given up is decoded in place when it is UTF-8, else replaced;
 * either way only the result is freed (the sanitizers see a leak or a
 * double free otherwise). */
static void decode_own_in_place(void)
{
	liang_encoding enc;
	liang_decode_error err;
	size_t n;
	bool in_place;
	char *s = decode_own("编号,名称\n", 14, false, &in_place, &enc, &n, &err);
	CHECK(in_place && n == 14 && enc == LIANG_ENC_UTF8);
	CHECK_STR(s, "编号,名称\n");
	free(s);
	s = decode_own("\xEF\xBB\xBF" "a,b", 6, false, &in_place, &enc, &n, &err);
	CHECK(in_place && n == 3 && enc == LIANG_ENC_UTF8_BOM);
	CHECK_STR(s, "a,b");
	free(s);
	/* GBK: a new string, the same as liang_text_decode gives */
	s = decode_own("\xB1\xE0\xBA\xC5,\x80" "5", 7, false, &in_place, &enc, &n, &err);
	CHECK(!in_place && enc == LIANG_ENC_GB18030 && n == strlen("编号,€5"));
	CHECK_STR(s, "编号,€5");
	free(s);
	/* refused: NULL, the error filled in, the buffer freed */
	CHECK(decode_own("a\0b", 3, false, &in_place, &enc, &n, &err) == NULL);
	CHECK(err.offset == 1);
	CHECK(decode_own("\xB1\xE0", 2, true, &in_place, &enc, &n, &err) == NULL);
	CHECK(err.offset == 0);
}

static void utf16_le_and_be(void)
{
	liang_encoding enc;
	liang_decode_error err;
	/* "编号\t名" in UTF-16LE with BOM: 编 U+7F16, 号 U+53F7, 名 U+540D */
	const char le[] = "\xFF\xFE\x16\x7F\xF7\x53\x09\x00\x0D\x54";
	char *s = decode(le, sizeof le - 1, &enc, &err);
	CHECK_STR(s, "编号\t名");
	CHECK(enc == LIANG_ENC_UTF16LE);
	free(s);
	const char be[] = "\xFE\xFF\x7F\x16\x53\xF7";
	s = decode(be, sizeof be - 1, &enc, &err);
	CHECK_STR(s, "编号");
	CHECK(enc == LIANG_ENC_UTF16BE);
	free(s);
	/* an emoji as a surrogate pair */
	const char pair[] = "\xFF\xFE\x3D\xD8\x00\xDE";
	s = decode(pair, sizeof pair - 1, &enc, &err);
	CHECK_STR(s, "😀");
	free(s);
	/* an unpaired surrogate is an error with its offset */
	const char bad[] = "\xFF\xFE" "a\x00\x3D\xD8" "b\x00";
	s = decode(bad, sizeof bad - 1, &enc, &err);
	CHECK(s == NULL);
	CHECK(err.offset == 4);
	CHECK_STR(err.message, "第 4 字节处的 UTF-16 代理项不成对，文件已损坏");
	free(s);
}

static void gb18030_and_euro(void)
{
	liang_encoding enc;
	liang_decode_error err;
	/* 编号 in GBK is B1 E0 BA C5; 0x80 is the euro sign of code page 936 */
	const char gbk[] = "\xB1\xE0\xBA\xC5,\x80" "5";
	char *s = decode(gbk, sizeof gbk - 1, &enc, &err);
	CHECK_STR(s, "编号,€5");
	CHECK(enc == LIANG_ENC_GB18030);
	free(s);
	/* a four-byte GB18030 sequence: 81 30 86 30 is U+00B8 (cedilla) */
	const char four[] = "\x81\x30\x86\x30";
	s = decode(four, sizeof four - 1, &enc, &err);
	CHECK_STR(s, "\xC2\xB8");
	free(s);
}

static void neither_names_the_byte(void)
{
	liang_encoding enc;
	liang_decode_error err;
	/* ASCII, then 0xFF: invalid in UTF-8 and in GB18030 */
	const char bad[] = "a,b\nc,\xFF\xFF\n";
	char *s = decode(bad, sizeof bad - 1, &enc, &err);
	CHECK(s == NULL);
	CHECK(err.offset == 6);
	CHECK(err.line == 2);
	CHECK(err.col == 3);
	CHECK(strstr(err.message, "第 6 字节（0xFF）既不是有效的 UTF-8，也不是有效的 GB18030/GBK") != NULL);
	/* a UTF-8 file with one broken byte is reported as broken UTF-8 */
	const char broken[] = "名称\n\xE5\x90\n";
	s = decode(broken, sizeof broken - 1, &enc, &err);
	CHECK(s == NULL);
	CHECK(err.offset == 7);
	CHECK(err.line == 2);
	CHECK(strstr(err.message, "不是有效的 UTF-8 编码") != NULL);
	/* NUL bytes are refused */
	s = decode("a\0b", 3, &enc, &err);
	CHECK(s == NULL);
	CHECK(err.offset == 1);
}

static void markdown_is_utf8_only(void)
{
	liang_encoding enc;
	liang_decode_error err;
	size_t n;
	char *s = liang_text_decode("\xB1\xE0", 2, true, &enc, &n, &err);
	CHECK(s == NULL);
	CHECK(err.offset == 0);
}

static void utf8_helpers(void)
{
	CHECK(liang_utf8_count("青年a", 7) == 3);
	CHECK(liang_utf8_valid_prefix("\xC0\x80", 2) == 0); /* overlong */
	CHECK(liang_utf8_valid_prefix("\xED\xA0\x80", 3) == 0); /* surrogate */
	CHECK(liang_utf8_valid_prefix("ok\xF4\x90\x80\x80", 6) == 2); /* > U+10FFFF */
	const char *s = "\xE3\x80\x80 青年 \xC2\xA0";
	size_t len = strlen(s);
	liang_trim(&s, &len);
	CHECK(len == 6 && strncmp(s, "青年", 6) == 0);
}

/* The byte-at-a-time definitions the fast paths must agree with. */
static size_t S_ref_count(const unsigned char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += (s[i] & 0xC0) != 0x80;
	return n;
}

static size_t S_ref_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i], n, min, cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4, min = 0x10000;
		else
			return i;
		if (i + n > len)
			return i;
		cp = c & (0x7Fu >> n);
		for (unsigned k = 1; k < n; k++) {
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

static void utf8_fast_paths(void)
{
	/* random mixes of ASCII and Hanzi, now and then a surrogate, an
	 * overlong, a stray byte or a cut character */
	static const char *const good[] = {"a", "12345678", "青", "年", "\xF0\x9F\x98\x80", "\xC3\xA9"};
	static const char *const bad[] = {"\xED\xA0\x80", "\xE0\x80\xAF", "\x80", "\xFF", "\xE4\xBD"};
	unsigned seed = 1;
	int agree = 1;
	for (int round = 0; round < 3000; round++) {
		unsigned char buf[96];
		size_t len = 0;
		for (;;) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			const char *p = r % 16 ? good[r / 16 % 6] : bad[r / 16 % 5];
			size_t n = strlen(p);
			if (len + n > sizeof buf)
				break;
			memcpy(buf + len, p, n);
			len += n;
		}
		for (size_t cut = 0; cut <= len; cut += 7) {
			agree &= liang_utf8_valid_prefix((const char *)buf, cut) == S_ref_valid(buf, cut);
			agree &= liang_utf8_count((const char *)buf, cut) == S_ref_count(buf, cut);
		}
	}
	CHECK(agree);
}

/* Every one- and two-byte sequence, the three- and four-byte ones that
 * matter (each lead with continuations and the bytes next to their
 * ranges), at offsets on both sides of the 16-byte blocks the validator
 * reads, between Hanzi and ASCII: the end of the valid prefix is the
 * reference's. */
static void utf8_blocks_agree_everywhere(void)
{
	static const unsigned char edge[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xAD, 0xBF, 0xC0, 0xC2, 0xDF,
					     0xE0, 0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
	static const size_t offsets[] = {0, 1, 12, 13, 14, 15, 16, 17, 29, 30, 31, 32, 45};
	unsigned char buf[64];
	int agree = 1;
	long cases = 0;
	for (int n = 1; n <= 4; n++) {
		size_t e = sizeof edge;
		/* all bytes for the first two positions of n <= 2, else edges */
		size_t r0 = n <= 2 ? 256 : 16, r1 = n == 2 ? 256 : e, total = r0 * (n > 1 ? r1 : 1);
		for (int k = 2; k < n; k++)
			total *= e;
		for (size_t t = 0; t < total; t++) {
			unsigned char seq[4];
			size_t x = t;
			seq[0] = (unsigned char)(n <= 2 ? x % r0 : 0xE0 + (n == 4 ? 0x10 : 0) + x % r0);
			if (n == 4 && seq[0] > 0xF7)
				continue;
			x /= r0;
			for (int k = 1; k < n; k++) {
				size_t m = k == 1 ? r1 : e;
				seq[k] = k == 1 && n == 2 ? (unsigned char)(x % m) : edge[x % m];
				x /= m;
			}
			for (size_t o = 0; o < sizeof offsets / sizeof *offsets; o++) {
				/* "青" and ASCII around it */
				for (size_t i = 0; i < sizeof buf; i++)
					buf[i] = i % 5 < 3 ? (unsigned char)"\xE9\x9D\x92"[i % 5] : (unsigned char)('a' + i % 26);
				size_t at = offsets[o];
				memcpy(buf + at, seq, (size_t)n);
				for (size_t cut = at + (size_t)n; cut <= sizeof buf; cut += 17) {
					agree &= liang_utf8_valid_prefix((const char *)buf, cut) == S_ref_valid(buf, cut);
					cases++;
				}
			}
		}
	}
	CHECK(cases > 1000000);
	CHECK(agree);
}

UNIT_TESTS(text) = {
	{"text/utf8_fast_paths", utf8_fast_paths},
	{"text/utf8_blocks_agree_everywhere", utf8_blocks_agree_everywhere},
	{"text/utf8_plain_and_bom", utf8_plain_and_bom},
	{"text/decode_own_in_place", decode_own_in_place},
	{"text/utf16_le_and_be", utf16_le_and_be},
	{"text/gb18030_and_euro", gb18030_and_euro},
	{"text/neither_names_the_byte", neither_names_the_byte},
	{"text/markdown_is_utf8_only", markdown_is_utf8_only},
	{"text/utf8_helpers", utf8_helpers},
	{NULL, NULL},
};
