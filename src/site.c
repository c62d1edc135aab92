/* site — one site: configuration, database, shared checks. */
#define _GNU_SOURCE
#include "site.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "content.h"
#include "embed.h"
#include "i18n.h"
#include "imgproc.h"
#include "load.h"
#include "privacy.h"
#include "progress.h"
#include "sqlmem.h"
#include "stats.h"
#include "text.h"
#include "util.h"
#include "yamltree.h"

/* ------------------------------------------------------------ site.yaml */

static const char *const S_config_keys[] = {
	"title", "city", "organization", "description", "base_url", "theme",
	"build_date", "allow_raw_html", "allow_personal_data", "quota_ratio", "local_links", "stats", "pdf", "pdf_font", "posters_per_file", NULL,
};

const char *const liang_items[LIANG_NITEMS] = {"基础建设", "制度建设", "工作业绩", "创建特色",
					       "创建成效", "社会评价", "团建工作"};

static bool S_number(const liang_ynode *v, double lo, double hi, double *out)
{
	char *end = NULL;
	double r = v->type == LIANG_Y_SCALAR ? strtod(v->value, &end) : -1;
	if (!end || end == v->value || *end || r < lo || r > hi)
		return false;
	*out = r;
	return true;
}

static void S_set_string(liang_site *s, char **dst, liang_ynode *v, const char *file,
			 const char *key);

/* stats: { cycle, weights: {item: w}, min_responses, review_years, min_deeds } */
static void S_stats_config(liang_site *s, liang_ynode *m, const char *file)
{
	liang_config *c = &s->config;
	if (m->type != LIANG_Y_MAP) {
		liang_error(s->diags, file, m->line, m->col, "stats 应为一组设置（cycle、weights、min_responses、review_years、min_deeds）");
		return;
	}
	for (size_t i = 0; i < m->n; i++) {
		const char *k = m->items[i]->value;
		liang_ynode *v = m->values[i];
		double d;
		if (!strcmp(k, "cycle")) {
			/* as the data spell it once loaded, so that it matches */
			char norm[32];
			if (v->type == LIANG_Y_SCALAR && !liang_parse_cycle(v->value, norm)) {
				liang_error(s->diags, file, v->line, v->col,
					    "stats.cycle “%s” 不是周期（应写作 2025-2026，最长六年）", v->value);
				continue;
			}
			S_set_string(s, &c->stats_cycle, v, file, k);
			if (v->type == LIANG_Y_SCALAR) {
				free(c->stats_cycle);
				c->stats_cycle = liang_xstrdup(norm);
			}
		} else if (!strcmp(k, "min_responses") || !strcmp(k, "review_years") || !strcmp(k, "min_deeds")) {
			long *dst = !strcmp(k, "min_responses") ? &c->min_responses
				    : !strcmp(k, "review_years") ? &c->review_years : &c->min_deeds;
			if (!S_number(v, 0, 1e9, &d) || d != (double)(long)d)
				liang_error(s->diags, file, v->line, v->col, "stats.%s 应为不小于 0 的整数", k);
			else
				*dst = (long)d;
		} else if (!strcmp(k, "weights")) {
			if (v->type != LIANG_Y_MAP) {
				liang_error(s->diags, file, v->line, v->col, "stats.weights 应为“指标: 权重”，如 工作业绩: 2");
				continue;
			}
			double sum = 0;
			for (size_t j = 0; j < v->n; j++) {
				const char *item = v->items[j]->value;
				int at = -1;
				for (int q = 0; q < LIANG_NITEMS; q++)
					if (!strcmp(item, liang_items[q]))
						at = q;
				if (at < 0) {
					liang_error(s->diags, file, v->items[j]->line, v->items[j]->col,
						    "stats.weights 中的“%s”不是考核指标（可用：基础建设、制度建设、工作业绩、"
						    "创建特色、创建成效、社会评价、团建工作）", item);
				} else if (!S_number(v->values[j], 0, 1000, &d)) {
					liang_error(s->diags, file, v->values[j]->line, v->values[j]->col,
						    "指标“%s”的权重应为 0 到 1000 之间的数", item);
				} else {
					c->weights[at] = d;
				}
			}
			for (int q = 0; q < LIANG_NITEMS; q++)
				sum += c->weights[q];
			if (sum <= 0)
				liang_error(s->diags, file, v->line, v->col, "stats.weights 的权重不能全为 0");
		} else {
			liang_warning(s->diags, file, m->items[i]->line, m->items[i]->col,
				      "未知的设置项 stats.%s，已忽略（可用：cycle、weights、min_responses、review_years、min_deeds）", k);
		}
	}
}

static bool S_valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static void S_config_defaults(liang_config *c)
{
	c->title = liang_xstrdup("青年文明号");
	c->city = liang_xstrdup("");
	c->organization = liang_xstrdup("");
	c->description = liang_xstrdup("");
	c->base_url = liang_xstrdup("/");
	c->theme = liang_xstrdup("default");
	c->build_date = NULL;
	c->quota_ratio = 1.5;
	for (int q = 0; q < LIANG_NITEMS; q++)
		c->weights[q] = 1;
	c->min_responses = 30;
	c->posters_per_file = 2000;
	c->review_years = 2;
	c->min_deeds = 2;
	c->pdf = true;
}

static void S_config_free(liang_config *c)
{
	free(c->title);
	free(c->city);
	free(c->organization);
	free(c->description);
	free(c->base_url);
	free(c->theme);
	free(c->build_date);
	free(c->stats_cycle);
	free(c->pdf_font);
	memset(c, 0, sizeof *c);
}

static void S_set_string(liang_site *s, char **dst, liang_ynode *v, const char *file,
			 const char *key)
{
	if (v->type != LIANG_Y_SCALAR) {
		liang_error(s->diags, file, v->line, v->col, "%s 应为一段文字", key);
		return;
	}
	free(*dst);
	*dst = liang_xstrdup(v->value);
}

static void S_set_bool(liang_site *s, bool *dst, liang_ynode *v, const char *file,
		       const char *key)
{
	int b = liang_yscalar_bool(v);
	if (b < 0) {
		liang_error(s->diags, file, v->line, v->col, "%s 应为 true 或 false", key);
		return;
	}
	*dst = b;
}

static void S_config_load(liang_site *s)
{
	const char *file = "site.yaml";
	char *path = liang_path_join(s->root, file);
	size_t len;
	char *raw = liang_file_read(path, &len);
	free(path);
	if (!raw) {
		if (errno != ENOENT)
			liang_error(s->diags, file, 0, 0, "无法读取：%s", strerror(errno));
		return; /* no site.yaml: the documented defaults */
	}
	liang_encoding enc;
	liang_decode_error derr;
	size_t tlen;
	char *text = liang_text_decode(raw, len, true, &enc, &tlen, &derr);
	free(raw);
	if (!text) {
		liang_error(s->diags, file, derr.line, derr.col, "%s", derr.message);
		return;
	}
	liang_ynode *root = NULL;
	char *msg = NULL;
	long el, ec;
	if (liang_yaml_parse(text, tlen, 0, &root, &msg, &el, &ec) < 0) {
		liang_error(s->diags, file, el, ec, "%s", msg);
		free(msg);
		free(text);
		return;
	}
	free(text);
	if (!root) /* an empty file */
		return;
	if (root->type != LIANG_Y_MAP) {
		liang_error(s->diags, file, root->line, root->col,
			    "site.yaml 应由“键: 值”组成（例如 title: 某市青年文明号）");
		liang_ynode_free(root);
		return;
	}
	liang_config *c = &s->config;
	for (size_t i = 0; i < root->n; i++) {
		const char *k = root->items[i]->value;
		liang_ynode *v = root->values[i];
		if (!strcmp(k, "title"))
			S_set_string(s, &c->title, v, file, k);
		else if (!strcmp(k, "city"))
			S_set_string(s, &c->city, v, file, k);
		else if (!strcmp(k, "organization"))
			S_set_string(s, &c->organization, v, file, k);
		else if (!strcmp(k, "description"))
			S_set_string(s, &c->description, v, file, k);
		else if (!strcmp(k, "theme"))
			S_set_string(s, &c->theme, v, file, k);
		else if (!strcmp(k, "base_url")) {
			S_set_string(s, &c->base_url, v, file, k);
			size_t n = strlen(c->base_url);
			if (n == 0 || c->base_url[n - 1] != '/') {
				char *t = liang_xasprintf("%s/", c->base_url);
				free(c->base_url);
				c->base_url = t;
			}
		} else if (!strcmp(k, "build_date")) {
			S_set_string(s, &c->build_date, v, file, k);
			if (c->build_date && !S_valid_date(c->build_date)) {
				liang_error(s->diags, file, v->line, v->col,
					    "build_date “%s” 不是有效日期（应写作 2026-05-03）", c->build_date);
				free(c->build_date);
				c->build_date = NULL;
			}
		} else if (!strcmp(k, "allow_raw_html"))
			S_set_bool(s, &c->allow_raw_html, v, file, k);
		else if (!strcmp(k, "allow_personal_data"))
			S_set_bool(s, &c->allow_personal_data, v, file, k);
		else if (!strcmp(k, "local_links"))
			S_set_bool(s, &c->local_links, v, file, k);
		else if (!strcmp(k, "stats"))
			S_stats_config(s, v, file);
		else if (!strcmp(k, "pdf"))
			S_set_bool(s, &c->pdf, v, file, k);
		else if (!strcmp(k, "posters_per_file")) {
			double d;
			if (!S_number(v, 1, 1e6, &d) || d != (double)(long)d)
				liang_error(s->diags, file, v->line, v->col, "posters_per_file 应为 1 到 1000000 之间的整数");
			else
				c->posters_per_file = (long)d;
		}
		else if (!strcmp(k, "pdf_font")) {
			/* relative to the site; whether it is a usable font is
			 * checked when the reports are made */
			free(c->pdf_font);
			c->pdf_font = NULL;
			S_set_string(s, &c->pdf_font, v, file, k);
			if (c->pdf_font && *c->pdf_font != '/') {
				char *full = liang_path_join(s->root, c->pdf_font);
				free(c->pdf_font);
				c->pdf_font = full;
			}
			if (c->pdf_font && !liang_is_file(c->pdf_font)) {
				liang_error(s->diags, file, v->line, v->col, "pdf_font 指定的字体文件 %s 不存在",
					    v->type == LIANG_Y_SCALAR ? v->value : c->pdf_font);
				free(c->pdf_font);
				c->pdf_font = NULL;
			}
			c->pdf_font_line = v->line;
			c->pdf_font_col = v->col;
		}
		else if (!strcmp(k, "quota_ratio")) {
			char *end = NULL;
			double r = v->type == LIANG_Y_SCALAR ? strtod(v->value, &end) : -1;
			if (!end || *end || r < 0 || r > 100)
				liang_error(s->diags, file, v->line, v->col, "quota_ratio 应为一个不小于 0 的数（如 1.5）");
			else
				c->quota_ratio = r;
		}
		else {
			liang_buf known = LIANG_BUF_INIT;
			for (const char *const *q = S_config_keys; *q; q++)
				liang_buf_printf(&known, "%s%s", q == S_config_keys ? "" : "、", *q);
			liang_warning(s->diags, file, root->items[i]->line, root->items[i]->col,
				      "未知的设置项 %s，已忽略（可用：%s）", k, liang_buf_cstr(&known));
			liang_buf_free(&known);
		}
	}
	liang_ynode_free(root);
}

/* ----------------------------------------------------------- open/close */

int liang_site_open(liang_site *s, const char *root, liang_diags *diags, bool quiet)
{
	return liang_site_open_for(s, root, diags, quiet, false);
}

int liang_site_open_for(liang_site *s, const char *root, liang_diags *diags, bool quiet, bool readers)
{
	memset(s, 0, sizeof *s);
	s->root = liang_xstrdup(root);
	s->diags = diags;
	s->quiet = quiet;
	s->progress = !quiet && isatty(2);
	s->by_collective = true;
	s->content_dir = liang_path_join(root, "content");
	s->content_real = realpath(s->content_dir, NULL);
	liang_strmap_init(&s->collective_ids);
	liang_strmap_init(&s->regions);
	liang_strmap_init(&s->industries);
	liang_strmap_init(&s->public_numbers);
	liang_strmap_init(&s->paths);
	liang_strmap_init(&s->real_dirs);
	liang_strmap_init(&s->photo_memo);
	liang_sqlcache_init(&s->sqlcache);
	pthread_mutex_init(&s->paths_lock, NULL);
	S_config_defaults(&s->config);

	if (!liang_is_dir(root)) {
		liang_error(diags, NULL, 0, 0, "站点目录 %s 不存在", root);
		return -1;
	}
	S_config_load(s);

	/* SQLite's memory (no statistics, liang's allocator) */
	liang_sqlmem_install();
	/* In memory. For readers, in one contiguous image ("memdb") that
	 * other threads can map once it is loaded (liang_site_reader); it
	 * loads about as fast as a plain in-memory database. */
	if (sqlite3_open_v2(readers ? "file:liang?vfs=memdb" : ":memory:", &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
				    SQLITE_OPEN_URI,
			    NULL) != SQLITE_OK) {
		liang_error(diags, NULL, 0, 0, "无法创建数据库：%s", sqlite3_errmsg(s->db));
		return -1;
	}
	if (readers)
		liang_site_reserve(s->db, liang_site_room(s));
	liang_stats_register(s->db);
	liang_site_tune(s->db);
	char *err = NULL;
	if (sqlite3_exec(s->db, liang_embedded_text("src/schema.sql"), NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(s->db, liang_embedded_text("src/views.sql"), NULL, NULL, &err) != SQLITE_OK) {
		liang_error(diags, NULL, 0, 0, "数据库结构有误（liang 的缺陷）：%s", err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

void liang_site_tune(sqlite3 *db)
{
	/* a memdb image spills from a 64 MB page cache: a larger one was
	 * slower to load L and took more memory. Debian's SQLite zeroes
	 * whatever it frees in a page (secure_delete on by default), which
	 * guards a file on disk; these databases live in memory and go
	 * away with the run. */
	sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
			 "PRAGMA secure_delete=OFF; PRAGMA cache_size=-65536;",
		     NULL, NULL, NULL);
	liang_site_unbound(db, "main");
}

void liang_site_reserve(sqlite3 *db, sqlite3_int64 room)
{
	/* from SQLite's allocator (sqlmem.c), which frees it: without the
	 * room the image grows as it goes, and the run goes on */
	unsigned char *image = room > 0 ? sqlite3_malloc64((sqlite3_uint64)room) : NULL;
	if (image) /* SQLite frees it, on failure too; a large one asked for huge pages (sqlmem.c) */
		sqlite3_deserialize(db, "main", image, 0, room,
				    SQLITE_DESERIALIZE_RESIZEABLE | SQLITE_DESERIALIZE_FREEONCLOSE);
}

long long liang_data_bytes(const char *root)
{
	long long bytes = 0;
	for (size_t i = 0; i < liang_ntables; i++) {
		char *path = liang_xasprintf("%s/data/%s.csv", root, liang_tables[i].name);
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			bytes += (long long)sb.st_size;
		free(path);
	}
	return bytes;
}

sqlite3_int64 liang_site_room(const liang_site *s)
{
	/* each of the two loading databases came to at most the size of all
	 * the CSV files (M: 8.5 and 6.0 MB for 8.6 MB of data; L: 217 and
	 * 151 MB for 218 MB); beyond the room an image still grows, without
	 * a copy once it is large, but only to 2 GB (SQLite's realloc stops
	 * there), so the room is not capped. Room not written costs address
	 * space only (and commit charge where overcommit is strict). */
	return (sqlite3_int64)liang_data_bytes(s->root) + (16 << 20);
}

void liang_site_unbound(sqlite3 *db, const char *schema)
{
	/* SQLite stops a memdb image at 1 GB by default, and a larger site
	 * then failed to load with "database disk image is malformed"; a
	 * plain in-memory database is limited by memory alone */
	sqlite3_int64 limit = LIANG_DB_LIMIT;
	sqlite3_file_control(db, schema, SQLITE_FCNTL_SIZE_LIMIT, &limit);
}

void liang_site_params(liang_site *s)
{
	liang_config *c = &s->config;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO data_params(key, value) VALUES (?1, ?2)", -1, &st,
			       NULL) != SQLITE_OK)
		return;
	struct {
		const char *key;
		double value;
	} nums[] = {{"quota_ratio", c->quota_ratio},
		    {"min_responses", (double)c->min_responses},
		    {"review_years", (double)c->review_years},
		    {"min_deeds", (double)c->min_deeds}};
	for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
		sqlite3_bind_text(st, 1, nums[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, nums[i].value);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	const char *texts[][2] = {{"build_date", s->build_date}, {"cycle", c->stats_cycle}};
	for (size_t i = 0; i < 2; i++) {
		if (!texts[i][1])
			continue;
		sqlite3_bind_text(st, 1, texts[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, texts[i][1], -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO data_weights(item, weight) VALUES (?1, ?2)", -1, &st,
			       NULL) != SQLITE_OK)
		return;
	for (int q = 0; q < LIANG_NITEMS; q++) {
		sqlite3_bind_text(st, 1, liang_items[q], -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, c->weights[q]);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* Map schema of s->db into db, read-only: 0 or -1. */
static int S_map(liang_site *s, sqlite3 *db, const char *schema)
{
	sqlite3_int64 size = 0;
	unsigned char *image = sqlite3_serialize(s->db, schema, &size, SQLITE_SERIALIZE_NOCOPY);
	/* Read-only and not resizable: SQLite then maps the pages instead of
	 * copying each one it reads. */
	if (!image || sqlite3_deserialize(db, schema, image, size, size, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
		return -1;
	char *pragma = sqlite3_mprintf("PRAGMA %s.mmap_size=%lld", schema, (long long)size);
	sqlite3_exec(db, pragma, NULL, NULL, NULL);
	sqlite3_free(pragma);
	return 0;
}

sqlite3 *liang_site_reader(liang_site *s)
{
	sqlite3 *db = NULL;
	/* No image (a database opened without readers) or no connection:
	 * the caller works on s->db alone. */
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL) !=
		    SQLITE_OK ||
	    S_map(s, db, "main") < 0 ||
	    (s->aux &&
	     (sqlite3_exec(db, "ATTACH ':memory:' AS aux", NULL, NULL, NULL) != SQLITE_OK || S_map(s, db, "aux") < 0)) ||
	    /* (as liang_site_tune; databases attached later take it over) */
	    sqlite3_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=OFF", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, liang_embedded_text("src/views.sql"), NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	liang_i18n_register(db);
	liang_stats_register(db);
	return db;
}

void liang_site_close(liang_site *s)
{
	if (s->db)
		sqlite3_close(s->db);
	sqlite3_close(s->aux); /* after db: it holds aux's pages */
	liang_content_free_stories(s);
	S_config_free(&s->config);
	liang_strmap_free(&s->collective_ids);
	liang_strmap_free(&s->regions);
	liang_strmap_free(&s->industries);
	liang_strmap_free(&s->public_numbers);
	liang_strmap_free(&s->paths);
	liang_strmap_free(&s->real_dirs);
	free(s->images);
	liang_strmap_free(&s->photo_memo);
	free(s->memo);
	free(s->memo_path);
	liang_sqlcache_free(&s->sqlcache);
	pthread_mutex_destroy(&s->paths_lock);
	free(s->root);
	free(s->content_dir);
	free(s->content_real);
	memset(s, 0, sizeof *s);
}

/* ----------------------------------------------------------- build date */

static long long S_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01. */
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void liang_site_date(liang_site *s)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		errno = 0;
		long long t = strtoll(sde, &end, 10);
		if (errno == 0 && *end == '\0' && t >= 0) {
			time_t tt = (time_t)t;
			struct tm tm;
			gmtime_r(&tt, &tm);
			strftime(s->build_date, sizeof s->build_date, "%Y-%m-%d", &tm);
			s->epoch = t;
			return;
		}
		liang_warning(s->diags, NULL, 0, 0,
			      "环境变量 SOURCE_DATE_EPOCH=“%s” 不是有效的秒数，已忽略", sde);
	}
	const char *d = s->config.build_date;
	const unsigned char *newest = NULL;
	sqlite3_stmt *st = NULL;
	if (!d && sqlite3_prepare_v2(s->db, liang_query("newest_date"), -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		newest = sqlite3_column_text(st, 0);
	if (!d && newest && S_valid_date((const char *)newest))
		d = (const char *)newest;
	if (!d)
		d = "2000-01-01"; /* no dated input at all */
	memcpy(s->build_date, d, 10);
	s->build_date[10] = '\0';
	int y, m, dd;
	sscanf(s->build_date, "%d-%d-%d", &y, &m, &dd);
	s->epoch = S_days_from_civil(y, m, dd) * 86400;
	sqlite3_finalize(st);
}

/* ---------------------------------------------------------------- paths */

enum { PATH_OK = 1, PATH_ABSOLUTE, PATH_OUTSIDE, PATH_MISSING, PATH_NOT_FILE, PATH_LINK_OUT,
       PATH_DIR_LINK_OUT, PATH_NO_CONTENT, PATH_NOT_IMAGE, PATH_IMAGE_CORRUPT, PATH_IMAGE_TRUNCATED };
/* A value of s->paths is a status, plus PATH_IMAGE times one more than
 * the index of a good image in s->images. */
#define PATH_STATUS 15L
#define PATH_IMAGE 16L

/* A file as stat sees it, to tell whether it changed. */
typedef struct photo_id {
	unsigned long long dev, ino, size;
	long long mtime, ctime; /* seconds */
	long mtime_ns, ctime_ns;
} photo_id;

struct liang_site_image {
	liang_img_plan plan;
	uint64_t hash;
	bool hashed;
	bool remembered; /* taken from photos.txt */
	photo_id id;
};

struct liang_photo_memo {
	photo_id id;
	liang_img_plan plan; /* format, src_w, src_h, orientation; the rest
	                        made by liang_img_plan_sizes */
	uint64_t hash;
};

static photo_id S_photo_id(const struct stat *st)
{
	return (photo_id){(unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
			  (unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec,
			  (long long)st->st_ctim.tv_sec, st->st_mtim.tv_nsec, st->st_ctim.tv_nsec};
}

static bool S_same_photo(const photo_id *a, const photo_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime == b->mtime &&
	       a->ctime == b->ctime && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

/* Whether real, a resolved path, is content/ or lies inside it. */
static bool S_real_inside(const liang_site *s, const char *real)
{
	size_t n = strlen(s->content_real);
	return real && strncmp(real, s->content_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* Whether the directory of full (a path under content_dir, not itself a
 * symbolic link) resolves inside content/: a link anywhere on the way
 * may lead out. Each directory is resolved once per run, not once per
 * file in it: realpath reads every component of the path. */
static bool S_dir_inside(liang_site *s, const char *full)
{
	size_t len = (size_t)(strrchr(full, '/') - full);
	pthread_mutex_lock(&s->paths_lock);
	const long *known = liang_strmap_get(&s->real_dirs, full, len);
	long inside = known ? *known : -1;
	pthread_mutex_unlock(&s->paths_lock);
	if (inside < 0) {
		char *dir = liang_xstrndup(full, len);
		char *real = realpath(dir, NULL);
		inside = S_real_inside(s, real);
		free(real);
		free(dir);
		pthread_mutex_lock(&s->paths_lock);
		liang_strmap_add(&s->real_dirs, full, len, inside, NULL);
		pthread_mutex_unlock(&s->paths_lock);
	}
	return inside == 1;
}

/* The status of path; *im filled (and *image set) for a good image. */
static long S_path_status(liang_site *s, const char *path, struct liang_site_image *im, bool *image)
{
	if (path[0] == '/' || path[0] == '\\' ||
	    (((path[0] | 0x20) >= 'a' && (path[0] | 0x20) <= 'z') && path[1] == ':'))
		return PATH_ABSOLUTE;
	/* any ".." component leaves content/, whatever follows */
	for (const char *p = path; *p;) {
		const char *e = p + strcspn(p, "/\\");
		if (e - p == 2 && p[0] == '.' && p[1] == '.')
			return PATH_OUTSIDE;
		p = *e ? e + 1 : e;
	}
	if (!s->content_real)
		return PATH_NO_CONTENT;
	char *full = liang_path_join(s->content_dir, path);
	struct stat st;
	long rc = PATH_OK;
	int got = lstat(full, &st);
	bool link = got == 0 && S_ISLNK(st.st_mode);
	if (link)
		got = stat(full, &st);
	if (got < 0) {
		rc = PATH_MISSING;
	} else if (!S_ISREG(st.st_mode)) {
		rc = PATH_NOT_FILE;
	} else if (link) {
		/* a symbolic link may lead out of content/: resolved whole */
		char *real = realpath(full, NULL);
		if (!S_real_inside(s, real))
			rc = PATH_LINK_OUT;
		free(real);
	} else if (!S_dir_inside(s, full)) {
		rc = PATH_DIR_LINK_OUT;
	}
	/* a photo an earlier build read, unchanged since */
	if (rc == PATH_OK && s->hash_images && s->nmemo && liang_img_named(path)) {
		const long *m = liang_strmap_get(&s->photo_memo, path, strlen(path));
		photo_id id = S_photo_id(&st);
		if (m && S_same_photo(&s->memo[*m].id, &id)) {
			im->plan = s->memo[*m].plan;
			im->hash = s->memo[*m].hash;
			im->hashed = im->remembered = true;
			im->id = id;
			*image = true;
			free(full);
			return PATH_OK;
		}
	}
	/* an image that will not decode fails the build: say so now */
	if (rc == PATH_OK && liang_img_named(path)) {
		im->remembered = false;
		im->id = S_photo_id(&st);
		liang_img_state is = liang_img_check_file(full, &im->plan, s->hash_images ? &im->hash : NULL);
		im->hashed = s->hash_images;
		*image = is == LIANG_IMG_OK;
		rc = is == LIANG_IMG_OK	       ? PATH_OK
		     : is == LIANG_IMG_TRUNCATED ? PATH_IMAGE_TRUNCATED
		     : is == LIANG_IMG_CORRUPT   ? PATH_IMAGE_CORRUPT
						 : PATH_NOT_IMAGE;
	}
	free(full);
	return rc;
}

bool liang_site_check_path(liang_site *s, const char *path, const char *file, long line,
			   long col, const char *what)
{
	size_t len = strlen(path);
	pthread_mutex_lock(&s->paths_lock);
	long *cached = liang_strmap_get(&s->paths, path, len);
	long st = cached ? *cached : 0;
	pthread_mutex_unlock(&s->paths_lock);
	if (!cached) {
		/* outside the lock (an image is read whole): the other loading
		 * thread goes on; should it check the same path meanwhile, the
		 * first result stored stands */
		struct liang_site_image im;
		bool image = false;
		long status = S_path_status(s, path, &im, &image);
		pthread_mutex_lock(&s->paths_lock);
		long v = status;
		if (image) { /* taken only if this is the first result */
			if (s->nimages == s->capimages) {
				s->capimages = s->capimages ? 2 * s->capimages : 64;
				s->images = liang_xrealloc(s->images, s->capimages * sizeof *s->images);
			}
			s->images[s->nimages] = im;
			v += PATH_IMAGE * (long)(s->nimages + 1);
		}
		if (liang_strmap_add(&s->paths, path, len, v, &st)) {
			st = v;
			s->nimages += image;
			if (image && im.remembered)
				s->photos_remembered++;
			else if (image)
				s->photos_read++;
		}
		pthread_mutex_unlock(&s->paths_lock);
	}
	switch (st & PATH_STATUS) {
	case PATH_OK:
		return true;
	case PATH_ABSOLUTE:
		liang_error(s->diags, file, line, col,
			    "%s “%s” 是绝对路径；路径应相对于 content/ 目录，例如 media/2026/照片.jpg", what, path);
		break;
	case PATH_OUTSIDE:
		liang_error(s->diags, file, line, col,
			    "%s “%s” 含有“..”，指向 content/ 目录之外；文件必须放在 content/ 目录里", what, path);
		break;
	case PATH_MISSING:
		liang_error(s->diags, file, line, col, "%s “%s” 所指的文件不存在（应在 content/%s）", what,
			    path, path);
		break;
	case PATH_NOT_FILE:
		liang_error(s->diags, file, line, col, "%s “%s” 不是文件", what, path);
		break;
	case PATH_LINK_OUT:
		liang_error(s->diags, file, line, col,
			    "%s “%s” 是指向 content/ 目录之外的符号链接；文件必须放在 content/ 目录里", what, path);
		break;
	case PATH_DIR_LINK_OUT:
		liang_error(s->diags, file, line, col,
			    "%s “%s” 所在的目录经符号链接指向 content/ 目录之外；文件必须放在 content/ 目录里", what,
			    path);
		break;
	case PATH_NOT_IMAGE:
		liang_error(s->diags, file, line, col, "%s “%s” 不是 JPEG 或 PNG 图片（文件名是图片，内容不是）", what,
			    path);
		break;
	case PATH_IMAGE_CORRUPT:
		liang_error(s->diags, file, line, col, "%s “%s” 已损坏，无法作为图片读取；请换用原始照片", what, path);
		break;
	case PATH_IMAGE_TRUNCATED:
		liang_error(s->diags, file, line, col,
			    "%s “%s” 不完整：文件被截断（可能没有传完）；请重新复制原始照片", what, path);
		break;
	case PATH_NO_CONTENT:
		liang_error(s->diags, file, line, col, "%s “%s” 找不到：站点没有 content/ 目录", what, path);
		break;
	}
	return false;
}

bool liang_site_image(liang_site *s, const char *path, liang_img_plan *plan, uint64_t *hash, bool *hashed)
{
	pthread_mutex_lock(&s->paths_lock);
	long *v = liang_strmap_get(&s->paths, path, strlen(path));
	long k = v && (*v & PATH_STATUS) == PATH_OK ? *v / PATH_IMAGE : 0;
	struct liang_site_image im = k > 0 ? s->images[k - 1] : (struct liang_site_image){0};
	pthread_mutex_unlock(&s->paths_lock);
	if (k <= 0)
		return false;
	*plan = im.plan;
	if (hash && im.hashed)
		*hash = im.hash;
	if (hashed)
		*hashed = im.hashed;
	return true;
}

/* ----------------------------------------------------------- photo memo */

/* photos.txt: this line, then one line per photo: "DEV INO SIZE MTIME
 * MTIME_NS CTIME CTIME_NS FORMAT WIDTH HEIGHT ORIENTATION HASH\tPATH"
 * (the hash in hex, the path relative to content/), sorted by path. */
#define PHOTOS_HEADER "liang photos 1\n"

void liang_site_photos_open(liang_site *s, const char *dir)
{
	s->memo_since = (long long)time(NULL);
	free(s->memo_path);
	s->memo_path = liang_path_join(dir, "photos.txt");
	size_t len = 0, hl = strlen(PHOTOS_HEADER);
	char *data = liang_file_read(s->memo_path, &len);
	if (!data || len < hl || memcmp(data, PHOTOS_HEADER, hl) != 0) {
		free(data);
		return;
	}
	size_t cap = 0;
	for (char *p = data + hl, *end = data + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		*nl = '\0';
		char *tab = strchr(p, '\t');
		struct liang_photo_memo m;
		memset(&m, 0, sizeof m);
		int format, n = 0;
		unsigned long long hash;
		if (tab && tab[1] &&
		    sscanf(p, "%llu %llu %llu %lld %ld %lld %ld %d %u %u %d %llx%n", &m.id.dev, &m.id.ino, &m.id.size,
			   &m.id.mtime, &m.id.mtime_ns, &m.id.ctime, &m.id.ctime_ns, &format, &m.plan.src_w,
			   &m.plan.src_h, &m.plan.orientation, &hash, &n) == 12 &&
		    p + n == tab && (format == LIANG_IMG_JPEG || format == LIANG_IMG_PNG)) {
			m.plan.format = (liang_img_format)format;
			m.hash = (uint64_t)hash;
			if (liang_img_plan_sizes(&m.plan) == 0 &&
			    liang_strmap_add(&s->photo_memo, tab + 1, strlen(tab + 1), (long)s->nmemo, NULL)) {
				if (s->nmemo == cap)
					s->memo = liang_xrealloc(s->memo, (cap = cap ? 2 * cap : 256) * sizeof *s->memo);
				s->memo[s->nmemo++] = m;
			}
		}
		p = nl + 1;
	}
	free(data);
}

static int S_by_key(const void *a, const void *b)
{
	const liang_strmap_slot *x = *(const liang_strmap_slot *const *)a, *y = *(const liang_strmap_slot *const *)b;
	return strcmp(x->key, y->key);
}

void liang_site_photos_save(liang_site *s)
{
	if (!s->memo_path || !s->hash_images)
		return;
	const liang_strmap_slot **v = liang_xmalloc((s->paths.n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < s->paths.cap; i++) {
		const liang_strmap_slot *e = &s->paths.slots[i];
		long k = e->key && (e->value & PATH_STATUS) == PATH_OK ? e->value / PATH_IMAGE : 0;
		if (k > 0 && s->images[k - 1].hashed)
			v[n++] = e;
	}
	qsort(v, n, sizeof *v, S_by_key);
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_puts(&b, PHOTOS_HEADER);
	for (size_t i = 0; i < n; i++) {
		const struct liang_site_image *im = &s->images[v[i]->value / PATH_IMAGE - 1];
		if (strchr(v[i]->key, '\n'))
			continue; /* a line each */
		/* a file changed within the last seconds before it was read
		 * might change again with the same times where they are kept
		 * in whole seconds (or two, on FAT): it is read again next
		 * time, and remembered once it is older (as git does) */
		if ((im->id.mtime > im->id.ctime ? im->id.mtime : im->id.ctime) + 2 >= s->memo_since)
			continue;
		liang_buf_printf(&b, "%llu %llu %llu %lld %ld %lld %ld %d %u %u %d %016llx\t%s\n", im->id.dev,
				 im->id.ino, im->id.size, im->id.mtime, im->id.mtime_ns, im->id.ctime, im->id.ctime_ns,
				 (int)im->plan.format, im->plan.src_w, im->plan.src_h, im->plan.orientation,
				 (unsigned long long)im->hash, v[i]->key);
	}
	free(v);
	liang_file_replace(s->memo_path, b.ptr, b.len); /* or it costs only time */
	liang_buf_free(&b);
	if (liang_progress_timings())
		fprintf(stderr, "timing: %-20s %ld read, %ld remembered\n", "photos", s->photos_read,
			s->photos_remembered);
}

/* ------------------------------------------------------------- privacy */

typedef struct liang_pii_held {
	liang_pii hit;
	char *file;
	long line, col;
	const char *what;
} liang_pii_held;

static void S_pii_report(liang_site *s, const liang_pii *hit, const char *file, long l, long c, const char *what)
{
	if (s->config.allow_personal_data)
		liang_warning(s->diags, file, l, c, "%s中有疑似个人%s %s（site.yaml 设置了 allow_personal_data: true，仍将发布）",
			      what, liang_pii_name(hit->kind), hit->masked);
	else
		liang_error(s->diags, file, l, c,
			    "%s中有疑似个人%s %s：公开内容不得含有个人%s（如确需公开，请在 site.yaml 中设置 "
			    "allow_personal_data: true）",
			    what, liang_pii_name(hit->kind), hit->masked, liang_pii_name(hit->kind));
}

static void S_pii_scan(liang_site *s, liang_pii_later *later, const char *text, size_t len, const char *file,
		       long line, long col, bool csv_quoted, const char *what)
{
	size_t from = 0;
	liang_pii hit;
	while (liang_pii_find(text, len, &from, &hit)) {
		if (!later && liang_strmap_get(&s->public_numbers, hit.digits, strlen(hit.digits)))
			continue; /* the value of a public field, e.g. a 监督电话 */
		long l = line, c = col;
		for (size_t i = 0; i < hit.offset; i++) {
			if (text[i] == '\n') {
				l++;
				c = 1;
			} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
				c += csv_quoted && text[i] == '"' ? 2 : 1;
			}
		}
		if (!later) {
			S_pii_report(s, &hit, file, l, c, what);
			continue;
		}
		if (later->n == later->cap)
			later->v = liang_xrealloc(later->v, (later->cap = later->cap ? 2 * later->cap : 16) * sizeof *later->v);
		later->v[later->n++] = (liang_pii_held){hit, liang_xstrdup(file), l, c, what};
	}
}

void liang_site_check_pii(liang_site *s, const char *text, size_t len, const char *file, long line, long col,
			  bool csv_quoted, const char *what)
{
	S_pii_scan(s, NULL, text, len, file, line, col, csv_quoted, what);
}

void liang_site_check_pii_later(liang_site *s, liang_pii_later *later, const char *text, size_t len,
				const char *file, long line, long col, bool csv_quoted, const char *what)
{
	S_pii_scan(s, later, text, len, file, line, col, csv_quoted, what);
}

void liang_site_pii_settle(liang_site *s, liang_pii_later *later)
{
	for (size_t i = 0; i < later->n; i++) {
		liang_pii_held *h = &later->v[i];
		if (!liang_strmap_get(&s->public_numbers, h->hit.digits, strlen(h->hit.digits)))
			S_pii_report(s, &h->hit, h->file, h->line, h->col, h->what);
		free(h->file);
	}
	free(later->v);
	memset(later, 0, sizeof *later);
}

/* ------------------------------------------------------------- queries */

/* queries.sql and stats.sql, split once into "-- name:" sections. */
static struct query_tab {
	char *name, *sql;
} *S_queries;
static size_t S_nqueries;

static void S_split_queries(void)
{
	static const char *const files[] = {"src/queries.sql", "src/stats.sql"};
	size_t cap = 64;
	S_queries = liang_xcalloc(cap, sizeof *S_queries);
	const char *mark = "-- name: ";
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		const liang_embedded *e = liang_embed_find(files[f]);
		const char *q = e ? strstr((const char *)e->data, mark) : NULL;
		while (q) {
			const char *nm = q + strlen(mark);
			const char *eol = strchr(nm, '\n');
			if (!eol)
				break;
			const char *next = strstr(eol, mark);
			const char *end = next ? next : eol + strlen(eol);
			if (S_nqueries == cap) {
				cap *= 2;
				S_queries = liang_xrealloc(S_queries, cap * sizeof *S_queries);
			}
			S_queries[S_nqueries].name = liang_xstrndup(nm, (size_t)(eol - nm));
			S_queries[S_nqueries].sql = liang_xstrndup(eol + 1, (size_t)(end - eol - 1));
			S_nqueries++;
			q = next;
		}
	}
}

const char *liang_query_find(const char *name)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, S_split_queries);
	for (size_t i = 0; i < S_nqueries; i++)
		if (!strcmp(S_queries[i].name, name))
			return S_queries[i].sql;
	return NULL;
}

const char *liang_query(const char *name)
{
	const char *sql = liang_query_find(name);
	if (!sql) {
		fprintf(stderr, "liang: internal error: no query named %s\n", name);
		abort();
	}
	return sql;
}
