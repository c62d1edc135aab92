/* main — the command line: liang build | check | version | help. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "content.h"
#include "diag.h"
#include "embed.h"
#include "fault.h"
#include "i18n.h"
#include "load.h"
#include "markdown.h"
#include "out.h"
#include "progress.h"
#include "site.h"
#include "stats.h"
#include "util.h"

#ifndef LIANG_VERSION
#define LIANG_VERSION "0.1.0"
#endif

static const char usage_main[] =
	"用法：liang 命令 [选项]\n"
	"\n"
	"命令：\n"
	"  build    检查数据并生成网站（写入 OUT，默认 SITE/out）\n"
	"  check    只检查数据，报告全部错误，不写任何文件\n"
	"  stats    排名、统计和合规检查（liang stats 列出全部）\n"
	"  version  显示版本\n"
	"  help     显示本帮助；liang 命令 --help 显示该命令的帮助\n"
	"\n"
	"Usage: liang build|check|stats|version|help [options]; liang CMD --help for details.\n";

static const char usage_stats[] =
	"用法：liang stats [名称] [--format tsv|csv|json] [-C 站点目录]\n"
	"      liang stats all -o 目录 [--format tsv|csv|json] [-C 站点目录]\n"
	"\n"
	"不带名称时列出全部统计；带名称时载入并检查站点数据，把该统计输出到标准输出，\n"
	"第一行为英文列名（TSV 默认；CSV 可用 Excel 打开；JSON 为对象数组）。\n"
	"all 把全部统计一次算出，每项写成 目录/名称.tsv（.csv、.json）。\n"
	"定义在 src/stats.sql 中；权重、周期和阈值在 site.yaml 的 stats 下设置。\n"
	"\n"
	"  -C DIR          站点目录（默认 .）\n"
	"  --format FMT    tsv（默认）、csv 或 json\n"
	"  -o DIR          all 的输出目录（没有则创建）\n"
	"  -q              安静：只显示错误，不显示警告\n"
	"\n"
	"退出状态：0 成功；1 数据有错误；2 用法错误或没有该统计。\n";

static const char usage_build[] =
	"用法：liang build [-C 站点目录] [-o 输出目录] [-q]\n"
	"\n"
	"读取站点目录（默认当前目录）中的 site.yaml、data/*.csv 和 content/，检查全部数据，\n"
	"生成网站。先写入输出目录旁的临时目录，全部成功后才整体替换输出目录；\n"
	"有任何错误时不改动原有的输出目录。\n"
	"\n"
	"  -C DIR   站点目录（默认 .）\n"
	"  -o DIR   输出目录（默认 站点目录/out）\n"
	"  -q       安静：只显示错误\n"
	"\n"
	"退出状态：0 成功；1 数据有错误或写入失败；2 用法错误。\n"
	"SOURCE_DATE_EPOCH 设定构建日期；未设定时用 site.yaml 的 build_date，\n"
	"再没有则用输入中最新的日期，因此相同的输入总是生成相同的输出。\n";

static const char usage_check[] =
	"用法：liang check [-C 站点目录] [-q]\n"
	"\n"
	"检查站点的 site.yaml、data/*.csv 和 content/，按文件和行号列出全部错误和警告，\n"
	"格式为 文件:行:列: error: 说明。不写任何文件。\n"
	"\n"
	"  -C DIR     站点目录（默认 .）\n"
	"  -q         安静：只显示错误\n"
	"  --db FILE  把载入的数据库另存为 FILE（SQLite），供排查问题\n"
	"\n"
	"退出状态：0 没有错误（可以有警告）；1 有错误；2 用法错误。\n";

static void S_on_signal(int sig)
{
	liang_interrupted = sig;
}

typedef enum { CMD_BUILD, CMD_CHECK, CMD_STATS } command;

typedef struct options {
	const char *site;
	const char *out;    /* build -o */
	const char *db;     /* check --db */
	const char *name;   /* stats NAME */
	const char *format; /* stats --format */
	bool quiet;
	bool help;
	bool build;
	bool readers; /* other threads read the loaded database */
	bool by_collective; /* index each table by collective (see S_parse) */
} options;

static int S_parse(int argc, char **argv, options *o, command cmd, const char *usage)
{
	bool is_build = cmd == CMD_BUILD;
	memset(o, 0, sizeof *o);
	o->site = ".";
	o->format = "tsv";
	o->build = is_build;
	/* a check runs the sql blocks on two threads too */
	o->readers = is_build || cmd == CMD_CHECK;
	/* A check reads no collective's rows: its own lookups are by 编号,
	 * and the sql blocks of content get an automatic index from SQLite
	 * where they join. Everything else reads by collective. */
	o->by_collective = cmd != CMD_CHECK;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = true;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = true;
		} else if (!strcmp(a, "-C") && i + 1 < argc) {
			o->site = argv[++i];
		} else if (!strncmp(a, "-C", 2) && a[2]) {
			o->site = a + 2;
		} else if ((is_build || cmd == CMD_STATS) && !strcmp(a, "-o") && i + 1 < argc) {
			o->out = argv[++i];
		} else if ((is_build || cmd == CMD_STATS) && !strncmp(a, "-o", 2) && a[2]) {
			o->out = a + 2;
		} else if (cmd == CMD_CHECK && !strcmp(a, "--db") && i + 1 < argc) {
			o->db = argv[++i];
		} else if (cmd == CMD_STATS && !strcmp(a, "--format") && i + 1 < argc) {
			o->format = argv[++i];
		} else if (cmd == CMD_STATS && !strncmp(a, "--format=", 9)) {
			o->format = a + 9;
		} else if (cmd == CMD_STATS && a[0] != '-' && !o->name) {
			o->name = a;
		} else {
			fprintf(stderr, "liang: error: 无法识别的参数“%s”\n\n%s", a, usage);
			return -1;
		}
	}
	return 0;
}

static void S_summary_check(liang_site *s, liang_diags *d, double t0)
{
	if (s->quiet)
		return;
	fprintf(stderr, "liang: 检查了 %ld 个文件、%ld 行数据：%zu 个错误，%zu 个警告（%.2f 秒）\n", s->files,
		s->rows, d->errors, d->warnings, liang_now() - t0);
}

/* Print a report made by liang_diags_text, and let it go. */
static void S_print(liang_site *s, liang_buf *text)
{
	liang_progress_done(s);
	fputs(liang_buf_cstr(text), stderr);
	fflush(stderr);
	liang_buf_free(text);
}

/* Print what was found; warnings are left out with -q. */
static void S_report(liang_site *s, liang_diags *d)
{
	liang_buf b = LIANG_BUF_INIT;
	liang_diags_text(d, s->quiet, &b);
	S_print(s, &b);
}

/* A copy of schema of s->db (an empty database when s->db has none),
 * attached to dst as name: 0 or -1. */
static int S_copy_in(liang_site *s, const char *schema, sqlite3 *dst, const char *name)
{
	char *sql = sqlite3_mprintf("ATTACH ':memory:' AS %s", name);
	int rc = sqlite3_exec(dst, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return -1;
	if (!strcmp(schema, "aux") && !s->aux)
		return 0;
	sqlite3_int64 size = 0;
	unsigned char *image = sqlite3_serialize(s->db, schema, &size, 0);
	return image && sqlite3_deserialize(dst, name, image, size, size,
					    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) == SQLITE_OK
		       ? 0
		       : -1;
}

/* Save the loaded data as one SQLite file: the schema in its usual order,
 * each table's rows from whichever database the loader put them in, its
 * indexes, and the views as plain ones. */
static int S_save_db(liang_site *s, const char *path, liang_diags *d)
{
	sqlite3 *dst;
	unlink(path);
	int rc = sqlite3_open(path, &dst);
	liang_buf views = LIANG_BUF_INIT;
	liang_buf_puts(&views, liang_embedded_text("src/views.sql"));
	for (char *p = views.ptr; (p = strstr(p, "CREATE TEMP VIEW")) != NULL;)
		memcpy(p, "CREATE      VIEW", 16);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, liang_embedded_text("src/schema.sql"), NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, views.ptr, NULL, NULL, NULL);
	liang_buf_free(&views);
	if (rc == SQLITE_OK && (S_copy_in(s, "main", dst, "src") < 0 || S_copy_in(s, "aux", dst, "srcaux") < 0))
		rc = SQLITE_ERROR;
	/* each table from the database that holds it, then the indexes */
	static const char *const steps[] = {
		"SELECT 'INSERT INTO main.\"' || replace(t.name, '\"', '\"\"') || '\" SELECT * FROM ' || "
		"CASE WHEN a.name IS NULL THEN 'src' ELSE 'srcaux' END || '.\"' || replace(t.name, '\"', '\"\"') || '\"' "
		"FROM main.sqlite_master t LEFT JOIN srcaux.sqlite_master a ON a.type = 'table' AND a.name = t.name "
		"WHERE t.type = 'table' ORDER BY t.rowid",
		"SELECT sql FROM src.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
		"UNION ALL SELECT sql FROM srcaux.sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
	};
	for (size_t k = 0; k < sizeof steps / sizeof *steps && rc == SQLITE_OK; k++) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(dst, steps[k], -1, &st, NULL);
		while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			rc = sqlite3_exec(dst, (const char *)sqlite3_column_text(st, 0), NULL, NULL, NULL);
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		liang_error(d, NULL, 0, 0, "无法写入 %s：%s", path, sqlite3_errmsg(dst));
	sqlite3_close(dst);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Load everything and check each file; shared by build and check. */
static int S_load_data(liang_site *s, const options *o, liang_diags *d)
{
	if (liang_site_open_for(s, o->site, d, o->quiet, o->readers) < 0)
		return -1;
	s->by_collective = o->by_collective || o->db; /* check --db saves them too */
	s->hash_images = o->build; /* the photos are published by their hash */
	if (o->build) {
		char *cache = liang_cache_dir(o->site, "");
		liang_site_photos_open(s, cache);
		free(cache);
	}
	liang_load_data(s);
	liang_content_load(s);
	liang_site_date(s);
	liang_site_params(s);
	/* the loaded pages are all in the database's image now: the page
	 * cache of the loading connection (up to 64 MB a database) goes */
	sqlite3_db_release_memory(s->db);
	return 0;
}

static int S_load(liang_site *s, const options *o, liang_diags *d)
{
	if (S_load_data(s, o, d) < 0)
		return -1;
	liang_load_cross_checks(s);
	return 0;
}

/* The C library's allocator takes fresh memory from the kernel in pages
 * of 4 KB, a page fault each: a build of a few thousand collectives
 * touches hundreds of MB and spent a fifth of its time in those faults.
 * glibc asks for transparent huge pages (2 MB) with glibc.malloc.hugetlb=1,
 * and grows its heaps in larger steps with glibc.malloc.top_pad, but reads
 * either only from the environment as a program starts (GLIBC_TUNABLES;
 * there is no call to set them). So a command over a large data/ starts
 * liang again, once, with both set: the output is the same, only faster.
 * GLIBC_TUNABLES set already (even empty) is the user's choice and is
 * left alone; so are valgrind and the sanitizers, which replace the
 * allocator, a program run with privileges (AT_SECURE: glibc may drop
 * the variable, and liang would start again and again) and one started
 * through the dynamic loader (/proc/self/exe is then the loader). A
 * small site is not worth the second start (5–10 ms). */
#define LIANG_TUNABLES "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432"
#define LIANG_TUNE_BYTES (1 << 20)
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define LIANG_OWN_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIANG_OWN_ALLOCATOR 1
#endif

#if defined(__GLIBC__) && !defined(LIANG_OWN_ALLOCATOR)
/* Is /proc/self/exe the file that was started (AT_EXECFN)? Not when the
 * dynamic loader was started with liang as its argument. */
static bool S_started_as_itself(void)
{
	const char *fn = (const char *)getauxval(AT_EXECFN);
	struct stat a, b;
	return fn && stat(fn, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}
#endif

static void S_tune_allocator(char **argv, const char *site)
{
#if defined(__GLIBC__) && !defined(LIANG_OWN_ALLOCATOR)
	const char *t = getenv("GLIBC_TUNABLES");
	if (t) {
		if (!strcmp(t, LIANG_TUNABLES) && liang_progress_timings())
			fprintf(stderr, "timing: %-20s %s\n", "allocator", LIANG_TUNABLES);
		return;
	}
	const char *pre = getenv("LD_PRELOAD");
	if ((pre && strstr(pre, "vgpreload")) || getauxval(AT_SECURE) || liang_data_bytes(site) < LIANG_TUNE_BYTES ||
	    !S_started_as_itself())
		return;
	if (setenv("GLIBC_TUNABLES", LIANG_TUNABLES, 1) != 0)
		return;
	fflush(NULL);
	execv("/proc/self/exe", argv);
	unsetenv("GLIBC_TUNABLES"); /* no /proc: go on as started */
#else
	(void)argv;
	(void)site;
	if (liang_progress_timings())
		fprintf(stderr, "timing: %-20s %s\n", "allocator", "its own (a sanitizer's or another C library's)");
#endif
}

static int S_check(int argc, char **argv)
{
	options o;
	if (S_parse(argc, argv, &o, CMD_CHECK, usage_check) < 0)
		return 2;
	if (o.help) {
		fputs(usage_check, stdout);
		return 0;
	}
	S_tune_allocator(argv, o.site);
	double t0 = liang_now();
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	if (S_load_data(&s, &o, &d) == 0) {
		/* the sql blocks on another thread meanwhile */
		liang_mdcheck *c = liang_markdown_check_start(&s);
		liang_load_cross_checks(&s);
		liang_progress_stage(&s, "sql blocks");
		liang_markdown_check_finish(c);
		if (o.db)
			S_save_db(&s, o.db, &d);
	}
	S_report(&s, &d);
	S_summary_check(&s, &d, t0);
	int rc = d.errors ? 1 : 0;
	liang_site_close(&s);
	liang_diags_free(&d);
	return rc;
}

static void S_human_bytes(char *dst, size_t cap, unsigned long long n)
{
	if (n >= 1024ULL * 1024)
		snprintf(dst, cap, "%.1f MB", (double)n / (1024.0 * 1024));
	else if (n >= 1024)
		snprintf(dst, cap, "%.1f KB", (double)n / 1024.0);
	else
		snprintf(dst, cap, "%llu B", n);
}

static int S_build(int argc, char **argv)
{
	options o;
	if (S_parse(argc, argv, &o, CMD_BUILD, usage_build) < 0)
		return 2;
	if (o.help) {
		fputs(usage_build, stdout);
		return 0;
	}
	S_tune_allocator(argv, o.site);
	double t0 = liang_now();
	char *cache = liang_cache_dir(o.site, "");
	liang_i18n_cache_open(cache);
	free(cache);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = S_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	char *out_dir = o.out ? liang_xstrdup(o.out) : liang_path_join(o.site, "out");
	liang_out out;
	memset(&out, 0, sizeof out);
	int rc = 1;
	/* the checks across files are made by the build, while its second
	 * thread computes the statistics, or here when there is no build */
	if (S_load_data(&s, &o, &d) < 0)
		goto report;
	if (d.errors) {
		liang_load_cross_checks(&s);
		goto report;
	}
	if (liang_out_begin(&out, out_dir, &d) < 0) {
		liang_load_cross_checks(&s);
		goto report;
	}
	if (liang_build_site(&s, &out) < 0 || liang_interrupted || d.errors) {
		if (liang_interrupted)
			liang_error(&d, NULL, 0, 0, "构建被中断，原有的输出目录保持不变");
		liang_out_abort(&out);
		goto report;
	}
	long pages = out.pages, files = out.files;
	unsigned long long bytes = out.bytes;
	/* Once the new site is in, nothing may fail: running out of memory
	 * then would say the build failed over a published site. So all
	 * that allocates comes first: the caches, which describe the input
	 * and hold whether or not the swap succeeds, and the report. */
	liang_i18n_cache_save();
	liang_site_photos_save(&s);
	liang_buf text = LIANG_BUF_INIT;
	liang_diags_text(&d, s.quiet, &text);
	if (liang_out_commit(&out) < 0) {
		liang_buf_free(&text);
		liang_out_abort(&out);
		goto report;
	}
	liang_fault_published();
	rc = 0;
	S_print(&s, &text);
	if (!o.quiet) {
		char hb[32];
		S_human_bytes(hb, sizeof hb, bytes);
		fprintf(stderr, "liang: 已生成 %ld 个页面、%ld 个文件，共 %llu 字节（%s），用时 %.2f 秒 → %s\n", pages,
			files, bytes, hb, liang_now() - t0, out_dir);
	}
	fflush(stderr);
	goto done;
report:
	S_report(&s, &d);
	if (!o.quiet)
		fprintf(stderr, "liang: 构建失败：%zu 个错误，%zu 个警告；输出目录 %s 未改动\n", d.errors,
			d.warnings, out_dir);
done:
	liang_site_close(&s);
	liang_diags_free(&d);
	free(out_dir);
	return rc;
}

/* liang stats all -o DIR: every statistic into DIR/<name>.<format>, on
 * two threads when the database can be shared. The base_ tables that
 * several statistics read are made once for both threads (see
 * liang_stat_share); each thread first takes the statistics of the bases
 * it is to make (base_activities: activity, compliance on the first;
 * base_members, base_activity_months, base_surveys: totals, satisfaction
 * on the second), so that neither waits for a base the other is making,
 * then whichever is free takes the others. */
typedef struct stats_run {
	liang_site *s;
	const char *dir;
	liang_format f;
	atomic_size_t next; /* the next free statistic */
	double *seconds;    /* each one's time, for LIANG_TIMINGS */
	liang_stat_share *share; /* the base tables of both threads */
	atomic_int failed;
} stats_run;

typedef struct stats_lane {
	stats_run *r;
	sqlite3 *db;
	int lane;
} stats_lane;

static int S_stat_lane(const char *name)
{
	const char *sql = liang_query_find(name);
	if (sql && strstr(sql, "base_activities"))
		return 0;
	if (sql && (strstr(sql, "base_activity_months") || strstr(sql, "base_members") || strstr(sql, "base_surveys")))
		return 1;
	return -1;
}

static void S_stat_one(stats_lane *l, size_t i)
{
	static const char *const ext[] = {"tsv", "csv", "json"};
	stats_run *r = l->r;
	double t0 = liang_now();
	char *path = liang_xasprintf("%s/%s.%s", r->dir, liang_stats[i].name, ext[r->f]);
	FILE *fp = fopen(path, "w");
	if (!fp) {
		fprintf(stderr, "liang: error: 无法写入 %s：%s\n", path, strerror(errno));
		atomic_store(&r->failed, 1);
	} else {
		if (liang_stats_print(l->db, liang_stats[i].name, r->f, fp) < 0)
			atomic_store(&r->failed, 1);
		if (fclose(fp) != 0) {
			fprintf(stderr, "liang: error: 无法写入 %s：%s\n", path, strerror(errno));
			atomic_store(&r->failed, 1);
		}
	}
	free(path);
	r->seconds[i] = liang_now() - t0;
}

static void *S_stats_lane(void *arg)
{
	stats_lane *l = arg;
	liang_stat_share_use(l->r->share);
	/* each one, whatever became of the one before: every failure is told */
	for (size_t i = 0; i < liang_nstats; i++)
		if (S_stat_lane(liang_stats[i].name) == l->lane)
			S_stat_one(l, i);
	for (size_t i; (i = atomic_fetch_add(&l->r->next, 1)) < liang_nstats;)
		if (S_stat_lane(liang_stats[i].name) < 0)
			S_stat_one(l, i);
	liang_stat_share_use(NULL);
	return NULL;
}

static int S_stats_all(liang_site *s, const char *dir, liang_format f)
{
	if (liang_mkdirs(dir, 0777) < 0) {
		fprintf(stderr, "liang: error: 无法创建目录 %s：%s\n", dir, strerror(errno));
		return 1;
	}
	stats_run r = {.s = s, .dir = dir, .f = f, .seconds = liang_xcalloc(liang_nstats, sizeof *r.seconds)};
	atomic_init(&r.next, 0);
	atomic_init(&r.failed, 0);
	stats_lane self = {&r, liang_site_reader(s), 0}, other = {&r, NULL, 1};
	if (self.db)
		other.db = liang_site_reader(s);
	pthread_t th;
	if (other.db)
		r.share = liang_stat_share_new();
	bool threaded = other.db && pthread_create(&th, NULL, S_stats_lane, &other) == 0;
	if (!self.db)
		self.db = s->db;
	S_stats_lane(&self);
	if (!threaded) { /* this thread does the other's share too */
		if (other.db)
			sqlite3_close(other.db);
		other.db = self.db;
		S_stats_lane(&other);
	} else {
		pthread_join(th, NULL);
	}
	if (other.db != self.db)
		sqlite3_close(other.db);
	if (self.db != s->db)
		sqlite3_close(self.db);
	liang_stat_share_free(r.share); /* after the connections that map it */
	if (liang_progress_timings())
		for (size_t i = 0; i < liang_nstats; i++)
			fprintf(stderr, "stat: %-20s %8.3f s\n", liang_stats[i].name, r.seconds[i]);
	free(r.seconds);
	int rc = atomic_load(&r.failed) ? 1 : 0;
	if (rc == 0 && !s->quiet)
		fprintf(stderr, "liang: %zu 项统计已写入 %s\n", liang_nstats, dir);
	return rc;
}

static int S_stats(int argc, char **argv)
{
	options o;
	if (S_parse(argc, argv, &o, CMD_STATS, usage_stats) < 0)
		return 2;
	if (o.help) {
		fputs(usage_stats, stdout);
		return 0;
	}
	S_tune_allocator(argv, o.site);
	liang_format f = !strcmp(o.format, "tsv") ? LIANG_TSV : !strcmp(o.format, "csv") ? LIANG_CSV
			 : !strcmp(o.format, "json") ? LIANG_JSON : (liang_format)-1;
	if ((int)f < 0) {
		fprintf(stderr, "liang: error: 未知的输出格式“%s”（可用 tsv、csv、json）\n", o.format);
		return 2;
	}
	if (!o.name && o.out) {
		fprintf(stderr, "liang: error: -o 只用于 liang stats all\n\n%s", usage_stats);
		return 2;
	}
	if (!o.name) {
		int w = 0;
		for (size_t i = 0; i < liang_nstats; i++)
			if ((int)strlen(liang_stats[i].name) > w)
				w = (int)strlen(liang_stats[i].name);
		for (size_t i = 0; i < liang_nstats; i++)
			printf("%-*s  %s：%s\n", w, liang_stats[i].name, liang_stats[i].title, liang_stats[i].about);
		return 0;
	}
	bool all = !strcmp(o.name, "all");
	if (!all && !liang_stat_find(o.name)) {
		fprintf(stderr, "liang: error: 没有名为“%s”的统计；liang stats 列出全部\n", o.name);
		return 2;
	}
	if (all != (o.out != NULL)) {
		fprintf(stderr, "liang: error: %s\n\n%s", all ? "liang stats all 需要用 -o 指定输出目录"
							: "-o 只用于 liang stats all",
			usage_stats);
		return 2;
	}
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	int rc = 1;
	o.readers = all; /* its threads read the loaded database */
	if (S_load(&s, &o, &d) == 0 && !d.errors) {
		liang_progress_stage(&s, "statistics"); /* LIANG_TIMINGS=1: the queries' own time */
		if (all) {
			rc = S_stats_all(&s, o.out, f);
		} else {
			rc = liang_stats_print(s.db, o.name, f, stdout) == 0 ? 0 : 1;
			fflush(stdout);
		}
	}
	S_report(&s, &d);
	if (d.errors)
		fprintf(stderr, "liang: 数据有 %zu 个错误，未输出统计\n", d.errors);
	liang_site_close(&s);
	liang_diags_free(&d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	atexit(liang_i18n_cleanup); /* so that valgrind sees no leak */
	if (!strcmp(cmd, "build"))
		return S_build(argc, argv);
	if (!strcmp(cmd, "check"))
		return S_check(argc, argv);
	if (!strcmp(cmd, "stats"))
		return S_stats(argc, argv);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("liang %s\n", LIANG_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		if (argc > 2 && !strcmp(argv[2], "build"))
			fputs(usage_build, stdout);
		else if (argc > 2 && !strcmp(argv[2], "check"))
			fputs(usage_check, stdout);
		else if (argc > 2 && !strcmp(argv[2], "stats"))
			fputs(usage_stats, stdout);
		else
			fputs(usage_main, stdout);
		return 0;
	}
	fprintf(stderr, "liang: error: 未知的命令“%s”\n\n%s", cmd, usage_main);
	return 2;
}
