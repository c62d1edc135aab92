/* Tests for i18n: the pinyin slugs of URLs. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "unit.h"

/* The slug of s, appended to prefix (a slug is measured from where it
 * starts in the buffer). */
static char *S_slug(const char *prefix, const char *s)
{
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_puts(&b, prefix);
	liang_slugify(s, &b);
	return liang_buf_detach(&b);
}

static bool S_is(const char *prefix, const char *s, const char *want)
{
	char *got = S_slug(prefix, s);
	bool ok = !strcmp(got, want);
	if (!ok)
		fprintf(stderr, "  slug of \"%s\": \"%s\", want \"%s\"\n", s, got, want);
	free(got);
	return ok;
}

/* Chinese as toneless pinyin, one '-' between words, lower-case ASCII,
 * "x" for nothing to spell. */
static void slugs(void)
{
	CHECK(S_is("", "青年文明号", "qing-nian-wen-ming-hao"));
	CHECK(S_is("", "临澜高新区", "lin-lan-gao-xin-qu"));
	CHECK(S_is("", "  Hello, World!  ", "hello-world"));
	CHECK(S_is("", "12366 热线", "12366-re-xian"));
	CHECK(S_is("", "", "x"));
	CHECK(S_is("", "——", "x"));
	CHECK(S_is("dir/", "税务", "dir/shui-wu"));
}

/* A long name: at most LIANG_SLUG_MAX bytes, cut after a whole word,
 * never ending in '-', the same each time; ASCII and Chinese alike, and
 * a word longer than half the limit is cut inside. The words are of a
 * length that does not divide the limit, so that a plain cut at it would
 * fall inside one. */
static void slugs_are_short(void)
{
	liang_buf name = LIANG_BUF_INIT;
	for (int i = 0; i < 60; i++)
		liang_buf_puts(&name, "临澜区"); /* lin-lan-qu-: 11 bytes */
	char *a = S_slug("p/", name.ptr), *b = S_slug("p/", name.ptr);
	size_t n = strlen(a) - 2;
	CHECK(n <= LIANG_SLUG_MAX && n > LIANG_SLUG_MAX / 2);
	CHECK(!strncmp(a + 2, "lin-lan-qu-lin", 14) && a[strlen(a) - 1] != '-');
	/* whole words: the last is one of the three */
	const char *last = strrchr(a, '-') + 1;
	CHECK(!strcmp(last, "lin") || !strcmp(last, "lan") || !strcmp(last, "qu"));
	CHECK(!strcmp(a, b));
	free(a);
	free(b);

	liang_buf_clear(&name);
	for (int i = 0; i < 40; i++)
		liang_buf_puts(&name, "Words "); /* words-: 6 bytes */
	a = S_slug("", name.ptr);
	CHECK(strlen(a) <= LIANG_SLUG_MAX && !strcmp(a + strlen(a) - 6, "-words"));
	free(a);

	liang_buf_clear(&name);
	for (int i = 0; i < 200; i++)
		liang_buf_putc(&name, 'a' + i % 26);
	a = S_slug("", name.ptr);
	CHECK(strlen(a) == LIANG_SLUG_MAX && !strncmp(a, "abcdefghij", 10));
	free(a);
	liang_buf_free(&name);
}

UNIT_TESTS(i18n) = {
	{"i18n/slugs", slugs},
	{"i18n/slugs_are_short", slugs_are_short},
	{NULL, NULL},
};
