/* Tests for buf: the quick formatter beside vsnprintf. */
#include <limits.h>
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

static void anything_else_is_left_to_stdio(void)
{
	char b[32] = "untouched";
	CHECK(S_fmt(b, sizeof b, "%.1f%%", 12.5) == -1);
	CHECK(S_fmt(b, sizeof b, "%02X", 7) == -1);
	CHECK(S_fmt(b, sizeof b, "%5s", "x") == -1);
	CHECK(S_fmt(b, sizeof b, "%g", 1.0) == -1);
	CHECK(S_fmt(b, sizeof b, "%s %x", "a", 1) == -1);
	CHECK_STR(b, "untouched");
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
	{"buf/anything_else_is_left_to_stdio", anything_else_is_left_to_stdio},
	{"buf/a_small_buffer_gets_what_fits", a_small_buffer_gets_what_fits},
	{NULL, NULL},
};
