/* Tests for buf: the quick formatter beside vsnprintf. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "unit.h"

static int S_fmt(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = liang_fmt(dst, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* liang_fmt and snprintf agree, in length and in text. */
#define SAME(...)                                                                      \
	do {                                                                           \
		char want_[256], got_[256];                                            \
		int wn_ = snprintf(want_, sizeof want_, __VA_ARGS__);                  \
		int gn_ = S_fmt(got_, sizeof got_, __VA_ARGS__);                       \
		CHECK(gn_ == wn_);                                                     \
		CHECK_STR(got_, want_);                                                \
	} while (0)

static void formats_like_snprintf(void)
{
	SAME("plain text");
	SAME("%s%s", "../../", "media/a.w480.jpg");
	SAME("%s（照片 %zu/%zu）", "开放周", (size_t)3, (size_t)9);
	SAME("%.*s.w%u.jpg", 7, "media/abc.jpg", 480u);
	SAME("[%.*s]", 10, "short");
	SAME("%d %i %d", 0, -7, INT_MIN);
	SAME("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
	SAME("%zu%%", SIZE_MAX);
	SAME("%c%c", 'a', '%');
	SAME("%spage/%ld/%s", "collectives/", 12L, "index.html");
}

/* %.Nf as printf writes it: the exact binary value rounded to nearest,
 * ties to even; the sign of anything negative, also of what rounds to 0;
 * checked on the values the charts and figures print, on exact ties and
 * on a million numbers of every magnitude it takes. */
static void fixed_point_like_snprintf(void)
{
	SAME("%.1f%%", 12.5);
	SAME("%.1f%%", 100.0 * 2.0 / 3.0);
	SAME("M%.1f,%.1f L%.2f,%.2f A%.1f,%.1f 0 %d 1 %.2f,%.2f Z", 150.0, 150.0, 250.0, 150.0, 100.0, 100.0, 0,
	     180.90169943749476, 245.10565162951536);
	SAME("%.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, -0.5, 1e14 + 0.5);
	SAME("%.2f %.2f %.2f %.2f", 0.125, 0.375, 2.675, 1.005);
	SAME("%.1f %.1f %.1f %.1f", -0.0, -0.04, 0.05, 0.25);
	SAME("%.9f %.9f %.3f", DBL_MIN, 5e-324, 999999999999999.9);
	SAME("%s（%.1f%%）", "满意", 99.95);
	static const double ties[] = {0.5, 0.25, 0.75, 0.125, 0.625, 1.0625, 3.5, 1023.75, 7.03125};
	for (size_t i = 0; i < sizeof ties / sizeof *ties; i++)
		for (int p = 0; p <= 9; p++) {
			char f[16];
			snprintf(f, sizeof f, "%%.%df", p);
			SAME(f, ties[i]);
			SAME(f, -ties[i]);
		}
	uint64_t r = 0x9E3779B97F4A7C15u;
	int bad = 0;
	for (int i = 0; i < 1000000 && bad < 5; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		/* a random mantissa at a magnitude from 1e-12 to 1e15 */
		double x = ldexp((double)(r >> 11), (int)(r % 91) - 93);
		if (r & 1)
			x = -x;
		char f[16], want[64], got[64];
		snprintf(f, sizeof f, "%%.%df", (int)((r >> 8) % 10));
		int wn = snprintf(want, sizeof want, f, x), gn = S_fmt(got, sizeof got, f, x);
		if (gn == -1 && fabs(x) >= 1e15)
			continue; /* left to stdio */
		if (gn != wn || strcmp(got, want) != 0) {
			bad++;
			fprintf(stderr, "  %s of %a: %s, printf %s\n", f, x, got, want);
		}
	}
	CHECK(bad == 0);
}

/* liang_digits on every number to 10^5 and on each side of every power
 * of ten, as %llu (and with the sign, %lld) writes it. */
static void digits_of_every_length(void)
{
	int agree = 1;
	char got[32], want[32];
	for (unsigned long long v = 0; v <= 100000; v++) {
		got[liang_digits(got, v, false)] = '\0';
		snprintf(want, sizeof want, "%llu", v);
		agree &= !strcmp(got, want);
	}
	for (unsigned long long p = 10; p <= 10000000000000000000ull && agree; p *= 10) {
		for (unsigned long long v = p - 2; v <= p + 1; v++) {
			got[liang_digits(got, v, false)] = '\0';
			snprintf(want, sizeof want, "%llu", v);
			agree &= !strcmp(got, want);
			got[liang_digits(got, v, true)] = '\0';
			snprintf(want, sizeof want, "-%llu", v);
			agree &= !strcmp(got, want);
		}
		if (p > ULLONG_MAX / 10)
			break;
	}
	got[liang_digits(got, ULLONG_MAX, false)] = '\0';
	CHECK_STR(got, "18446744073709551615");
	CHECK(agree);
}

static void anything_else_is_left_to_stdio(void)
{
	char b[32] = "untouched";
	CHECK(S_fmt(b, sizeof b, "%.1f%%", NAN) == -1);
	CHECK(S_fmt(b, sizeof b, "%d %.2f", 1, INFINITY) == -1);
	CHECK(S_fmt(b, sizeof b, "%.0f", 1e15) == -1);
	CHECK(S_fmt(b, sizeof b, "%.10f", 1.0) == -1);
	CHECK(S_fmt(b, sizeof b, "%f", 1.0) == -1);
	CHECK(S_fmt(b, sizeof b, "%02X", 7) == -1);
	CHECK(S_fmt(b, sizeof b, "%5s", "x") == -1);
	CHECK(S_fmt(b, sizeof b, "%g", 1.0) == -1);
	CHECK(S_fmt(b, sizeof b, "%s %x", "a", 1) == -1);
	/* liang_buf_printf then formats with vsnprintf, from the start of
	 * the conversion that liang_fmt left, after what the buffer held */
	liang_buf buf = LIANG_BUF_INIT;
	liang_buf_puts(&buf, "前");
	liang_buf_printf(&buf, "[%s %x|%d %.2f|%.1f%%]", "a", 255u, 1, INFINITY, NAN);
	char want[64];
	snprintf(want, sizeof want, "前[%s %x|%d %.2f|%.1f%%]", "a", 255u, 1, INFINITY, NAN);
	CHECK_STR(buf.ptr, want);
	CHECK(buf.len == strlen(want));
	/* a long text before the conversion: the buffer grows as it goes */
	char long_s[300];
	memset(long_s, 'x', sizeof long_s - 1);
	long_s[sizeof long_s - 1] = '\0';
	liang_buf_clear(&buf);
	liang_buf_printf(&buf, "%s%g", long_s, 0.5);
	CHECK(buf.len == 302 && !strcmp(buf.ptr + 299, "0.5"));
	liang_buf_free(&buf);
}

static void a_small_buffer_gets_what_fits(void)
{
	char b[6];
	CHECK(S_fmt(b, sizeof b, "%s-%d", "abcd", 1234) == 9);
	CHECK_STR(b, "abcd-");
	CHECK(S_fmt(NULL, 0, "%s", "abc") == 3);
	/* the buffer functions grow to fit */
	liang_buf buf = LIANG_BUF_INIT;
	for (int i = 0; i < 100; i++)
		liang_buf_printf(&buf, "%s%d,", "第", i);
	liang_buf_printf(&buf, "%.1f", 0.25);
	CHECK(buf.len == strlen(buf.ptr));
	CHECK(!strncmp(buf.ptr, "第0,第1,", strlen("第0,第1,")));
	CHECK(strstr(buf.ptr, "第99,0.2") != NULL);
	liang_buf_free(&buf);
}

UNIT_TESTS(buf) = {
	{"buf/formats_like_snprintf", formats_like_snprintf},
	{"buf/fixed_point_like_snprintf", fixed_point_like_snprintf},
	{"buf/digits_of_every_length", digits_of_every_length},
	{"buf/anything_else_is_left_to_stdio", anything_else_is_left_to_stdio},
	{"buf/a_small_buffer_gets_what_fits", a_small_buffer_gets_what_fits},
	{NULL, NULL},
};
