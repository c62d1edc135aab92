/* Tests for strmap.c. */
#include <stdio.h>

#include "strmap.h"
#include "unit.h"

static void add_get_grow(void)
{
	liang_strmap m;
	liang_strmap_init(&m);
	char key[32];
	bool all_new = true;
	for (long i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%ld", i);
		all_new &= liang_strmap_add(&m, key, strlen(key), i, NULL);
	}
	CHECK(all_new);
	long old = -1;
	CHECK(!liang_strmap_add(&m, "k42", 3, 7, &old));
	CHECK(old == 42);
	long *v = liang_strmap_get(&m, "k4999", 5);
	CHECK(v && *v == 4999);
	CHECK(liang_strmap_get(&m, "k5000", 5) == NULL);
	/* keys may hold NUL bytes (composite keys) */
	CHECK(liang_strmap_add(&m, "a\0b", 3, 1, NULL));
	CHECK(liang_strmap_add(&m, "a\0c", 3, 2, NULL));
	CHECK(*liang_strmap_get(&m, "a\0c", 3) == 2);
	liang_strmap_free(&m);
}

UNIT_TESTS(strmap) = {
	{"strmap/add_get_grow", add_get_grow},
	{NULL, NULL},
};
