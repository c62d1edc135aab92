/* content — Markdown files of content/. */
#include "content.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "progress.h"
#include "text.h"
#include "util.h"
#include "yamltree.h"

/* A 征文 body: at most 2,000 characters for a case, 5,000 for a theory
 * essay (the 创建成果 notice). The data do not say which kind an essay
 * is, so the larger bound is an error and the smaller a warning. */
#define ESSAY_CASE_MAX 2000
#define ESSAY_THEORY_MAX 5000

typedef struct mdfile {
	char *file;      /* site-relative, for diagnostics */
	char *slug;      /* file name without .md */
	char *text;      /* whole file, UTF-8 */
	liang_ynode *fm; /* front matter, or NULL */
	const char *body;
	long body_line;
} mdfile;

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the regular entries of dir, sorted bytewise so that the
 * order (and so the output) does not depend on the file system or the
 * locale. Returns the count; *names is the caller's to free. */
static size_t S_list(const char *dir, char ***names)
{
	*names = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			*names = liang_xrealloc(*names, cap * sizeof **names);
		}
		(*names)[n++] = liang_xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof **names, S_cmp);
	return n;
}

static void S_free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void S_md_free(mdfile *m)
{
	free(m->file);
	free(m->slug);
	free(m->text);
	liang_ynode_free(m->fm);
	memset(m, 0, sizeof *m);
}

/* Read content/<sub>/<name> and split off its front matter. */
static bool S_md_read(liang_site *s, const char *sub, const char *name, bool want_fm, mdfile *m)
{
	memset(m, 0, sizeof *m);
	m->file = liang_xasprintf("content/%s/%s", sub, name);
	m->slug = liang_xstrndup(name, strlen(name) - 3);
	char *path = liang_path_join(s->root, m->file);
	size_t len;
	char *raw = liang_file_read(path, &len);
	free(path);
	if (!raw) {
		liang_error(s->diags, m->file, 0, 0, "无法读取：%s", strerror(errno));
		return false;
	}
	__atomic_fetch_add(&s->files, 1, __ATOMIC_RELAXED); /* loader threads read files too */
	liang_encoding enc;
	liang_decode_error derr;
	size_t tlen;
	m->text = liang_text_decode(raw, len, true, &enc, &tlen, &derr);
	free(raw);
	if (!m->text) {
		liang_error(s->diags, m->file, derr.line, derr.col, "%s（Markdown 文件必须是 UTF-8 编码）",
			    derr.message);
		return false;
	}
	m->body = m->text;
	m->body_line = 1;
	if (strncmp(m->text, "---\n", 4) != 0 && strncmp(m->text, "---\r\n", 5) != 0) {
		if (want_fm)
			liang_error(s->diags, m->file, 1, 1,
				    "缺少文件头：文件应以一行“---”开始，写明 title 等信息，再以一行“---”结束");
		return !want_fm;
	}
	const char *start = strchr(m->text, '\n') + 1;
	const char *p = start;
	long line = 2;
	const char *end = NULL;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		if ((n == 3 && (!strncmp(p, "---", 3) || !strncmp(p, "...", 3)))) {
			end = p;
			m->body = eol ? eol + 1 : p + strlen(p);
			m->body_line = line + 1;
			break;
		}
		if (!eol)
			break;
		p = eol + 1;
		line++;
	}
	if (!end) {
		liang_error(s->diags, m->file, 1, 1, "文件头没有结束：缺少第二行“---”");
		return false;
	}
	char *msg;
	long el, ec;
	if (liang_yaml_parse(start, (size_t)(end - start), 1, &m->fm, &msg, &el, &ec) < 0) {
		liang_error(s->diags, m->file, el, ec, "文件头的 %s", msg);
		free(msg);
		return false;
	}
	if (m->fm && m->fm->type != LIANG_Y_MAP) {
		liang_error(s->diags, m->file, m->fm->line, m->fm->col,
			    "文件头应由“键: 值”组成（例如 title: 关于……的通知）");
		return false;
	}
	return true;
}

/* A scalar front-matter value; errors for lists where text is meant. */
static const char *S_fm_text(liang_site *s, mdfile *m, const char *key, bool required)
{
	liang_ynode *v = liang_ymap_get(m->fm, key);
	if (!v) {
		if (required)
			liang_error(s->diags, m->file, 1, 1, "文件头缺少 %s", key);
		return NULL;
	}
	if (v->type != LIANG_Y_SCALAR) {
		liang_error(s->diags, m->file, v->line, v->col, "文件头的 %s 应为一段文字", key);
		return NULL;
	}
	if (required && !*v->value) {
		liang_error(s->diags, m->file, v->line, v->col, "文件头的 %s 不能为空", key);
		return NULL;
	}
	return v->value;
}

static bool S_date_ok(const char *v)
{
	int y, mo, d;
	char tail;
	if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3)
		return false;
	static const int md[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= md[mo - 1] &&
	       !(mo == 2 && d == 29 && !leap);
}

static const char *S_fm_date(liang_site *s, mdfile *m, const char *key, bool required)
{
	const char *v = S_fm_text(s, m, key, required);
	if (v && !S_date_ok(v)) {
		liang_ynode *n = liang_ymap_get(m->fm, key);
		liang_error(s->diags, m->file, n->line, n->col, "%s “%s” 不是有效日期（应写作 2026-05-03）",
			    key, v);
		return NULL;
	}
	return v;
}

/* A list (YAML sequence, or one scalar) joined with ';'. Paths are
 * checked when is_path. */
static char *S_fm_list(liang_site *s, mdfile *m, const char *key, bool is_path, bool *ok)
{
	liang_ynode *v = liang_ymap_get(m->fm, key);
	if (!v)
		return NULL;
	liang_buf b = LIANG_BUF_INIT;
	size_t n = v->type == LIANG_Y_SEQ ? v->n : 1;
	for (size_t i = 0; i < n; i++) {
		liang_ynode *it = v->type == LIANG_Y_SEQ ? v->items[i] : v;
		if (it->type != LIANG_Y_SCALAR) {
			liang_error(s->diags, m->file, it->line, it->col, "文件头的 %s 应为一组文字", key);
			*ok = false;
			continue;
		}
		if (!*it->value)
			continue;
		if (strchr(it->value, ';')) {
			liang_error(s->diags, m->file, it->line, it->col, "文件头的 %s 中不能含有分号", key);
			*ok = false;
			continue;
		}
		if (is_path && !liang_site_check_path(s, it->value, m->file, it->line, it->col, key)) {
			*ok = false;
			continue;
		}
		liang_buf_printf(&b, "%s%s", b.len ? ";" : "", it->value);
	}
	return liang_buf_detach(&b);
}

static void S_unknown_keys(liang_site *s, mdfile *m, const char *const *known)
{
	if (!m->fm)
		return;
	for (size_t i = 0; i < m->fm->n; i++) {
		const char *k = m->fm->items[i]->value;
		bool found = false;
		for (const char *const *q = known; *q && !found; q++)
			found = !strcmp(*q, k);
		if (!found) {
			liang_buf list = LIANG_BUF_INIT;
			for (const char *const *q = known; *q; q++)
				liang_buf_printf(&list, "%s%s", q == known ? "" : "、", *q);
			liang_warning(s->diags, m->file, m->fm->items[i]->line, m->fm->items[i]->col,
				      "文件头中未知的项 %s，已忽略（可用：%s）", k, list.ptr);
			liang_buf_free(&list);
		}
	}
}

static void S_pii_fm(liang_site *s, mdfile *m, liang_pii_later *later)
{
	if (!m->fm)
		return;
	for (size_t i = 0; i < m->fm->n; i++) {
		liang_ynode *v = m->fm->values[i];
		if (v->type == LIANG_Y_SCALAR)
			liang_site_check_pii_later(s, later, v->value, strlen(v->value), m->file, v->line, v->col, false,
					     "文件头");
	}
}

static void S_bind(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static bool S_is_md(const char *name)
{
	return liang_has_suffix_ci(name, ".md") && strlen(name) > 3;
}

/* ----------------------------------------------------------- notices */

static void S_notices(liang_site *s, sqlite3 *db, liang_pii_later *later)
{
	static const char *const known[] = {"title", "number", "issuer", "date", "deadline",
					    "tags", "attachments", "draft", NULL};
	char *dir = liang_path_join(s->content_dir, "notices");
	char **names;
	size_t n = S_list(dir, &names);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db,
			   "INSERT INTO data_notices(slug,path,title,number,issuer,date,deadline,tags,"
			   "attachments,draft,body,body_line) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
			   -1, &st, NULL);
	liang_progress_stage(s, "notices");
	for (size_t i = 0; i < n; i++) {
		if (!S_is_md(names[i])) {
			liang_warning(s->diags, NULL, 0, 0, "content/notices/%s 不是 Markdown（.md）文件，已忽略",
				      names[i]);
			continue;
		}
		mdfile m;
		if (!S_md_read(s, "notices", names[i], true, &m)) {
			S_md_free(&m);
			continue;
		}
		bool ok = true;
		const char *title = S_fm_text(s, &m, "title", true);
		const char *number = S_fm_text(s, &m, "number", false);
		const char *issuer = S_fm_text(s, &m, "issuer", false);
		const char *date = S_fm_date(s, &m, "date", true);
		const char *deadline = S_fm_date(s, &m, "deadline", false);
		if (date && deadline && strcmp(deadline, date) < 0) {
			liang_ynode *dn = liang_ymap_get(m.fm, "deadline");
			liang_error(s->diags, m.file, dn->line, dn->col, "截止日期 %s 早于发文日期 %s", deadline,
				    date);
			ok = false;
		}
		char *tags = S_fm_list(s, &m, "tags", false, &ok);
		char *att = S_fm_list(s, &m, "attachments", true, &ok);
		int draft = 0;
		liang_ynode *dn = liang_ymap_get(m.fm, "draft");
		if (dn) {
			draft = liang_yscalar_bool(dn);
			if (draft < 0) {
				liang_error(s->diags, m.file, dn->line, dn->col, "draft 应为 true 或 false");
				ok = false;
			}
		}
		S_unknown_keys(s, &m, known);
		if (!draft) {
			S_pii_fm(s, &m, later);
			liang_site_check_pii_later(s, later, m.body, strlen(m.body), m.file, m.body_line, 1, false, "正文");
		}
		if (ok && title && date) {
			S_bind(st, 1, m.slug);
			S_bind(st, 2, m.file);
			S_bind(st, 3, title);
			S_bind(st, 4, number);
			S_bind(st, 5, issuer);
			S_bind(st, 6, date);
			S_bind(st, 7, deadline);
			S_bind(st, 8, tags);
			S_bind(st, 9, att);
			sqlite3_bind_int(st, 10, draft > 0);
			S_bind(st, 11, m.body);
			sqlite3_bind_int64(st, 12, m.body_line);
			sqlite3_step(st);
			sqlite3_reset(st);
		}
		free(tags);
		free(att);
		S_md_free(&m);
		liang_progress_tick(s, 1);
	}
	sqlite3_finalize(st);
	S_free_list(names, n);
	free(dir);
}

/* ------------------------------------------------------------- pages */

static void S_pages(liang_site *s, sqlite3 *db, liang_pii_later *later)
{
	static const char *const known[] = {"title", NULL};
	char *dir = liang_path_join(s->content_dir, "pages");
	char **names;
	size_t n = S_list(dir, &names);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "INSERT INTO data_pages(slug,path,title,body,body_line) VALUES(?,?,?,?,?)",
			   -1, &st, NULL);
	for (size_t i = 0; i < n; i++) {
		if (!S_is_md(names[i])) {
			liang_warning(s->diags, NULL, 0, 0, "content/pages/%s 不是 Markdown（.md）文件，已忽略",
				      names[i]);
			continue;
		}
		mdfile m;
		if (S_md_read(s, "pages", names[i], true, &m)) {
			const char *title = S_fm_text(s, &m, "title", true);
			S_unknown_keys(s, &m, known);
			S_pii_fm(s, &m, later);
			liang_site_check_pii_later(s, later, m.body, strlen(m.body), m.file, m.body_line, 1, false, "正文");
			if (title) {
				S_bind(st, 1, m.slug);
				S_bind(st, 2, m.file);
				S_bind(st, 3, title);
				S_bind(st, 4, m.body);
				sqlite3_bind_int64(st, 5, m.body_line);
				sqlite3_step(st);
				sqlite3_reset(st);
			}
		}
		S_md_free(&m);
	}
	sqlite3_finalize(st);
	S_free_list(names, n);
	free(dir);
}

/* ----------------------------------------------- stories and write-ups */

/* Does the query st (prepared once, for every file) find id? */
static bool S_exists(sqlite3_stmt *st, const char *id)
{
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static size_t S_count_chars(const char *s)
{
	/* 字数 as people count them: characters other than white space. */
	size_t n = 0;
	for (const char *p = s; *p;) {
		uint32_t c = liang_utf8_next(&p);
		n += !(c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x3000);
	}
	return n;
}

/* Stories read and checked, waiting to be stored. */
typedef struct liang_stories {
	mdfile *v;
	size_t n;
} liang_stories;

/* Read the Markdown files of content/<sub> into out. */
static void S_texts_files(liang_site *s, const char *sub, liang_stories *out)
{
	char *dir = liang_path_join(s->content_dir, sub);
	char **names;
	size_t n = S_list(dir, &names);
	for (size_t i = 0; i < n; i++) {
		if (!S_is_md(names[i])) {
			liang_warning(s->diags, NULL, 0, 0, "content/%s/%s 不是 Markdown（.md）文件，已忽略", sub,
				      names[i]);
			continue;
		}
		mdfile m;
		if (!S_md_read(s, sub, names[i], false, &m)) {
			S_md_free(&m);
			continue;
		}
		out->v = liang_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		out->v[out->n++] = m;
	}
	S_free_list(names, n);
	free(dir);
}

/* Check the stories of t, named after the 编号 of a row of table
 * (exists_sql finds it; NULL: a collective, known to the loader): those
 * that fail are said and let go. */
static void S_texts_check(liang_site *s, const char *kind, const char *what, const char *table,
			  const char *exists_sql, liang_stories *t)
{
	sqlite3_stmt *exists = NULL, *essay = NULL;
	if (t->n && exists_sql)
		sqlite3_prepare_v2(s->db, exists_sql, -1, &exists, NULL);
	if (t->n && !strcmp(kind, "work"))
		sqlite3_prepare_v2(s->db, "SELECT 1 FROM data_works WHERE id = ? AND category = '征文'", -1, &essay,
				   NULL);
	size_t kept = 0;
	for (size_t i = 0; i < t->n; i++) {
		mdfile m = t->v[i];
		bool known = exists_sql ? S_exists(exists, m.slug)
					: liang_strmap_get(&s->collective_ids, m.slug, strlen(m.slug)) != NULL;
		if (!known && !exists_sql && !s->collectives_loaded) {
			S_md_free(&m);
			continue; /* collectives.csv is missing: said once already */
		}
		if (!known) {
			liang_error(s->diags, m.file, 0, 0,
				    "文件名应是%s的编号，但 %s 中没有编号为“%s”的%s", what, table, m.slug, what);
			S_md_free(&m);
			continue;
		}
		liang_site_check_pii(s, m.body, strlen(m.body), m.file, m.body_line, 1, false, "正文");
		if (S_exists(essay, m.slug)) {
			size_t chars = S_count_chars(m.body);
			if (chars > ESSAY_THEORY_MAX)
				liang_error(s->diags, m.file, 0, 0, "征文正文有 %zu 字，超过 %d 字的上限", chars,
					    ESSAY_THEORY_MAX);
			else if (chars > ESSAY_CASE_MAX)
				liang_warning(s->diags, m.file, 0, 0,
					      "征文正文有 %zu 字：案例类征文不超过 %d 字，理论类不超过 %d 字", chars,
					      ESSAY_CASE_MAX, ESSAY_THEORY_MAX);
		}
		t->v[kept++] = m;
	}
	t->n = kept;
	sqlite3_finalize(exists);
	sqlite3_finalize(essay);
}

/* Store the stories as texts of this kind, and let them go. */
static void S_texts_store(liang_site *s, const char *kind, liang_stories *t)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(s->db, "INSERT INTO data_texts(kind,id,path,body) VALUES(?,?,?,?)", -1, &st, NULL);
	for (size_t i = 0; i < t->n; i++) {
		mdfile *m = &t->v[i];
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m->file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m->body, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		S_md_free(m);
	}
	sqlite3_finalize(st);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* Check and store the stories of t (read by liang_content_read_texts). */
static void S_texts(liang_site *s, liang_stories *t, const char *kind, const char *what, const char *table,
		    const char *exists_sql)
{
	S_texts_check(s, kind, what, table, exists_sql, t);
	S_texts_store(s, kind, t);
}

/* The write-ups of content/activities/ and content/works/, as s->texts. */
enum { TEXTS_ACTIVITIES, TEXTS_WORKS, TEXTS_KINDS };

static void S_stories_free(liang_stories *t, size_t n)
{
	for (size_t k = 0; t && k < n; k++) {
		for (size_t i = 0; i < t[k].n; i++)
			S_md_free(&t[k].v[i]);
		free(t[k].v);
	}
	free(t);
}

void liang_content_free_stories(liang_site *s)
{
	S_stories_free(s->stories, 1);
	s->stories = NULL;
	S_stories_free(s->texts, TEXTS_KINDS);
	s->texts = NULL;
}

void liang_content_read_stories(liang_site *s)
{
	if (!s->content_real || s->stories)
		return;
	s->stories = liang_xcalloc(1, sizeof *s->stories);
	S_texts_files(s, "collectives", s->stories);
	S_texts_check(s, "collective", "集体", "collectives.csv", NULL, s->stories);
}

void liang_content_store_stories(liang_site *s)
{
	if (s->stories)
		S_texts_store(s, "collective", s->stories);
}

void liang_content_read_texts(liang_site *s)
{
	if (!s->content_real || s->texts)
		return;
	s->texts = liang_xcalloc(TEXTS_KINDS, sizeof *s->texts);
	S_texts_files(s, "activities", &s->texts[TEXTS_ACTIVITIES]);
	S_texts_files(s, "works", &s->texts[TEXTS_WORKS]);
}

void liang_content_load_notices(liang_site *s, sqlite3 *db, liang_pii_later *later)
{
	if (!s->content_real)
		return;
	S_notices(s, db, later);
	S_pages(s, db, later);
}

void liang_content_load(liang_site *s)
{
	if (!s->content_real) {
		liang_warning(s->diags, NULL, 0, 0, "站点没有 content/ 目录：没有通知和页面");
		return;
	}
	sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
	liang_content_read_stories(s); /* unless the loader did */
	liang_content_read_texts(s);
	liang_content_store_stories(s); /* unless the loader did */
	S_texts(s, &s->texts[TEXTS_ACTIVITIES], "activity", "活动", "activities.csv",
		"SELECT 1 FROM data_activities WHERE id = ?");
	S_texts(s, &s->texts[TEXTS_WORKS], "work", "作品", "works.csv", "SELECT 1 FROM data_works WHERE id = ?");
	liang_content_free_stories(s);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);

	/* A 征文 without a body has nothing to show. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT line, id FROM data_works w WHERE category = '征文' AND "
			       "(files IS NULL OR files = '') AND NOT EXISTS (SELECT 1 FROM data_texts t "
			       "WHERE t.kind = 'work' AND t.id = w.id) ORDER BY line",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			liang_warning(s->diags, "data/works.csv", sqlite3_column_int(st, 0), 1,
				      "征文“%s”既没有正文（content/works/%s.md）也没有文件",
				      (const char *)sqlite3_column_text(st, 1),
				      (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
	}
}
