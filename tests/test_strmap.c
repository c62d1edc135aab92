/* Tests for strmap.c. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Keys live in shared blocks: many keys, and keys longer than a block. */
static void keys_in_blocks(void)
{
	liang_strmap m;
	liang_strmap_init(&m);
	char key[32];
	bool added = true;
	for (long i = 0; i < 20000; i++) {
		int n = snprintf(key, sizeof key, "C-%06ld", i);
		added = liang_strmap_add(&m, key, (size_t)n, i, NULL) && added;
	}
	CHECK(added);
	size_t big = 100000;
	char *huge = malloc(big);
	memset(huge, 'x', big);
	CHECK(liang_strmap_add(&m, huge, big, -1, NULL));
	CHECK(liang_strmap_add(&m, "after", 5, -2, NULL));
	long *v = liang_strmap_get(&m, huge, big);
	CHECK(v && *v == -1);
	free(huge);
	bool all = true;
	for (long i = 0; i < 20000; i++) {
		int n = snprintf(key, sizeof key, "C-%06ld", i);
		v = liang_strmap_get(&m, key, (size_t)n);
		all = all && v && *v == i;
	}
	CHECK(all);
	v = liang_strmap_get(&m, "after", 5);
	CHECK(v && *v == -2);
	liang_strmap_free(&m);
}

UNIT_TESTS(strmap) = {
	{"strmap/add_get_grow", add_get_grow},
	{"strmap/keys_in_blocks", keys_in_blocks},
	{NULL, NULL},
};
