/* site — one site being checked or built: where it is, its configuration
 * (site.yaml), its database and the diagnostics of the run.
 *
 * Every stage takes a liang_site: load.c and content.c fill the
 * database, build.c reads it. */
#ifndef LIANG_SITE_H
#define LIANG_SITE_H

#include <pthread.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "diag.h"
#include "imgproc.h"
#include "sqlblock.h"
#include "strmap.h"

#define LIANG_NITEMS 7

typedef struct liang_config {
	char *title;           /* 临澜市青年文明号 */
	char *city;            /* 临澜市 */
	char *organization;    /* 共青团临澜市委员会 */
	char *description;
	char *base_url;        /* "/" or "/sub/", always ends with '/' */
	char *theme;           /* themes/<theme>/ in the site, else built in */
	char *build_date;      /* YYYY-MM-DD, or NULL */
	bool allow_raw_html;   /* raw HTML in Markdown passes through */
	bool allow_personal_data; /* the privacy guard warns instead of failing */
	double quota_ratio;    /* candidates needed per quota place (1.5) */
	bool local_links;      /* links end in index.html: the site works
	                          opened straight from disk (file://) */
	/* stats: in site.yaml, for the rankings and compliance checks */
	char *stats_cycle;     /* 周期 ranked; NULL = the newest in the data */
	double weights[LIANG_NITEMS]; /* of the assessment items (1 each) */
	long min_responses;    /* survey answers needed to be ranked (30) */
	long review_years;     /* a title is due for 复核 after this (2) */
	long min_deeds;        /* 实事 a pairing should reach (2) */
	bool pdf;              /* make the PDF reports and posters (true) */
	long posters_per_file; /* posters in all.pdf, or in each of its volumes
				* all-1.pdf, all-2.pdf… when there are more (2000) */
	char *pdf_font;        /* TrueType font of the PDF reports; NULL =
	                          WenQuanYi Zen Hei (fonts-wqy-zenhei) */
	long pdf_font_line, pdf_font_col; /* where site.yaml sets it */
} liang_config;

/* The seven items of the 认定考核 (assessments.csv 指标), in order. */
extern const char *const liang_items[LIANG_NITEMS];

typedef struct liang_site {
	char *root;            /* the site directory as given (-C) */
	char *content_dir;     /* root/content */
	char *content_real;    /* realpath of content_dir, or NULL if none */
	liang_config config;
	liang_diags *diags;
	sqlite3 *db;
	bool quiet;
	bool progress;         /* stderr is a terminal and not quiet */
	bool by_collective;    /* the loader makes the indexes by collective
	                          (queries.sql by_collective_…); true unless
	                          set otherwise before liang_load_data */

	/* Filled by the loader, used by later checks. */
	liang_strmap collective_ids;  /* id → line in collectives.csv */
	bool collectives_loaded;      /* collectives.csv was read: references
	                                 to it can be checked */
	liang_strmap regions;         /* 地区 values in use */
	liang_strmap industries;      /* 行业 values in use */
	liang_strmap public_numbers;  /* digits of public phone fields */
	liang_strmap paths;           /* checked content paths → status, and
	                                 for an image its index in images */
	liang_strmap real_dirs;       /* their directories → 1 when they
	                                 resolve inside content/, else 0 */
	struct liang_site_image *images; /* what the checks read of each image */
	size_t nimages, capimages;
	bool hash_images;             /* the checks keep each image's content
	                                 hash too (a build publishes by it) */
	liang_strmap photo_memo;      /* path → index into memo: what an
	                                 earlier build read of each photo */
	struct liang_photo_memo *memo;
	size_t nmemo;
	char *memo_path;              /* photos.txt in the cache, or NULL */
	long long memo_since;         /* when it was opened (time()) */
	long photos_read, photos_remembered; /* under paths_lock */
	liang_sqlcache sqlcache;      /* results of the sql blocks of content */
	struct liang_stories *stories; /* read by the loader, stored by
	                                 liang_content_load (content.c) */
	struct liang_stories *texts;  /* the same for the write-ups of
	                                 activities and works */
	sqlite3 *aux;                 /* the database the loader's second
	                                 thread filled, mapped into db as aux
	                                 (read-only), or NULL */
	pthread_mutex_t paths_lock;   /* the loader's threads share the path
	                                 cache */
	char build_date[11];          /* YYYY-MM-DD, see liang_site_date */
	long long epoch;              /* build time as seconds since 1970 */
	const char *early_table;      /* the table the loader read while
	                                 collectives.csv loaded, or NULL */
	long rows;                    /* data rows loaded */
	long files;                   /* input files read */
} liang_site;

/* Open a site: reads site.yaml (a missing one means the documented
 * defaults) and creates the database with the schema. Problems go to
 * diags. Returns 0, or -1 when nothing more can be done. */
int liang_site_open(liang_site *s, const char *root, liang_diags *diags, bool quiet);
/* The same; with readers, the database is kept so that liang_site_reader
 * can give other threads their own connections (a build). */
int liang_site_open_for(liang_site *s, const char *root, liang_diags *diags, bool quiet, bool readers);
void liang_site_close(liang_site *s);

/* Once the data are loaded: a read-only connection to the same database
 * for one thread, reading the loaded pages in place (no copy, no second
 * page cache). The database must not change while it is open. NULL when
 * the database cannot be shared (opened without readers): the caller
 * then uses s->db on one thread. Close it with sqlite3_close before the
 * site. */
sqlite3 *liang_site_reader(liang_site *s);

/* The settings of every connection that loads data: no journal, no
 * syncing, temporary tables in memory, a 64 MB page cache. */
void liang_site_tune(sqlite3 *db);
/* Give the memdb database db, new and empty, an image of room bytes at
 * once, so that it need not grow (and be copied) step by step while it
 * loads: memory is taken only as pages are written. Call before
 * liang_site_tune; without the room, the image grows as it goes. */
void liang_site_reserve(sqlite3 *db, sqlite3_int64 room);
/* The size of the CSV files of root/data/ that liang reads, in bytes. */
long long liang_data_bytes(const char *root);
/* The room for a loading database of the data files of s (a bound, not
 * a need). */
sqlite3_int64 liang_site_room(const liang_site *s);
/* Let the in-memory ("memdb") database schema of db grow as far as memory
 * allows (LIANG_DB_LIMIT) rather than to SQLite's default of 1 GB; a
 * database of another kind is left as it is. liang_site_tune does this
 * for main. */
#define LIANG_DB_LIMIT ((sqlite3_int64)1 << 46)
void liang_site_unbound(sqlite3 *db, const char *schema);

/* Store the settings the SQL of the statistics reads (data_params,
 * data_weights). Call after liang_site_date. */
void liang_site_params(liang_site *s);

/* Fix the build date: SOURCE_DATE_EPOCH when set, else site.yaml's
 * build_date, else the newest date in the input. Call after loading. */
void liang_site_date(liang_site *s);

/* Check a path from data or front matter: relative to content/, inside
 * it (no "..", not absolute, no symlink out), naming an existing file.
 * Reports at file:line:col what is wrong, naming the column `what`.
 * Returns true when the path is good. */
bool liang_site_check_path(liang_site *s, const char *path, const char *file, long line,
			   long col, const char *what);

/* What the path checks learnt of the image at path (relative to
 * content/) when it was checked and found good: its plan, and its
 * content hash when s->hash_images (else *hash is left alone and false
 * is returned in *hashed; either may be NULL). False when the image was
 * not checked (or not found good). Safe on any thread. */
bool liang_site_image(liang_site *s, const char *path, liang_img_plan *plan, uint64_t *hash, bool *hashed);

/* Run the privacy guard over public text: a personal number (mobile or
 * ID) is an error, or a warning when site.yaml allows personal data.
 * text starts at file:line:col; csv_quoted says it was a quoted CSV
 * cell, in which each '"' of the text was written twice. */
void liang_site_check_pii(liang_site *s, const char *text, size_t len, const char *file,
			  long line, long col, bool csv_quoted, const char *what);

/* The same for text read before collectives.csv is loaded (whose public
 * numbers the text may quote): the hits wait in later, and
 * liang_site_pii_settle reports those that are not public, once the
 * numbers are known. what must live until then. */
typedef struct liang_pii_later {
	struct liang_pii_held *v;
	size_t n, cap;
} liang_pii_later;
void liang_site_check_pii_later(liang_site *s, liang_pii_later *later, const char *text, size_t len,
				const char *file, long line, long col, bool csv_quoted, const char *what);
void liang_site_pii_settle(liang_site *s, liang_pii_later *later);

/* What the checks read of each photo (its size, EXIF orientation and
 * content hash) is kept in dir/photos.txt by a build, with the file's
 * identity: device, inode, size, modification and change times. Writing
 * a file, or setting its times, changes its change time; so a later
 * build takes what it needs from there for a photo whose file is the
 * same, instead of reading every photo whole again; a file changed in
 * the last seconds before the build is not remembered yet, since times
 * kept in whole seconds would not show a second change. Open before
 * liang_load_data (with hash_images set); save after a build that
 * succeeded. A cache that cannot be read or written costs only time. */
void liang_site_photos_open(liang_site *s, const char *dir);
void liang_site_photos_save(liang_site *s);

/* The SQL of a named query in queries.sql ("-- name: NAME"); static. */
const char *liang_query(const char *name);
/* The same, or NULL when there is no such query. */
const char *liang_query_find(const char *name);

#endif
