/* value — the data a template sees: strings, numbers, booleans, lists,
 * maps and trusted HTML, allocated in an arena that is reset per page.
 *
 * Pages build a value tree from SQL rows (liang_value_row) and hand it
 * to the template engine. Only the Markdown renderer and the chart
 * writer make LIANG_V_HTML values: every other string is escaped on
 * output, so data can never inject markup. */
#ifndef LIANG_VALUE_H
#define LIANG_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

/* ------------------------------------------------------------- arena */

typedef struct liang_arena_block liang_arena_block;
typedef struct liang_arena {
	liang_arena_block *head;
	size_t used, cap; /* in the head block */
} liang_arena;

void liang_arena_init(liang_arena *a);
/* Free everything allocated since init (keeps the first block). */
void liang_arena_reset(liang_arena *a);
void liang_arena_free(liang_arena *a);
void *liang_arena_alloc(liang_arena *a, size_t n);
char *liang_arena_strndup(liang_arena *a, const char *s, size_t n);
char *liang_arena_printf(liang_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The number num with the digits of its integer part grouped in threes
 * by commas ("33,824", "-12,345.6") when there are five or more of them,
 * as GB/T 15835 allows; a shorter number ("2025") or anything that is not
 * a number is returned as it is. num is not NULL. */
const char *liang_arena_grouped(liang_arena *a, const char *num);

/* ------------------------------------------------------------- values */

typedef enum {
	LIANG_V_NULL,
	LIANG_V_STR,
	LIANG_V_INT,
	LIANG_V_NUM,
	LIANG_V_BOOL,
	LIANG_V_LIST,
	LIANG_V_MAP,
	LIANG_V_HTML, /* trusted markup, written as is */
} liang_vtype;

typedef struct liang_value liang_value;
struct liang_value {
	liang_vtype type;
	union {
		struct {
			const char *s;
			size_t len;
		} str; /* STR and HTML */
		long long i;
		double d;
		bool b;
		struct {
			liang_value **items;
			const char **keys; /* MAP only */
			size_t n, cap;
		} list;
	} u;
};

extern liang_value liang_null;

/* Is the NUL-terminated key the n bytes at k? Keys are a few bytes:
 * compared here rather than in a call to strncmp (inline: templates
 * compare a key on every value they show). */
static inline bool liang_key_is(const char *key, const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (key[i] != k[i] || !key[i]) /* never past the key's end */
			return false;
	return key[n] == '\0';
}

liang_value *liang_v_str(liang_arena *a, const char *s);   /* copies; NULL → null */
liang_value *liang_v_strn(liang_arena *a, const char *s, size_t n);
liang_value *liang_v_html(liang_arena *a, const char *s, size_t n); /* trusted */
liang_value *liang_v_int(liang_arena *a, long long i);
liang_value *liang_v_num(liang_arena *a, double d);
liang_value *liang_v_bool(liang_arena *a, bool b);
liang_value *liang_v_list(liang_arena *a);
liang_value *liang_v_map(liang_arena *a);
void liang_v_push(liang_arena *a, liang_value *list, liang_value *item);
/* Set key (not copied: use literals or arena strings) in a map. */
void liang_v_set(liang_arena *a, liang_value *map, const char *key, liang_value *v);
/* Add a key the map does not hold yet (not checked: for maps being built
 * from a fixed set of keys). */
void liang_v_add(liang_arena *a, liang_value *map, const char *key, liang_value *v);
/* A string value of a literal, for a static liang_value that is never
 * copied: static liang_value lazy = LIANG_V_LIT("lazy"); */
#define LIANG_V_LIT(lit) {.type = LIANG_V_STR, .u.str = {(lit), sizeof(lit) - 1}}
liang_value *liang_v_get(const liang_value *map, const char *key);
/* liang_v_step once the key is not at *hint: the search. */
const liang_value *liang_v_find(liang_arena *a, const liang_value *v, const char *key, size_t n, size_t *hint);
/* One step of a template's path ("c.name"): the value of the key of n
 * bytes (not terminated) in v, or for "length" of a list or a map with
 * no such key, its number of items (made in a); NULL when there is none.
 * *hint is the position to look at first (where the key was found in a
 * map built the same way); it is left where the key was found. Inline:
 * templates take this step for every value they show, and the key is
 * nearly always at *hint. */
static inline const liang_value *liang_v_step(liang_arena *a, const liang_value *v, const char *key, size_t n,
					      size_t *hint)
{
	if (n && v->type == LIANG_V_MAP && *hint < v->u.list.n && liang_key_is(v->u.list.keys[*hint], key, n))
		return v->u.list.items[*hint];
	return liang_v_find(a, v, key, n, hint);
}
bool liang_v_truthy(const liang_value *v);
/* The text of a scalar ("" for null, "12" for 12, "是" for true). */
const char *liang_v_text(liang_arena *a, const liang_value *v, size_t *len);

/* A map of the current row of st, one entry per column (named as in
 * the SELECT), typed as SQLite returns them. */
liang_value *liang_value_row(liang_arena *a, sqlite3_stmt *st);
/* The same from column first on. */
liang_value *liang_value_row_from(liang_arena *a, sqlite3_stmt *st, int first);

/* The column names of a statement read row after row, taken once: the
 * caller keeps it beside the statement (zeroed to begin with), reads
 * each row with liang_value_row_keyed and frees it, after the last page
 * that shows those rows, with liang_rowkeys_free. */
typedef struct liang_rowkeys {
	sqlite3_stmt *st;
	int first, n; /* the columns from first to n - 1 */
	bool unique;  /* no name twice: each is added without a search */
	char **names;
} liang_rowkeys;

/* liang_value_row_from with the names of k (taken from st the first
 * time, or when k was another statement's). */
liang_value *liang_value_row_keyed(liang_arena *a, sqlite3_stmt *st, int first, liang_rowkeys *k);
void liang_rowkeys_free(liang_rowkeys *k);

#endif
