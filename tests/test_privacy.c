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

UNIT_TESTS(privacy) = {
	{"privacy/mobiles", mobiles},
	{"privacy/id_numbers", id_numbers},
	{NULL, NULL},
};
