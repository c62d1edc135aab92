/* builder — what the page writers of build share: the state of one
 * rendering thread and the helpers every kind of page uses. Internal to
 * the build stage: build.c writes the core pages; other groups of pages
 * (statistics, galleries, reports) live in files of their own and are
 * called from liang_build_site. */
#ifndef LIANG_BUILDER_H
#define LIANG_BUILDER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "buf.h"
#include "out.h"
#include "site.h"
#include "strmap.h"
#include "template.h"
#include "value.h"

#define PER_PAGE 20
#define SITEMAP_MAX 50000
#define FEED_ENTRIES 20

/* The facets of the public list: filter pages per value. */
typedef struct facet {
	const char *key;   /* SQL facet name and URL segment */
	const char *title; /* 地区 */
	liang_strmap slugs; /* value → index into urls */
	char **urls;       /* "collectives/region/jiang-cheng-qu/" */
	char **values;
	long *counts;
	size_t n;
} facet;

/* The files of content/ that pages show, under their published names;
 * shared by the two rendering threads. */
typedef struct media_reg {
	pthread_mutex_t lock;
	liang_strmap map;      /* content path → index into out */
	char **src, **out;
	size_t n;
	liang_strmap names;    /* output paths taken */
} media_reg;

/* The collectives, handed out to the rendering threads in chunks of
 * consecutive ids. */
#define CHUNK 64
typedef struct chunks {
	char **ids;            /* every id, in order */
	size_t n;
	atomic_size_t next;    /* the next chunk to take */
	/* the ids are read (and the media names fixed) while the helper
	 * thread computes the statistics: it waits here before the pages */
	pthread_mutex_t lock;
	pthread_cond_t filled;
	bool ready;
} chunks;

/* The statistics tables (see statpages.h) are computed by one thread
 * into a database of their own while the other renders the pages that do
 * not need them; the pages that do wait here. */
typedef struct stats_gate {
	pthread_mutex_t lock;
	pthread_cond_t done;
	int state;             /* 0 being computed, 1 ready, -1 failed */
	char uri[64];          /* the shared in-memory database, to ATTACH */
} stats_gate;

typedef struct builder {
	liang_site *s;
	sqlite3 *db;           /* this thread's connection */
	liang_out *o;
	liang_theme *theme;
	liang_arena arena;
	liang_buf page;
	const char *idx;       /* "" or "index.html" (pages opened from disk) */
	facet facets[4];
	media_reg *media;
	struct gallery *gallery; /* photos and their sizes (gallery.h) */
	chunks *chunks;
	liang_strmap texts;    /* "kind\1id" of stories and write-ups */
	char **sitemap;        /* URL paths of pages, for sitemap.xml */
	size_t nsitemap, capsitemap;
	char survey_from[8];   /* oldest quarter of the survey window */
	const char *supervise_url;
	liang_value *nav_pages; /* content pages in the navigation */
	/* the parts of every page's scope that do not change from page to
	 * page (liang_b_scope_prepare): `site`, and `nav` per section */
	liang_value *scope_site;
	struct {
		const char *section;
		liang_value *nav;
	} scope_navs[16];
	size_t nscope_navs;
	stats_gate *gate;
	/* the base tables of the statistics, made once for both threads
	 * (stats.h): the pages that show statistics read the helper's */
	struct liang_stat_share *share;
	bool stats_attached;   /* this thread's db has the statistics attached */
	struct liang_pdf_font *pdf_font; /* the PDFs' font; NULL: no PDFs */
	char report_rel[96];   /* "reports/annual-2025-2026.pdf", or empty */
	int failed;
} builder;

/* Make the unchanging parts of liang_b_scope once, in keep (before a
 * second thread copies the builder: both then read them). */
void liang_b_scope_prepare(builder *b, liang_arena *keep);
/* "../../" from rel back to the site root ("./" at the top). */
const char *liang_b_root(builder *b, const char *rel);
/* Add the page rel to sitemap.xml. */
void liang_b_sitemap_add(builder *b, const char *rel);
/* The scope every page starts from; section names the navigation entry
 * to mark current, title the page (NULL: the site's title alone). */
liang_value *liang_b_scope(builder *b, const char *rel, const char *section, const char *title);
/* Render template tmpl with scope into rel and write it. */
int liang_b_emit(builder *b, const char *rel, const char *tmpl, liang_value *scope, bool in_sitemap);
/* A prepared statement of a named query (queries.sql, stats.sql); NULL
 * and a reported defect when it does not prepare. */
sqlite3_stmt *liang_b_prepare(builder *b, const char *query);
/* A query over the chunk of collectives from id ?1 to id ?2, read in
 * step with them: its first column is the collective's id, and its rows
 * come in the order of ids (SQLite's BINARY order, which is strcmp's). */
typedef struct liang_cursor {
	sqlite3_stmt *st;
	bool row; /* a row is current */
	int err;  /* an error of sqlite3_step (the rows then end early) */
	liang_rowkeys keys; /* for liang_value_row_keyed of its rows */
} liang_cursor;

/* Run c's query for the chunk first … last (other parameters stay bound). */
void liang_cursor_start(liang_cursor *c, const char *first, const char *last);
/* Skip the rows of collectives before id; is the current row id's? */
bool liang_cursor_on(liang_cursor *c, const char *id);
void liang_cursor_next(liang_cursor *c);
/* Column i of the current row as text (NULL for NULL). */
const char *liang_b_col(sqlite3_stmt *st, int i);
/* The published URL path (from the root) of a file of content/. */
const char *liang_b_media(builder *b, const char *path);
/* The files of a ';'-separated list of content paths that are not
 * photos, as partials show an attachment: name (as it was given), url,
 * type (PDF 文档, Excel 表格, …) and size. */
liang_value *liang_b_files(builder *b, const char *paths);
/* Append v as one CSV cell; text says it is text, which Excel must not
 * run as a formula (a leading = + - @ gets an apostrophe). */
void liang_b_csv_cell(liang_buf *out, const char *v, bool text);
/* The pager of page (from 1) of pages of a list at dir ("collectives/";
 * page n > 1 is dir/page/n/), as partials/pager shows it. */
liang_value *liang_b_pager(builder *b, const char *dir, long page, long pages);
/* The Markdown text (kind, id) of data_texts as trusted HTML, or NULL;
 * st is the prepared query text_of. */
liang_value *liang_b_text(builder *b, sqlite3_stmt *st, const char *kind, const char *id, const char *title);

#endif
