/* Tests for privacy.c: personal numbers in public text. */
#include "privacy.h"
#include "unit.h"

static int count(const char *s, liang_pii *last)
{
	size_t from = 0;
	int n = 0;
	while (liang_pii_find(s, strlen(s), &from, last))
		n++;
	return n;
}

static void mobiles(void)
{
	liang_pii h;
	CHECK(count("联系13812345678谢谢", &h) == 1);
	CHECK_STR(h.masked, "138****5678");
	CHECK(h.kind == LIANG_PII_MOBILE);
	CHECK(count("电话 138-1234-5678", &h) == 1);
	CHECK(count("电话 138 1234 5678", &h) == 1);
	CHECK(count("0731-82867047", &h) == 0);      /* a landline */
	CHECK(count("12345678901", &h) == 0);        /* 12… is not a mobile prefix */
	CHECK(count("订单 213812345678", &h) == 0);  /* part of a longer number */
	CHECK(count("138123456789", &h) == 0);
}

static void id_numbers(void)
{
	liang_pii h;
	/* 11010519491231002X is the standard's own example (valid check digit) */
	CHECK(count("身份证 11010519491231002X 。", &h) == 1);
	CHECK(h.kind == LIANG_PII_ID);
	CHECK_STR(h.masked, "1101**********002X");
	CHECK(count("11010519491231002Y", &h) == 0);
	CHECK(count("110105194912310021", &h) == 0); /* wrong check digit */
	CHECK(count("编号 123456789012345678", &h) == 0);
}

/* A number at every place in Hanzi text of every length to 64 bytes (the
 * search skips 16 bytes at a time to the next digit), after a longer
 * number that hides it, and a search that starts inside a number. */
static void found_at_every_position(void)
{
	int ok = 1;
	for (size_t pad = 0; pad <= 48; pad++)
		for (size_t tail = 0; tail <= 17; tail += 1) {
			char s[128];
			size_t n = 0;
			for (size_t i = 0; i < pad; i++)
				s[n++] = "\xE8\x81\x94"[i % 3]; /* 联联联… cut anywhere */
			memcpy(s + n, "13812345678", 11);
			size_t at = n;
			n += 11;
			for (size_t i = 0; i < tail; i++)
				s[n++] = i % 2 ? 'x' : ' ';
			s[n] = '\0';
			liang_pii h;
			size_t from = 0;
			ok &= liang_pii_find(s, n, &from, &h) && h.offset == at && h.len == 11 && from == at + 11;
			ok &= !liang_pii_find(s, n, &from, &h);
			/* from inside the number: not a number of its own */
			from = at + 1;
			ok &= !liang_pii_find(s, n, &from, &h);
			/* a digit just before it makes a longer number */
			if (pad) {
				s[at - 1] = (char)('0' + pad % 10);
				from = 0;
				ok &= !liang_pii_find(s, n, &from, &h);
			}
			/* ID numbers begin with any digit, 9 and 0 as well */
			static const char *const ids[] = {"910105194912310029", "010105194912310026"};
			memcpy(s + at, ids[tail % 2], 18);
			n = at + 18;
			s[n] = '\0';
			if (pad)
				s[at - 1] = '\xE8';
			from = 0;
			ok &= liang_pii_find(s, n, &from, &h) && h.kind == LIANG_PII_ID && h.offset == at;
		}
	CHECK(ok);
}

UNIT_TESTS(privacy) = {
	{"privacy/mobiles", mobiles},
	{"privacy/id_numbers", id_numbers},
	{"privacy/found_at_every_position", found_at_every_position},
	{NULL, NULL},
};
