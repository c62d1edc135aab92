/* stats — named statistics, printed for people and for other programs. */
#include "stats.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strmap.h"
#include "util.h"

#include "diag.h"

const liang_stat liang_stats[] = {
	{"ranking", "综合得分排名", "认定考核七项指标的加权得分，全市、地区内、行业内排名（最新周期）"},
	{"satisfaction", "群众满意度", "最近四个季度的满意率、投诉数和整改率；样本不足的只列出、不排名"},
	{"activity", "活动开展情况", "本周期各集体的活动次数（按类型）、开放周次数和开展月份、参与人数、服务人次"},
	{"units", "管理单位考评", "各管理单位九项指标得分加上加分、减去减分，并排名"},
	{"quota", "名额与创建集体", "每个名额的创建集体数、倍数，是否达到规定倍数"},
	{"compliance", "合规检查", "名额倍数、非公推荐、每月开放周、活动留痕、结对实事、季度调查、投诉整改、到期复核"},
	{"totals", "总体情况", "集体数、职工与青年占比、非公占比、成员、本周期活动与服务人次、满意率（一行）"},
	{"levels", "按级别", "各级别集体数（全国、省级、市级、县级、创建）"},
	{"stars", "按星级", "各星级集体数"},
	{"region_levels", "地区 × 级别", "各地区各级别集体数"},
	{"industries", "按行业", "各行业集体数、创建集体数、职工、青年及青年占比"},
	{"ownership", "按性质", "各性质集体数及占比（含非公经济组织、社会组织）"},
	{"statuses", "按状态", "各状态集体数（含撤销）"},
	{"ages", "成员年龄结构", "成员按年龄段的人数（由出生年份汇总，不列个人）"},
	{"affiliations", "成员政治面貌", "成员按政治面貌的人数（只有汇总）"},
	{"activity_months", "活动按月", "本周期每月活动次数、开放周次数、参与人数、服务人次"},
	{"activity_kinds", "活动按类型", "本周期各类型活动次数、参与人数、服务人次"},
	{"satisfaction_bands", "满意率分布", "参与排名的集体按满意率分段的个数"},
};
const size_t liang_nstats = sizeof liang_stats / sizeof *liang_stats;

/* YYYY-MM of the i-th month from y-m0 (digits written directly: a
 * printf each was a noticeable part of compliance on preset L) */
static void S_month(liang_buf *b, int y, int m0, int i)
{
	int m = m0 - 1 + i;
	int yy = y + m / 12, mm = m % 12 + 1;
	if (yy > 9999) {
		liang_buf_printf(b, "%d-%02d", yy, mm);
		return;
	}
	char s[8] = {(char)('0' + yy / 1000 % 10), (char)('0' + yy / 100 % 10), (char)('0' + yy / 10 % 10),
		     (char)('0' + yy % 10), '-', (char)('0' + mm / 10), (char)('0' + mm % 10), '\0'};
	liang_buf_puts(b, s);
}

/* A set of months from a first one, as bits: what liang_months() makes.
 * A cycle is at most six years (load.c), so 96 months are plenty. */
#define MONTHS_MAX 96
typedef struct month_set {
	unsigned char bit[MONTHS_MAX / 8];
	int y, m; /* the first month */
	bool any;
} month_set;

/* "2025-01" (or the start of "2025-01-31") into year and month. */
static bool S_ym(const char *s, int *y, int *m)
{
	if (!s)
		return false;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	return *m >= 1 && *m <= 12;
}

/* liang_months(date, first): aggregate; the months (of the dates given)
 * counted from first, a BLOB with bit i for the i-th month; NULL when
 * no date falls in the 96 months from first. One pass, no sorting: the
 * months with a 开放周 of every collective. */
static void S_months_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	month_set *set = sqlite3_aggregate_context(ctx, sizeof *set);
	if (!set)
		return;
	int y, m, y0, m0;
	if (!S_ym((const char *)sqlite3_value_text(argv[0]), &y, &m) ||
	    !S_ym((const char *)sqlite3_value_text(argv[1]), &y0, &m0))
		return;
	int i = (y - y0) * 12 + (m - m0);
	if (i < 0 || i >= MONTHS_MAX)
		return;
	set->bit[i / 8] |= (unsigned char)(1u << (i % 8));
	set->any = true;
}

static void S_months_final(sqlite3_context *ctx)
{
	month_set *set = sqlite3_aggregate_context(ctx, 0);
	if (!set || !set->any) {
		sqlite3_result_null(ctx);
		return;
	}
	int n = MONTHS_MAX / 8;
	while (n > 1 && !set->bit[n - 1])
		n--;
	sqlite3_result_blob(ctx, set->bit, n, SQLITE_TRANSIENT);
}

/* Bit i of a month set, a BLOB from liang_months(); NULL is the empty
 * set. */
static bool S_held(sqlite3_value *v, int i)
{
	if (sqlite3_value_type(v) != SQLITE_BLOB)
		return false;
	const unsigned char *b = sqlite3_value_blob(v);
	int n = sqlite3_value_bytes(v);
	return b && i / 8 < n && (b[i / 8] >> (i % 8) & 1);
}

/* liang_months_missed(set, 'YYYY-MM', n): of the n months from the one
 * given, those not in set, as runs ("2025-01 至 2025-04、2025-06");
 * NULL when none is missed. */
static void S_months_missed(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	int y, m;
	int n = sqlite3_value_int(argv[2]);
	if (!S_ym((const char *)sqlite3_value_text(argv[1]), &y, &m) || n <= 0) {
		sqlite3_result_null(ctx);
		return;
	}
	if (n > MONTHS_MAX)
		n = MONTHS_MAX;
	liang_buf out = LIANG_BUF_INIT;
	for (int i = 0; i < n; i++) {
		if (S_held(argv[0], i))
			continue;
		int j = i;
		while (j + 1 < n && !S_held(argv[0], j + 1))
			j++;
		if (out.len)
			liang_buf_puts(&out, "、");
		S_month(&out, y, m, i);
		if (j > i) {
			liang_buf_puts(&out, " 至 ");
			S_month(&out, y, m, j);
		}
		i = j;
	}
	if (out.len)
		sqlite3_result_text(ctx, liang_buf_detach(&out), -1, free);
	else
		sqlite3_result_null(ctx);
	liang_buf_free(&out);
}

/* liang_months_list(set, 'YYYY-MM'): the months in set, oldest first,
 * ';'-separated ("2025-01;2025-03"); NULL when there are none. */
static void S_months_list(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	int y, m;
	if (!S_ym((const char *)sqlite3_value_text(argv[1]), &y, &m)) {
		sqlite3_result_null(ctx);
		return;
	}
	liang_buf out = LIANG_BUF_INIT;
	for (int i = 0; i < MONTHS_MAX; i++)
		if (S_held(argv[0], i)) {
			if (out.len)
				liang_buf_putc(&out, ';');
			S_month(&out, y, m, i);
		}
	if (out.len)
		sqlite3_result_text(ctx, liang_buf_detach(&out), -1, free);
	else
		sqlite3_result_null(ctx);
	liang_buf_free(&out);
}

/* s (n bytes) as a JSON string, quotes included. */
static void S_json_escape(liang_buf *b, const char *s, size_t n)
{
	liang_buf_putc(b, '"');
	for (const char *end = s + n; s < end;) {
		const char *run = s;
		while (s < end && (unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
			s++;
		liang_buf_put(b, run, (size_t)(s - run));
		if (s == end)
			break;
		unsigned char c = (unsigned char)*s++;
		if (c == '"' || c == '\\') {
			liang_buf_putc(b, '\\');
			liang_buf_putc(b, c);
		} else if (c == '\n') {
			liang_buf_puts(b, "\\n");
		} else if (c == '\t') {
			liang_buf_puts(b, "\\t");
		} else {
			liang_buf_printf(b, "\\u%04x", c);
		}
	}
	liang_buf_putc(b, '"');
}

/* liang_tally(key, a, b): aggregate; for each distinct key (text) the
 * rows, Σa and Σb (integers; NULL counts 0), as a JSON array of
 * [key, rows, Σa, Σb] in the byte order of the keys; NULL for no rows.
 * One pass and no sorting of the rows, where GROUP BY sorts every one
 * of them to make a few hundred groups. */
typedef struct tally {
	liang_strmap keys; /* key → index into sums */
	long long (*sums)[3];
	size_t n, cap;
} tally;

static void S_tally_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	tally **pt = sqlite3_aggregate_context(ctx, sizeof *pt);
	if (!pt)
		return;
	if (!*pt) {
		*pt = liang_xcalloc(1, sizeof **pt);
		liang_strmap_init(&(*pt)->keys);
	}
	tally *t = *pt;
	const char *key = (const char *)sqlite3_value_text(argv[0]);
	if (!key)
		return;
	size_t len = (size_t)sqlite3_value_bytes(argv[0]);
	long *slot = liang_strmap_get(&t->keys, key, len);
	size_t i;
	if (slot) {
		i = (size_t)*slot;
	} else {
		if (t->n == t->cap)
			t->sums = liang_xrealloc(t->sums, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof *t->sums);
		i = t->n++;
		t->sums[i][0] = t->sums[i][1] = t->sums[i][2] = 0;
		liang_strmap_add(&t->keys, key, len, (long)i, NULL);
	}
	t->sums[i][0]++;
	t->sums[i][1] += sqlite3_value_int64(argv[1]);
	t->sums[i][2] += sqlite3_value_int64(argv[2]);
}

static int S_slot_cmp(const void *a, const void *b)
{
	const liang_strmap_slot *x = *(const liang_strmap_slot *const *)a, *y = *(const liang_strmap_slot *const *)b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void S_tally_final(sqlite3_context *ctx)
{
	tally **pt = sqlite3_aggregate_context(ctx, 0);
	tally *t = pt ? *pt : NULL;
	if (!t || !t->n) {
		sqlite3_result_null(ctx);
	} else {
		const liang_strmap_slot **v = liang_xmalloc(t->n * sizeof *v);
		size_t k = 0;
		for (size_t i = 0; i < t->keys.cap; i++)
			if (t->keys.slots[i].key)
				v[k++] = &t->keys.slots[i];
		qsort(v, k, sizeof *v, S_slot_cmp);
		liang_buf b = LIANG_BUF_INIT;
		liang_buf_putc(&b, '[');
		for (size_t i = 0; i < k; i++) {
			liang_buf_puts(&b, i ? ",[" : "[");
			S_json_escape(&b, v[i]->key, v[i]->len);
			long long *x = t->sums[v[i]->value];
			liang_buf_printf(&b, ",%lld,%lld,%lld]", x[0], x[1], x[2]);
		}
		liang_buf_putc(&b, ']');
		sqlite3_result_text(ctx, liang_buf_cstr(&b), (int)b.len, SQLITE_TRANSIENT);
		liang_buf_free(&b);
		free(v);
	}
	if (t) {
		liang_strmap_free(&t->keys);
		free(t->sums);
		free(t);
	}
}

int liang_stats_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = sqlite3_create_function(db, "liang_months_missed", 3, flags, NULL, S_months_missed, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "liang_months_list", 2, flags, NULL, S_months_list, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "liang_months", 2, flags, NULL, NULL, S_months_step, S_months_final);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "liang_tally", 3, flags, NULL, NULL, S_tally_step, S_tally_final);
	return rc;
}

/* ------------------------------------------------ shared base tables */

typedef struct shared_base {
	char name[64];
	int state;            /* 0 nobody has it, 1 being made, 2 ready, -1 failed */
	unsigned char *image; /* a database holding just that table */
	sqlite3_int64 size;
} shared_base;

struct liang_stat_share {
	pthread_mutex_t lock;
	pthread_cond_t done;
	shared_base base[8];
	size_t n;
};

static _Thread_local liang_stat_share *S_share;

liang_stat_share *liang_stat_share_new(void)
{
	liang_stat_share *sh = liang_xcalloc(1, sizeof *sh);
	pthread_mutex_init(&sh->lock, NULL);
	pthread_cond_init(&sh->done, NULL);
	return sh;
}

void liang_stat_share_free(liang_stat_share *sh)
{
	if (!sh)
		return;
	for (size_t i = 0; i < sh->n; i++)
		sqlite3_free(sh->base[i].image);
	pthread_mutex_destroy(&sh->lock);
	pthread_cond_destroy(&sh->done);
	free(sh);
}

void liang_stat_share_use(liang_stat_share *sh)
{
	S_share = sh;
}

/* Is there a table of that name in any database of db? */
static bool S_table_exists(sqlite3 *db, const char *table)
{
	return sqlite3_table_column_metadata(db, NULL, table, NULL, NULL, NULL, NULL, NULL, NULL) == SQLITE_OK;
}

/* Make table (base_NAME) from its query q: in a database of its own,
 * attached under the table's name, when it is to be shared; else as a
 * temporary table. */
static int S_base_make(sqlite3 *db, const char *table, const char *q, bool own_db)
{
	char *sql = own_db ? sqlite3_mprintf("ATTACH ':memory:' AS \"%w\"; CREATE TABLE \"%w\".\"%w\" AS %s", table,
					   table, table, q)
			   : sqlite3_mprintf("CREATE TEMP TABLE \"%w\" AS %s", table, q);
	int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	return rc;
}

/* Attach the image another connection made of table, read in place. */
static int S_base_map(sqlite3 *db, const char *table, shared_base *b)
{
	char *sql = sqlite3_mprintf("ATTACH ':memory:' AS \"%w\"", table);
	int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_deserialize(db, table, b->image, b->size, b->size, SQLITE_DESERIALIZE_READONLY);
	if (rc == SQLITE_OK) {
		sql = sqlite3_mprintf("PRAGMA \"%w\".mmap_size=%lld", table, (long long)b->size);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_free(sql);
	}
	return rc;
}

/* Make the table base_NAME of stats.sql on db unless it is there: the
 * rows several statistics share, read from the data once. Between the
 * connections of liang_stat_share_use (the threads of `liang stats all`
 * and of a build) it is made once in all: the first to need it makes it,
 * the others attach a read-only image of it (waiting while it is being made; a base
 * table reads only data tables, so no two threads wait for each other). */
static int S_base(sqlite3 *db, const char *name, size_t len)
{
	char table[64];
	if (len >= sizeof table)
		return SQLITE_ERROR;
	memcpy(table, name, len);
	table[len] = '\0';
	if (S_table_exists(db, table))
		return SQLITE_OK;
	const char *q = liang_query_find(table);
	if (!q)
		return SQLITE_ERROR;
	liang_stat_share *sh = S_share;
	shared_base *b = NULL;
	if (sh) {
		pthread_mutex_lock(&sh->lock);
		for (size_t i = 0; i < sh->n && !b; i++)
			if (!strcmp(sh->base[i].name, table))
				b = &sh->base[i];
		if (!b && sh->n < sizeof sh->base / sizeof *sh->base) {
			b = &sh->base[sh->n++];
			memcpy(b->name, table, len + 1);
		}
		while (b && b->state == 1)
			pthread_cond_wait(&sh->done, &sh->lock);
		int state = b ? b->state : -1;
		if (b && state == 0)
			b->state = 1;
		pthread_mutex_unlock(&sh->lock);
		if (state == 2)
			return S_base_map(db, table, b);
		if (state != 0)
			b = NULL; /* not to be shared: made here, as a temporary table */
	}
	int rc = S_base_make(db, table, q, b != NULL);
	if (b) {
		sqlite3_int64 size = 0;
		unsigned char *image = rc == SQLITE_OK ? sqlite3_serialize(db, table, &size, 0) : NULL;
		pthread_mutex_lock(&sh->lock);
		b->image = image;
		b->size = size;
		b->state = image ? 2 : -1;
		pthread_cond_broadcast(&sh->done);
		pthread_mutex_unlock(&sh->lock);
	}
	return rc;
}

const char *liang_stat_sql(sqlite3 *db, const char *name)
{
	const char *sql = liang_query_find(name);
	if (!sql)
		return NULL;
	/* every base_… the query names (stats.sql writes them so) */
	for (const char *p = sql; (p = strstr(p, "base_")) != NULL;) {
		size_t n = 5;
		while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
			n++;
		bool word = p == sql || !((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_');
		if (word && S_base(db, p, n) != SQLITE_OK)
			return NULL;
		p += n;
	}
	return sql;
}

const liang_stat *liang_stat_find(const char *name)
{
	for (size_t i = 0; i < liang_nstats; i++)
		if (!strcmp(liang_stats[i].name, name))
			return &liang_stats[i];
	return NULL;
}

/* v with each byte of special written as instead: the runs between go
 * out whole (one fputc per byte was most of the time of a long
 * statistic: compliance on preset L is 45 MB). */
static void S_put_runs(FILE *fp, const char *v, const char *special, const char *instead)
{
	while (*v) {
		size_t n = strcspn(v, special);
		fwrite(v, 1, n, fp);
		v += n;
		if (*v) {
			fputs(instead, fp);
			v++;
		}
	}
}

static void S_tsv(FILE *fp, const char *v)
{
	/* a tab or a line end inside a value would break the row */
	if (v)
		S_put_runs(fp, v, "\t\n\r", " ");
}

static void S_csv(FILE *fp, const char *v)
{
	if (!v)
		return;
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, fp);
		return;
	}
	fputc('"', fp);
	S_put_runs(fp, v, "\"", "\"\"");
	fputc('"', fp);
}

static void S_json_string(FILE *fp, const char *v)
{
	liang_buf b = LIANG_BUF_INIT;
	S_json_escape(&b, v, strlen(v));
	fwrite(b.ptr, 1, b.len, fp);
	liang_buf_free(&b);
}

int liang_stats_print(sqlite3 *db, const char *name, liang_format f, FILE *fp)
{
	const char *sql = liang_stat_sql(db, name);
	sqlite3_stmt *st = NULL;
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "liang: error: 统计 %s 出错（liang 的缺陷）：%s\n", name, sqlite3_errmsg(db));
		return -1;
	}
	int n = sqlite3_column_count(st);
	if (f != LIANG_JSON) {
		if (f == LIANG_CSV)
			fputs("\xEF\xBB\xBF", fp); /* so that Excel reads UTF-8 */
		for (int i = 0; i < n; i++) {
			if (i)
				fputc(f == LIANG_TSV ? '\t' : ',', fp);
			fputs(sqlite3_column_name(st, i), fp);
		}
		fputs(f == LIANG_CSV ? "\r\n" : "\n", fp);
	} else {
		fputc('[', fp);
	}
	long rows = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (f == LIANG_JSON) {
			fputs(rows ? ",\n  {" : "\n  {", fp);
			for (int i = 0; i < n; i++) {
				if (i)
					fputs(", ", fp);
				S_json_string(fp, sqlite3_column_name(st, i));
				fputs(": ", fp);
				int t = sqlite3_column_type(st, i);
				const char *v = (const char *)sqlite3_column_text(st, i);
				if (t == SQLITE_NULL)
					fputs("null", fp);
				else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
					fputs(v, fp);
				else
					S_json_string(fp, v);
			}
			fputc('}', fp);
		} else {
			for (int i = 0; i < n; i++) {
				if (i)
					fputc(f == LIANG_TSV ? '\t' : ',', fp);
				const char *v = (const char *)sqlite3_column_text(st, i);
				if (f == LIANG_TSV)
					S_tsv(fp, v);
				else
					S_csv(fp, v);
			}
			fputs(f == LIANG_CSV ? "\r\n" : "\n", fp);
		}
		rows++;
	}
	if (f == LIANG_JSON)
		fputs(rows ? "\n]\n" : "]\n", fp);
	if (rc != SQLITE_DONE)
		fprintf(stderr, "liang: error: 统计 %s 出错（liang 的缺陷）：%s\n", name, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void liang_stats_warnings(liang_site *s)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, liang_query("assessment_missing"), -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW)
		liang_warning(s->diags, "data/assessments.csv", sqlite3_column_int(st, 0), 1,
			      "集体 %s 在周期 %s 缺少指标“%s”的得分，综合得分中按 0 分计算",
			      (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 3),
			      (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
}
