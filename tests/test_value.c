/* test_value — the values templates see: maps, lookups, text of scalars,
 * rows of SQL results. */
#include <limits.h>
#include <sqlite3.h>

#include "unit.h"
#include "value.h"

static void maps_set_add_and_find(void)
{
	liang_arena a;
	liang_arena_init(&a);
	liang_value *m = liang_v_map(&a);
	liang_v_set(&a, m, "name", liang_v_str(&a, "甲"));
	liang_v_set(&a, m, "id", liang_v_str(&a, "A1"));
	liang_v_set(&a, m, "name", liang_v_str(&a, "乙")); /* replaces */
	liang_v_add(&a, m, "total", liang_v_int(&a, 3));
	CHECK(m->u.list.n == 3);
	CHECK_STR(liang_v_get(m, "name")->u.str.s, "乙");
	CHECK(liang_v_get(m, "nam") == NULL && liang_v_get(m, "names") == NULL);
	/* a key of n bytes inside a longer string */
	size_t at = 0;
	CHECK(liang_v_step(&a, m, "id.more", 2, &at) != NULL && liang_v_step(&a, m, "id.more", 3, &at) == NULL);
	CHECK(liang_v_step(&a, m, "", 0, &at) == NULL);
	CHECK(liang_v_step(&a, liang_v_int(&a, 1), "id", 2, &at) == NULL); /* not a map */
	CHECK(liang_v_step(&a, &liang_null, "id", 2, &at) == NULL);

	/* with a hint: right, wrong, out of range; it follows the key */
	at = 1;
	CHECK_STR(liang_v_step(&a, m, "id", 2, &at)->u.str.s, "A1");
	CHECK(at == 1);
	at = 0;
	CHECK(liang_v_step(&a, m, "total", 5, &at)->u.i == 3 && at == 2);
	at = 99;
	CHECK_STR(liang_v_step(&a, m, "name", 4, &at)->u.str.s, "乙");
	CHECK(at == 0);
	at = 0; /* "name" is at 0 but "nam" is not a key */
	CHECK(liang_v_step(&a, m, "nam", 3, &at) == NULL);

	/* length: of a list, of a map, unless the map has such a key */
	liang_value *list = liang_v_list(&a);
	for (int i = 0; i < 20; i++) /* past the first growth */
		liang_v_push(&a, list, liang_v_int(&a, i));
	CHECK(liang_v_step(&a, list, "length", 6, &at)->u.i == 20);
	CHECK(liang_v_step(&a, list, "nope", 4, &at) == NULL);
	CHECK(liang_v_step(&a, m, "length", 6, &at)->u.i == 3);
	liang_v_set(&a, m, "length", liang_v_str(&a, "长"));
	CHECK_STR(liang_v_step(&a, m, "length", 6, &at)->u.str.s, "长");
	liang_arena_free(&a);
}

static void text_of_scalars(void)
{
	liang_arena a;
	liang_arena_init(&a);
	size_t n;
	CHECK_STR(liang_v_text(&a, liang_v_int(&a, 0), &n), "0");
	CHECK(n == 1);
	CHECK_STR(liang_v_text(&a, liang_v_int(&a, -1234567), &n), "-1234567");
	CHECK(n == 8);
	CHECK_STR(liang_v_text(&a, liang_v_int(&a, LLONG_MIN), &n), "-9223372036854775808");
	CHECK_STR(liang_v_text(&a, liang_v_int(&a, LLONG_MAX), &n), "9223372036854775807");
	CHECK_STR(liang_v_text(&a, liang_v_bool(&a, true), &n), "是");
	CHECK_STR(liang_v_text(&a, &liang_null, &n), "");
	CHECK(n == 0);
	static liang_value lit = LIANG_V_LIT("lazy");
	CHECK_STR(liang_v_text(&a, &lit, &n), "lazy");
	CHECK(n == 4);
	liang_arena_free(&a);
}

static void rows_of_results(void)
{
	sqlite3 *db;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "SELECT 'A1' AS collective, 'x' AS name, 7 AS n, NULL AS photo, 1.5 AS r", -1,
				 &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	liang_arena a;
	liang_arena_init(&a);
	liang_value *all = liang_value_row(&a, st), *rest = liang_value_row_from(&a, st, 1);
	CHECK(all->u.list.n == 5 && rest->u.list.n == 4);
	CHECK(liang_v_get(rest, "collective") == NULL);
	CHECK_STR(liang_v_get(all, "collective")->u.str.s, "A1");
	CHECK(liang_v_get(rest, "n")->type == LIANG_V_INT && liang_v_get(rest, "n")->u.i == 7);
	CHECK(liang_v_get(rest, "photo")->type == LIANG_V_NULL);
	CHECK(liang_v_get(rest, "r")->type == LIANG_V_NUM);
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* the names were copied: the values outlive the statement */
	CHECK_STR(rest->u.list.keys[0], "name");
	liang_arena_free(&a);
}

/* Rows read with the names taken once agree with liang_value_row_from,
 * row after row, also where a name comes twice (the later column), and
 * the keys follow when they are given another statement. */
static void rows_with_names_taken_once(void)
{
	sqlite3 *db;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	sqlite3_stmt *st, *dup;
	CHECK(sqlite3_prepare_v2(db,
				 "WITH s(value) AS (VALUES (1), (2), (3)) "
				 "SELECT value AS id, 'n' || value AS name, value * 2 AS twice FROM s",
				 -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "SELECT 1 AS a, 2 AS b, 3 AS a", -1, &dup, NULL) == SQLITE_OK);
	liang_arena a;
	liang_arena_init(&a);
	liang_rowkeys k = {0};
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		liang_value *want = liang_value_row_from(&a, st, 1), *got = liang_value_row_keyed(&a, st, 1, &k);
		CHECK(got->u.list.n == 2 && want->u.list.n == 2);
		CHECK(liang_v_get(got, "id") == NULL);
		CHECK_STR(liang_v_get(got, "name")->u.str.s, liang_v_get(want, "name")->u.str.s);
		CHECK(liang_v_get(got, "twice")->u.i == 2 * ++rows);
		/* room for the keys pages add */
		liang_v_set(&a, got, "url", liang_v_str(&a, "c/1/"));
		CHECK_STR(liang_v_get(got, "url")->u.str.s, "c/1/");
	}
	CHECK(rows == 3);
	CHECK(k.unique && k.st == st);
	CHECK(sqlite3_step(dup) == SQLITE_ROW);
	liang_value *got = liang_value_row_keyed(&a, dup, 0, &k), *want = liang_value_row_from(&a, dup, 0);
	CHECK(k.st == dup && !k.unique);
	CHECK(got->u.list.n == 2 && want->u.list.n == 2);
	CHECK(liang_v_get(got, "a")->u.i == 3 && liang_v_get(want, "a")->u.i == 3);
	CHECK(liang_v_get(got, "b")->u.i == 2);
	liang_rowkeys_free(&k);
	CHECK(k.names == NULL && k.st == NULL);
	sqlite3_finalize(st);
	sqlite3_finalize(dup);
	sqlite3_close(db);
	liang_arena_free(&a);
}

/* Figures with five digits or more are grouped in threes; the rest, and
 * whatever is not a plain number, is left alone. */
static void grouped_digits(void)
{
	liang_arena a;
	liang_arena_init(&a);
	static const char *const cases[][2] = {
		{"0", "0"}, {"2025", "2025"}, {"9999", "9999"}, {"10000", "10,000"}, {"33824", "33,824"},
		{"123456", "123,456"}, {"1234567", "1,234,567"}, {"-1234567", "-1,234,567"}, {"+98765", "+98,765"},
		{"12345.678", "12,345.678"}, {"1234.5", "1234.5"}, {"12345.", "12345."}, {"12345.6.7", "12345.6.7"},
		{"12345%", "12345%"}, {"", ""}, {"-", "-"}, {"abc12345", "abc12345"}, {"12345 人", "12345 人"},
		{"—", "—"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_STR(liang_arena_grouped(&a, cases[i][0]), cases[i][1]);
	/* every length up to 19 digits: a comma before each group of three
	 * from the right, and nothing else changed */
	char num[32];
	for (size_t n = 1; n <= 19; n++) {
		for (size_t i = 0; i < n; i++)
			num[i] = (char)('1' + i % 9);
		num[n] = '\0';
		const char *g = liang_arena_grouped(&a, num);
		size_t commas = 0, digits = 0;
		for (const char *q = g; *q; q++) {
			if (*q == ',') {
				commas++;
				CHECK((n - digits) % 3 == 0 && digits > 0);
			} else {
				CHECK(*q == num[digits]);
				digits++;
			}
		}
		CHECK(digits == n && commas == (n >= 5 ? (n - 1) / 3 : 0));
	}
	liang_arena_free(&a);
}

UNIT_TESTS(value) = {
	{"value_maps_set_add_and_find", maps_set_add_and_find},
	{"value_text_of_scalars", text_of_scalars},
	{"value_rows_of_results", rows_of_results},
	{"value_rows_with_names_taken_once", rows_with_names_taken_once},
	{"value_grouped_digits", grouped_digits},
	{NULL, NULL},
};
