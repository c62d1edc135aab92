/* gallery — /openweek/ and /works/, responsive photos, and the images
 * they publish.
 *
 * Pages need the size of every form of a photo before the image exists
 * (width and height attributes, srcset): the header of the source says
 * it (imgproc's plan), so pages are rendered first and the images made
 * afterwards, on both cores, from the cache when the source bytes are
 * the same as last time. */
#define _DEFAULT_SOURCE
#include "gallery.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "imgproc.h"
#include "progress.h"
#include "util.h"

/* Cards to a page of /openweek/ and /works/. */
#define CARDS_PER_PAGE 48

typedef struct photo {
	liang_img_plan plan;
	bool ok;
} photo;

typedef struct gallery {
	pthread_mutex_t lock;
	liang_strmap index; /* content path → index into photos */
	photo *photos;
	size_t n, cap;
	liang_img_cache cache;
	/* liang_gallery_publish */
	atomic_size_t next;
	atomic_long made, cached;
	atomic_bool failed;
} gallery;

void liang_gallery_begin(builder *b)
{
	gallery *g = liang_xcalloc(1, sizeof *g);
	pthread_mutex_init(&g->lock, NULL);
	liang_strmap_init(&g->index);
	char *dir = liang_cache_dir(b->s->root, "img");
	liang_img_cache_open(&g->cache, dir);
	free(dir);
	b->gallery = g;
}

void liang_gallery_end(builder *b)
{
	gallery *g = b->gallery;
	if (!g)
		return;
	liang_img_cache_close(&g->cache);
	liang_strmap_free(&g->index);
	free(g->photos);
	pthread_mutex_destroy(&g->lock);
	free(g);
	b->gallery = NULL;
}

/* ------------------------------------------------------------- photos */

/* The plan of the image at content path into *out, read once per build
 * (copied: the table may move when the other thread adds to it); false
 * (and reported) when the image cannot be read. */
static bool S_plan(builder *b, const char *path, liang_img_plan *out)
{
	gallery *g = b->gallery;
	size_t len = strlen(path);
	pthread_mutex_lock(&g->lock);
	long *i = liang_strmap_get(&g->index, path, len);
	photo ph = i ? g->photos[*i] : (photo){{0}, false};
	pthread_mutex_unlock(&g->lock);
	if (i) {
		*out = ph.plan;
		return ph.ok;
	}
	/* the check of the data read it (a path of data or front matter) */
	if (liang_site_image(b->s, path, out, NULL, NULL))
		return true;
	/* read outside the lock: the other thread keeps rendering */
	char *full = liang_path_join(b->s->content_dir, path);
	size_t n;
	char *data = liang_file_read(full, &n);
	char why[256] = "无法读取";
	ph.ok = data && liang_img_plan_of((unsigned char *)data, n, &ph.plan, why, sizeof why) == 0;
	free(data);
	free(full);
	pthread_mutex_lock(&g->lock);
	long at;
	if (liang_strmap_add(&g->index, path, len, (long)g->n, &at)) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 256;
			g->photos = liang_xrealloc(g->photos, g->cap * sizeof *g->photos);
		}
		g->photos[g->n++] = ph;
		at = (long)g->n - 1;
		if (!ph.ok) {
			liang_error(b->s->diags, NULL, 0, 0, "图片 content/%s 无法处理：%s", path, why);
			b->failed = 1;
		}
	}
	ph = g->photos[at];
	pthread_mutex_unlock(&g->lock);
	*out = ph.plan;
	return ph.ok;
}

/* Appends to a string being written into memory sized beforehand. */
static char *S_cat(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *S_uint(char *p, unsigned v)
{
	return p + liang_digits(p, v, false);
}

/* ROOT + "media/a/b.jpg" → ROOT + "media/a/b.w480.jpg" (w = 0: the
 * original): published names never hold a dot but before the extension,
 * so these cannot meet another file's. */
static char *S_sized(char *p, const char *root, size_t rl, const char *url, size_t stem, size_t ul, unsigned w)
{
	p = S_cat(p, root, rl);
	if (!w)
		return S_cat(p, url, ul);
	p = S_cat(p, url, stem);
	p = S_cat(p, ".w", 2);
	p = S_uint(p, w);
	return S_cat(p, ".jpg", 4);
}

/* The longest that S_sized writes past root and url (16 bytes), and a
 * terminating NUL. */
#define SIZED_EXTRA 20

static const char *S_sized_url(liang_arena *a, const char *url, unsigned w)
{
	size_t ul = strlen(url);
	const char *dot = strrchr(url, '.');
	char *r = liang_arena_alloc(a, ul + SIZED_EXTRA);
	*S_sized(r, "", 0, url, dot ? (size_t)(dot - url) : ul, ul, w) = '\0';
	return r;
}

/* A string value of the arena string from s to end (terminated here). */
static liang_value *S_strval(liang_arena *a, const char *s, char *end)
{
	*end = '\0';
	liang_value *v = liang_arena_alloc(a, sizeof *v);
	v->type = LIANG_V_STR;
	v->u.str.s = s;
	v->u.str.len = (size_t)(end - s);
	return v;
}

static liang_value *S_photo(builder *b, const char *root, const char *path, const char *alt, bool lazy)
{
	static liang_value lazy_v = LIANG_V_LIT("lazy"), async_v = LIANG_V_LIT("async"),
			   feature_v = LIANG_V_LIT("feature"), high_v = LIANG_V_LIT("high"),
			   /* the layout of style.css: the feature photo spans the
			    * column (at most 1120 px), the others are tiles of 2,
			    * 3 or 4 to a row */
			   tile_sizes = LIANG_V_LIT("(min-width: 1152px) 270px, (min-width: 720px) 31vw, 47vw"),
			   feature_sizes = LIANG_V_LIT("(min-width: 1152px) 1120px, 100vw");
	liang_arena *a = &b->arena;
	liang_img_plan plan;
	const liang_img_plan *p = &plan;
	if (!S_plan(b, path, &plan))
		return NULL;
	const char *url = liang_b_media(b, path);
	if (!url)
		return NULL;
	size_t rl = strlen(root), ul = strlen(url);
	const char *dot = strrchr(url, '.');
	size_t stem = dot ? (size_t)(dot - url) : ul;
	/* the original is the widest form when it is no wider than the
	 * widest derived width */
	bool orig_in_set = p->width <= liang_img_widths[LIANG_IMG_NWIDTHS - 1];
	/* src (for browsers without srcset): the widest form up to 960 */
	int s = -1;
	for (int k = 0; k < p->n; k++)
		if (p->w[k] <= 960)
			s = k;
	size_t one = rl + ul + SIZED_EXTRA;

	/* a tile is at most 270 CSS px wide on a desktop and 357 (31vw) on
	 * a tablet, which has about 2 device pixels to one: its srcset stops
	 * at the form src takes, the widest up to 960; the large form is
	 * behind the link */
	int last = lazy && s >= 0 ? s : p->n - 1;
	bool orig = orig_in_set && (!lazy || s < 0 || p->width <= 960);
	char *srcset = liang_arena_alloc(a, (size_t)(p->n + 1) * (one + 16));
	char *e = srcset;
	for (int k = 0; k <= last; k++) {
		if (k)
			e = S_cat(e, ", ", 2);
		e = S_sized(e, root, rl, url, stem, ul, p->w[k]);
		*e++ = ' ';
		e = S_uint(e, p->w[k]);
		*e++ = 'w';
	}
	if (orig) {
		if (last >= 0)
			e = S_cat(e, ", ", 2);
		e = S_sized(e, root, rl, url, stem, ul, 0);
		*e++ = ' ';
		e = S_uint(e, p->width);
		*e++ = 'w';
	}
	liang_value *srcset_v = S_strval(a, srcset, e);
	char *src = liang_arena_alloc(a, one);
	liang_value *src_v = S_strval(a, src, S_sized(src, root, rl, url, stem, ul, s >= 0 ? p->w[s] : 0));
	char *large = liang_arena_alloc(a, one);
	liang_value *large_v =
		S_strval(a, large, S_sized(large, root, rl, url, stem, ul, orig_in_set ? 0 : p->w[p->n - 1]));

	liang_value *ph = liang_v_map(a);
	liang_v_add(a, ph, "src", src_v);
	liang_v_add(a, ph, "width", liang_v_int(a, s >= 0 ? p->w[s] : p->width));
	liang_v_add(a, ph, "height", liang_v_int(a, s >= 0 ? p->h[s] : p->height));
	liang_v_add(a, ph, "srcset", srcset_v);
	liang_v_add(a, ph, "large", large_v);
	liang_v_add(a, ph, "large_w", liang_v_int(a, orig_in_set ? p->width : p->w[p->n - 1]));
	liang_v_add(a, ph, "large_h", liang_v_int(a, orig_in_set ? p->height : p->h[p->n - 1]));
	liang_v_add(a, ph, "alt", liang_v_str(a, alt ? alt : ""));
	/* the feature photo is the page's largest content: fetched first
	 * and painted with the page; the others load as they scroll in */
	if (lazy) {
		liang_v_add(a, ph, "loading", &lazy_v);
		liang_v_add(a, ph, "decoding", &async_v);
	} else {
		liang_v_add(a, ph, "class", &feature_v);
		liang_v_add(a, ph, "priority", &high_v);
	}
	liang_v_add(a, ph, "sizes", lazy ? &tile_sizes : &feature_sizes);
	return ph;
}

/* A gallery as a template sees it: partials/gallery shows the map
 * `gallery` (its caption, once, and its photos), so a page holds it in a
 * list of one to loop over. */
static liang_value *S_one(liang_arena *a, liang_value *photos, const char *caption)
{
	liang_value *l = liang_v_list(a);
	if (photos->u.list.n) {
		liang_value *g = liang_v_map(a);
		liang_v_add(a, g, "caption", liang_v_str(a, caption ? caption : ""));
		liang_v_add(a, g, "photos", photos);
		liang_v_push(a, l, g);
	}
	return l;
}

liang_value *liang_gallery_photos(builder *b, const char *rel, const char *paths, const char *alt,
				  bool first_eager)
{
	liang_arena *a = &b->arena;
	liang_value *list = liang_v_list(a);
	if (!paths || !*paths)
		return list;
	const char *root = liang_b_root(b, rel);
	size_t count = 0;
	for (const char *q = paths; *q; q += strcspn(q, ";"), q += *q == ';')
		count++;
	for (const char *p = paths; *p;) {
		size_t n = strcspn(p, ";");
		const char *one = liang_arena_strndup(a, p, n);
		if (liang_img_named(one)) {
			bool lazy = !(first_eager && list->u.list.n == 0);
			/* each link of a gallery says which photo it is */
			const char *alt_i = count > 1 ? liang_arena_printf(a, "%s（照片 %zu/%zu）", alt ? alt : "",
									  list->u.list.n + 1, count)
						      : alt;
			liang_value *ph = S_photo(b, root, one, alt_i, lazy);
			if (ph)
				liang_v_push(a, list, ph);
		}
		p += n;
		if (*p == ';')
			p++;
	}
	return list;
}

const char *liang_gallery_smallest(builder *b, const char *path)
{
	liang_img_plan plan;
	const char *url = liang_b_media(b, path);
	if (!url || !liang_img_named(path) || !S_plan(b, path, &plan) || plan.n == 0)
		return url;
	return S_sized_url(&b->arena, url, plan.w[0]);
}

liang_value *liang_gallery_of(builder *b, const char *rel, const char *paths, const char *alt, bool first_eager)
{
	return S_one(&b->arena, liang_gallery_photos(b, rel, paths, alt, first_eager), alt);
}

liang_value *liang_gallery_cover(builder *b, const char *rel, const char *paths, const char *alt)
{
	if (!paths)
		return &liang_null;
	size_t n = strcspn(paths, ";");
	char *one = liang_xstrndup(paths, n);
	liang_value *ph = liang_img_named(one) ? S_photo(b, liang_b_root(b, rel), one, alt, true) : NULL;
	free(one);
	return ph ? ph : &liang_null;
}

/* -------------------------------------------------------------- pages */

/* "2026-05" → "2026 年 5 月" */
static const char *S_month(liang_arena *a, const char *date)
{
	int y = 0, m = 0;
	if (!date || sscanf(date, "%d-%d", &y, &m) != 2)
		return "日期不详";
	return liang_arena_printf(a, "%d 年 %d 月", y, m);
}

static const char *S_numbers(liang_arena *a, sqlite3_stmt *st, int participants, int served)
{
	liang_buf nums = LIANG_BUF_INIT;
	if (sqlite3_column_type(st, participants) != SQLITE_NULL)
		liang_buf_printf(&nums, "参与 %lld 人", (long long)sqlite3_column_int64(st, participants));
	if (sqlite3_column_type(st, served) != SQLITE_NULL)
		liang_buf_printf(&nums, "%s服务 %lld 人次", nums.len ? " · " : "", (long long)sqlite3_column_int64(st, served));
	const char *r = nums.len ? liang_arena_strndup(a, nums.ptr, nums.len) : NULL;
	liang_buf_free(&nums);
	return r;
}

/* What a list of cards needs to know of its kind of page. */
typedef struct card_kind {
	const char *dir;      /* "openweek/" */
	const char *title;    /* 开放周 */
	const char *lead;
	const char *query;    /* rows: id, group, title, collective, name, date/form, photos */
	const char *count;    /* how many rows query gives */
	const char *(*group)(liang_arena *a, const char *value);
} card_kind;

/* The value itself, copied: a column's text lasts only until the next
 * step, and the group is compared with the next row's. */
static const char *S_same(liang_arena *a, const char *v)
{
	return v ? liang_arena_strndup(a, v, strlen(v)) : "";
}

/* The card lists, CARDS_PER_PAGE to a page, with a heading where the
 * group (month, 类别) changes. */
static void S_card_pages(builder *b, const card_kind *k)
{
	liang_arena *a = &b->arena;
	sqlite3_stmt *st = liang_b_prepare(b, k->query);
	if (!st)
		return;
	/* how many: from a count of its own (stepping through the query
	 * twice read every row and its collective twice) */
	long total = 0;
	sqlite3_stmt *count = liang_b_prepare(b, k->count);
	if (count && sqlite3_step(count) == SQLITE_ROW)
		total = sqlite3_column_int64(count, 0);
	sqlite3_finalize(count);
	long pages = total ? (total + CARDS_PER_PAGE - 1) / CARDS_PER_PAGE : 1;
	bool more = sqlite3_step(st) == SQLITE_ROW;
	liang_rowkeys keys = {0};
	for (long page = 1; page <= pages && !b->failed; page++) {
		char *rel = page == 1 ? liang_xasprintf("%sindex.html", k->dir)
				      : liang_xasprintf("%spage/%ld/index.html", k->dir, page);
		liang_value *scope = liang_b_scope(b, rel, k->dir,
						   page == 1 ? k->title : liang_arena_printf(a, "%s（第 %ld 页）", k->title, page));
		liang_value *pg = liang_v_map(a);
		liang_v_set(a, pg, "title", liang_v_str(a, k->title));
		liang_v_set(a, pg, "lead", liang_v_str(a, k->lead));
		liang_v_set(a, pg, "total", liang_v_int(a, total));
		liang_v_set(a, scope, "page", pg);
		liang_value *groups = liang_v_list(a), *cards = NULL;
		const char *last = NULL;
		for (int n = 0; n < CARDS_PER_PAGE && more; n++) {
			const char *g = k->group(a, liang_b_col(st, 1));
			if (!last || strcmp(g, last) != 0) {
				liang_value *gv = liang_v_map(a);
				liang_v_set(a, gv, "title", liang_v_str(a, g));
				cards = liang_v_list(a);
				liang_v_set(a, gv, "cards", cards);
				liang_v_push(a, groups, gv);
				last = g;
			}
			liang_value *c = liang_value_row_keyed(a, st, 0, &keys);
			liang_v_set(a, c, "url", liang_v_str(a, liang_arena_printf(a, "%s%s/%s", k->dir, liang_b_col(st, 0), b->idx)));
			liang_v_set(a, c, "cover", liang_gallery_cover(b, rel, liang_b_col(st, 6), liang_b_col(st, 2)));
			liang_v_push(a, cards, c);
			more = sqlite3_step(st) == SQLITE_ROW;
		}
		liang_v_set(a, scope, "groups", groups);
		liang_v_set(a, scope, "pager", liang_b_pager(b, k->dir, page, pages));
		liang_b_emit(b, rel, "cards", scope, true);
		free(rel);
		liang_arena_reset(a);
	}
	sqlite3_finalize(st);
	liang_rowkeys_free(&keys);
}

/* Fills the item of a page of one activity or work from its row. */
typedef void (*detail_fill)(builder *b, sqlite3_stmt *st, sqlite3_stmt *txt, liang_value *item);

/* A page DIR<编号>/ per row of query, whose columns are id, date or
 * category, title, collective, name, then the rest; the photos are
 * column photos. The template sees the row as var. */
static void S_detail_pages(builder *b, const char *query, const char *dir, const char *tmpl, const char *var,
			   int photos, detail_fill fill)
{
	liang_arena *a = &b->arena;
	sqlite3_stmt *st = liang_b_prepare(b, query);
	sqlite3_stmt *txt = liang_b_prepare(b, "text_of");
	liang_rowkeys keys = {0};
	while (st && txt && !b->failed && sqlite3_step(st) == SQLITE_ROW) {
		const char *title = liang_b_col(st, 2);
		char *rel = liang_xasprintf("%s%s/index.html", dir, liang_b_col(st, 0));
		liang_value *scope = liang_b_scope(b, rel, dir, title);
		liang_value *item = liang_value_row_keyed(a, st, 0, &keys);
		const char *alt = liang_arena_printf(a, "%s · %s", title, liang_b_col(st, 4));
		liang_v_set(a, item, "galleries", liang_gallery_of(b, rel, liang_b_col(st, photos), alt, true));
		fill(b, st, txt, item);
		liang_v_set(a, scope, var, item);
		liang_b_emit(b, rel, tmpl, scope, true);
		free(rel);
		liang_arena_reset(a);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(txt);
	liang_rowkeys_free(&keys);
}

/* /openweek/<编号>/: one 开放周 activity, its figures and write-up. */
static void S_openweek_fill(builder *b, sqlite3_stmt *st, sqlite3_stmt *txt, liang_value *e)
{
	liang_arena *a = &b->arena;
	const char *numbers = S_numbers(a, st, 5, 6);
	if (numbers)
		liang_v_set(a, e, "numbers", liang_v_str(a, numbers));
	liang_v_set(a, e, "month", liang_v_str(a, S_month(a, liang_b_col(st, 1))));
	liang_value *w = liang_b_text(b, txt, "activity", liang_b_col(st, 0), liang_b_col(st, 2));
	if (w)
		liang_v_set(a, e, "writeup", w);
}

/* /works/<编号>/: one work, its essay or its files. */
static void S_work_fill(builder *b, sqlite3_stmt *st, sqlite3_stmt *txt, liang_value *w)
{
	liang_arena *a = &b->arena;
	liang_v_set(a, w, "links", liang_b_files(b, liang_b_col(st, 6)));
	liang_value *essay = liang_b_text(b, txt, "work", liang_b_col(st, 0), liang_b_col(st, 2));
	if (essay)
		liang_v_set(a, w, "essay", essay);
}

void liang_gallery_pages(builder *b)
{
	static const card_kind openweek = {
		"openweek/", "开放周",
		"青年文明号集体向社会敞开大门的开放日活动，按月份排列，最新的在前。点击活动查看照片和活动记录。",
		"openweek_cards", "openweek_count", S_month};
	static const card_kind works = {
		"works/", "创建成果",
		"各集体报送的图片作品、宣传作品和征文，按类别排列。点击作品查看全部照片或全文。",
		"works_cards", "works_count", S_same};
	S_card_pages(b, &openweek);
	S_detail_pages(b, "openweek_pages", "openweek/", "openweek", "e", 7, S_openweek_fill);
	S_card_pages(b, &works);
	S_detail_pages(b, "works_pages", "works/", "work", "w", 6, S_work_fill);
}

/* ------------------------------------------------------------ publish */

/* The published names of media entry i: [0] the original, then the
 * derived widths of plan; their cache keys, from the source's hash h. */
static int S_forms(builder *b, size_t i, const liang_img_plan *p, uint64_t h, char *rel[], uint64_t key[])
{
	rel[0] = liang_xstrdup(b->media->out[i]);
	key[0] = liang_img_cache_key(h, "orig");
	for (int k = 0; k < p->n; k++) {
		char form[16];
		snprintf(form, sizeof form, "w%u", p->w[k]);
		key[k + 1] = liang_img_cache_key(h, form);
		rel[k + 1] = liang_xstrdup(S_sized_url(&b->arena, b->media->out[i], p->w[k]));
	}
	return p->n + 1;
}

/* All forms from the cache, linked into the output; false when one is
 * missing (nothing written then). */
static bool S_publish_cached(builder *b, int n, char *rel[], const uint64_t key[], int *rc)
{
	char *file[1 + LIANG_IMG_NWIDTHS] = {NULL};
	long long size[1 + LIANG_IMG_NWIDTHS];
	bool all = true;
	for (int f = 0; f < n && all; f++)
		all = (file[f] = liang_img_cache_file(&b->gallery->cache, key[f], &size[f])) != NULL;
	for (int f = 0; f < n && all && *rc == 0; f++)
		if (liang_out_link(b->o, rel[f], file[f], size[f]) < 0)
			*rc = -2;
	for (int f = 0; f < n; f++)
		free(file[f]);
	return all;
}

static void S_free_forms(char *rel[], int n)
{
	for (int f = 0; f < n; f++)
		free(rel[f]);
}

/* Write the published forms of media entry i. */
static int S_publish_one(builder *b, size_t i, char *err, size_t errlen)
{
	gallery *g = b->gallery;
	liang_img_plan plan;
	uint64_t hash = 0;
	bool hashed = false;
	char *rel[1 + LIANG_IMG_NWIDTHS];
	uint64_t key[1 + LIANG_IMG_NWIDTHS];
	int n = 0, rc = 0;
	unsigned char *data = NULL;
	size_t len = 0;
	/* known from the check of the data, the forms may all be in the
	 * cache: then the image is not read again */
	if (liang_site_image(b->s, b->media->src[i], &plan, &hash, &hashed) && hashed) {
		n = S_forms(b, i, &plan, hash, rel, key);
		if (S_publish_cached(b, n, rel, key, &rc))
			goto cached;
	}
	char *full = liang_path_join(b->s->content_dir, b->media->src[i]);
	data = (unsigned char *)liang_file_read(full, &len);
	free(full);
	if (!data) {
		snprintf(err, errlen, "无法读取");
		rc = -1;
		goto done;
	}
	if ((rc = liang_img_plan_of(data, len, &plan, err, errlen)) < 0)
		goto done;
	/* the names and keys of the bytes just read, unless those of the
	 * check were tried already for the same bytes */
	uint64_t h = liang_img_hash(data, len, LIANG_FNV64_OFFSET);
	if (!n || h != hash) {
		S_free_forms(rel, n);
		n = S_forms(b, i, &plan, h, rel, key);
		if (S_publish_cached(b, n, rel, key, &rc))
			goto cached;
	}
	/* made now, from one decode, what the cache lacks */
	liang_buf form[1 + LIANG_IMG_NWIDTHS] = {LIANG_BUF_INIT, LIANG_BUF_INIT, LIANG_BUF_INIT, LIANG_BUF_INIT};
	bool had[1 + LIANG_IMG_NWIDTHS] = {false};
	for (int f = 0; f < n; f++)
		had[f] = liang_img_cache_get(&g->cache, key[f], &form[f]);
	rc = liang_img_derive(data, len, &plan, had[0] ? NULL : &form[0], form + 1, err, errlen);
	for (int f = 0; f < n && rc == 0; f++) {
		if (!had[f])
			liang_img_cache_put(&g->cache, key[f], form[f].ptr, form[f].len);
		if (liang_out_write(b->o, rel[f], form[f].ptr, form[f].len) < 0)
			rc = -2;
	}
	for (int f = 0; f < n; f++)
		liang_buf_free(&form[f]);
	atomic_fetch_add(&g->made, 1);
	goto done;
cached:
	atomic_fetch_add(&g->cached, 1);
done:
	S_free_forms(rel, n);
	free(data);
	return rc;
}

static void *S_publish(void *arg)
{
	builder *b = arg;
	gallery *g = b->gallery;
	media_reg *m = b->media;
	size_t i;
	while (!atomic_load(&g->failed) && (i = atomic_fetch_add(&g->next, 1)) < m->n) {
		if (!liang_img_named(m->src[i]))
			continue;
		char why[256];
		int rc = S_publish_one(b, i, why, sizeof why);
		liang_arena_reset(&b->arena);
		if (rc == -1)
			liang_error(b->s->diags, NULL, 0, 0, "图片 content/%s 无法处理：%s", m->src[i], why);
		if (rc < 0)
			atomic_store(&g->failed, true);
		else
			liang_progress_tick(b->s, 1);
	}
	liang_img_release();
	return NULL;
}

static void *S_publish_helper(void *arg)
{
	liang_progress_mute_thread();
	return S_publish(arg);
}

int liang_gallery_publish(builder *b)
{
	gallery *g = b->gallery;
	atomic_store(&g->next, 0);
	builder w = *b;
	liang_arena_init(&w.arena);
	pthread_t helper;
	/* two threads only when files are written by the writer thread:
	 * synchronous writes are not made for two callers at once */
	bool helping = b->o->async && pthread_create(&helper, NULL, S_publish_helper, &w) == 0;
	builder self = *b;
	liang_arena_init(&self.arena);
	S_publish(&self);
	if (helping)
		pthread_join(helper, NULL);
	liang_arena_free(&w.arena);
	liang_arena_free(&self.arena);
	if (!b->s->quiet)
		fprintf(stderr, "liang: 图片 %ld 张新处理，%ld 张取自缓存\n", atomic_load(&g->made), atomic_load(&g->cached));
	return atomic_load(&g->failed) ? -1 : 0;
}
