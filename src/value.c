/* value — template data in an arena. */
#include "value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* ------------------------------------------------------------- arena */

struct liang_arena_block {
	liang_arena_block *next;
	size_t cap;
	char data[];
};

#define ARENA_BLOCK (64 * 1024)

void liang_arena_init(liang_arena *a)
{
	memset(a, 0, sizeof *a);
}

static void S_new_block(liang_arena *a, size_t need)
{
	size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
	liang_arena_block *b = liang_xmalloc(sizeof *b + cap);
	b->cap = cap;
	b->next = a->head;
	a->head = b;
	a->used = 0;
	a->cap = cap;
}

void *liang_arena_alloc(liang_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->used + n > a->cap)
		S_new_block(a, n);
	void *p = a->head->data + a->used;
	a->used += n;
	return p;
}

void liang_arena_reset(liang_arena *a)
{
	if (!a->head)
		return;
	/* keep the oldest block, free the rest */
	liang_arena_block *b = a->head;
	while (b->next) {
		liang_arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = b;
	a->used = 0;
	a->cap = b->cap;
}

void liang_arena_free(liang_arena *a)
{
	liang_arena_block *b = a->head;
	while (b) {
		liang_arena_block *n = b->next;
		free(b);
		b = n;
	}
	memset(a, 0, sizeof *a);
}

char *liang_arena_strndup(liang_arena *a, const char *s, size_t n)
{
	char *p = liang_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *liang_arena_printf(liang_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	char small[256];
	int q = liang_fmt(small, sizeof small, fmt, ap);
	if (q >= 0 && (size_t)q < sizeof small) {
		va_end(ap);
		va_end(ap2);
		char *p = liang_arena_alloc(a, (size_t)q + 1);
		memcpy(p, small, (size_t)q + 1);
		return p;
	}
	va_end(ap);
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = liang_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

const char *liang_arena_grouped(liang_arena *a, const char *num)
{
	const char *p = num + (*num == '-' || *num == '+');
	size_t d = strspn(p, "0123456789");
	if (d < 5 || (p[d] && (p[d] != '.' || !p[d + 1] || p[d + 1 + strspn(p + d + 1, "0123456789")])))
		return num;
	size_t lead = (size_t)(p - num), rest = strlen(p + d);
	char *out = liang_arena_alloc(a, lead + d + (d - 1) / 3 + rest + 1), *o = out;
	memcpy(o, num, lead);
	o += lead;
	for (size_t i = 0; i < d; i++) {
		if (i && (d - i) % 3 == 0)
			*o++ = ',';
		*o++ = p[i];
	}
	memcpy(o, p + d, rest + 1);
	return out;
}

/* ------------------------------------------------------------- values */

liang_value liang_null = {.type = LIANG_V_NULL};

static liang_value *S_new(liang_arena *a, liang_vtype t)
{
	liang_value *v = liang_arena_alloc(a, sizeof *v);
	memset(v, 0, sizeof *v);
	v->type = t;
	return v;
}

liang_value *liang_v_strn(liang_arena *a, const char *s, size_t n)
{
	if (!s)
		return &liang_null;
	liang_value *v = S_new(a, LIANG_V_STR);
	v->u.str.s = liang_arena_strndup(a, s, n);
	v->u.str.len = n;
	return v;
}

liang_value *liang_v_str(liang_arena *a, const char *s)
{
	return s ? liang_v_strn(a, s, strlen(s)) : &liang_null;
}

liang_value *liang_v_html(liang_arena *a, const char *s, size_t n)
{
	liang_value *v = liang_v_strn(a, s ? s : "", s ? n : 0);
	v->type = LIANG_V_HTML;
	return v;
}

liang_value *liang_v_int(liang_arena *a, long long i)
{
	liang_value *v = S_new(a, LIANG_V_INT);
	v->u.i = i;
	return v;
}

liang_value *liang_v_num(liang_arena *a, double d)
{
	liang_value *v = S_new(a, LIANG_V_NUM);
	v->u.d = d;
	return v;
}

liang_value *liang_v_bool(liang_arena *a, bool b)
{
	liang_value *v = S_new(a, LIANG_V_BOOL);
	v->u.b = b;
	return v;
}

liang_value *liang_v_list(liang_arena *a)
{
	return S_new(a, LIANG_V_LIST);
}

liang_value *liang_v_map(liang_arena *a)
{
	return S_new(a, LIANG_V_MAP);
}

static void S_grow(liang_arena *a, liang_value *v)
{
	if (v->u.list.n < v->u.list.cap)
		return;
	size_t cap = v->u.list.cap ? v->u.list.cap * 2 : 8;
	liang_value **items = liang_arena_alloc(a, cap * sizeof *items);
	if (v->u.list.n)
		memcpy(items, v->u.list.items, v->u.list.n * sizeof *items);
	v->u.list.items = items;
	if (v->type == LIANG_V_MAP) {
		const char **keys = liang_arena_alloc(a, cap * sizeof *keys);
		if (v->u.list.n)
			memcpy(keys, v->u.list.keys, v->u.list.n * sizeof *keys);
		v->u.list.keys = keys;
	}
	v->u.list.cap = cap;
}

void liang_v_push(liang_arena *a, liang_value *list, liang_value *item)
{
	S_grow(a, list);
	list->u.list.items[list->u.list.n++] = item;
}

/* The slot of the key of n bytes at k in map, or NULL (first bytes
 * compared first: most keys differ there). */
static liang_value **S_slot(const liang_value *map, const char *k, size_t n)
{
	if (!map || map->type != LIANG_V_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.list.n; i++) {
		const char *key = map->u.list.keys[i];
		if (key[0] == k[0] && liang_key_is(key, k, n))
			return &map->u.list.items[i];
	}
	return NULL;
}

void liang_v_set(liang_arena *a, liang_value *map, const char *key, liang_value *v)
{
	liang_value **slot = S_slot(map, key, strlen(key));
	if (slot) {
		*slot = v;
		return;
	}
	liang_v_add(a, map, key, v);
}

void liang_v_add(liang_arena *a, liang_value *map, const char *key, liang_value *v)
{
	S_grow(a, map);
	map->u.list.keys[map->u.list.n] = key;
	map->u.list.items[map->u.list.n++] = v;
}

const liang_value *liang_v_find(liang_arena *a, const liang_value *v, const char *key, size_t n, size_t *hint)
{
	if (!n || (v->type != LIANG_V_MAP && v->type != LIANG_V_LIST))
		return NULL;
	if (v->type == LIANG_V_MAP) {
		liang_value **slot = S_slot(v, key, n);
		if (slot) {
			*hint = (size_t)(slot - v->u.list.items);
			return *slot;
		}
	}
	if (n == 6 && !memcmp(key, "length", 6))
		return liang_v_int(a, (long long)v->u.list.n);
	return NULL;
}

liang_value *liang_v_get(const liang_value *map, const char *key)
{
	liang_value **slot = S_slot(map, key, strlen(key));
	return slot ? *slot : NULL;
}

bool liang_v_truthy(const liang_value *v)
{
	switch (v->type) {
	case LIANG_V_NULL: return false;
	case LIANG_V_STR:
	case LIANG_V_HTML: return v->u.str.len > 0;
	case LIANG_V_INT: return v->u.i != 0;
	case LIANG_V_NUM: return v->u.d != 0;
	case LIANG_V_BOOL: return v->u.b;
	case LIANG_V_LIST:
	case LIANG_V_MAP: return v->u.list.n > 0;
	}
	return false;
}

const char *liang_v_text(liang_arena *a, const liang_value *v, size_t *len)
{
	const char *s;
	switch (v->type) {
	case LIANG_V_STR:
	case LIANG_V_HTML:
		*len = v->u.str.len;
		return v->u.str.s;
	case LIANG_V_INT: {
		char d[24];
		unsigned long long u = v->u.i < 0 ? 0ULL - (unsigned long long)v->u.i : (unsigned long long)v->u.i;
		*len = liang_digits(d, u, v->u.i < 0);
		return liang_arena_strndup(a, d, *len);
	}
	case LIANG_V_NUM:
		s = liang_arena_printf(a, "%g", v->u.d);
		break;
	case LIANG_V_BOOL:
		s = v->u.b ? "是" : "否";
		break;
	default:
		s = "";
	}
	*len = strlen(s);
	return s;
}

liang_value *liang_value_row(liang_arena *a, sqlite3_stmt *st)
{
	return liang_value_row_from(a, st, 0);
}

/* The value of column i of the current row of st. */
static liang_value *S_cell(liang_arena *a, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return liang_v_int(a, sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return liang_v_num(a, sqlite3_column_double(st, i));
	case SQLITE_NULL:
		return &liang_null;
	default:
		return liang_v_strn(a, (const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
	}
}

/* An empty map with room for columns first … n - 1 and the few keys
 * pages add, at once. */
static liang_value *S_row_map(liang_arena *a, int first, int n)
{
	liang_value *m = liang_v_map(a);
	size_t cap = (size_t)(n > first ? n - first : 0) + 8;
	m->u.list.items = liang_arena_alloc(a, cap * sizeof *m->u.list.items);
	m->u.list.keys = liang_arena_alloc(a, cap * sizeof *m->u.list.keys);
	m->u.list.cap = cap;
	return m;
}

liang_value *liang_value_row_from(liang_arena *a, sqlite3_stmt *st, int first)
{
	int n = sqlite3_column_count(st);
	liang_value *m = S_row_map(a, first, n);
	for (int i = first; i < n; i++) {
		liang_value *v = S_cell(a, st, i);
		/* column names live as long as the statement: copy them */
		const char *name = sqlite3_column_name(st, i);
		liang_v_set(a, m, liang_arena_strndup(a, name, strlen(name)), v);
	}
	return m;
}

void liang_rowkeys_free(liang_rowkeys *k)
{
	for (int i = 0; k->names && i < k->n; i++)
		free(k->names[i]);
	free(k->names);
	*k = (liang_rowkeys){0};
}

liang_value *liang_value_row_keyed(liang_arena *a, sqlite3_stmt *st, int first, liang_rowkeys *k)
{
	int n = sqlite3_column_count(st);
	if (k->st != st || k->first != first || k->n != n || !k->names) {
		liang_rowkeys_free(k);
		*k = (liang_rowkeys){st, first, n, true, liang_xcalloc((size_t)(n > 0 ? n : 1), sizeof *k->names)};
		for (int i = first; i < n; i++) {
			const char *name = sqlite3_column_name(st, i);
			k->names[i] = liang_xstrdup(name ? name : "");
			for (int j = first; j < i && k->unique; j++)
				k->unique = strcmp(k->names[j], k->names[i]) != 0;
		}
	}
	liang_value *m = S_row_map(a, first, n);
	for (int i = first; i < n; i++) {
		liang_value *v = S_cell(a, st, i);
		/* a name given twice: the later column, as liang_value_row_from */
		if (k->unique)
			liang_v_add(a, m, k->names[i], v);
		else
			liang_v_set(a, m, k->names[i], v);
	}
	return m;
}
