/* i18n — ICU transliteration and collation. */
#include "i18n.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/uclean.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uvernum.h>

#include "strmap.h"
#include "util.h"

/* A transliterator is not safe to share between threads: one at a time. */
static pthread_mutex_t S_trans_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *S_trans;
static UCollator *S_stroke;

static UTransliterator *S_translit(void)
{
	if (!S_trans) {
		UErrorCode e = U_ZERO_ERROR;
		UChar id[64];
		u_uastrcpy(id, "Han-Latin; Latin-ASCII");
		S_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
		if (U_FAILURE(e))
			S_trans = NULL;
	}
	return S_trans;
}

/* Compiling the transliterator's rules takes a third of a second; a
 * build starts it on a thread of its own while the data are loading. */
static pthread_t S_warm;
static bool S_warming;

static void *S_warm_up(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&S_trans_lock);
	S_translit();
	pthread_mutex_unlock(&S_trans_lock);
	return NULL;
}

void liang_i18n_prepare(void)
{
	if (!S_warming)
		S_warming = pthread_create(&S_warm, NULL, S_warm_up, NULL) == 0;
}

/* ------------------------------------------------------ the slug cache */

/* The slugs of earlier builds (text → slug), kept in the cache
 * directory, so that a rebuild of the same data need not compile the
 * transliterator at all. Under S_trans_lock. The first line names the
 * ICU version: another version may transliterate differently. */
#define SLUG_HEADER "liang slugs 1 ICU " U_ICU_VERSION "\n"
static liang_strmap S_slugs;
static char **S_slug_text, **S_slug_val;
static size_t S_nslugs, S_capslugs;
static bool S_slugs_on, S_slugs_dirty;
static char *S_slugs_path;

static void S_slug_keep(const char *text, size_t tlen, const char *slug, size_t slen)
{
	if (!liang_strmap_add(&S_slugs, text, tlen, (long)S_nslugs, NULL))
		return;
	if (S_nslugs == S_capslugs) {
		S_capslugs = S_capslugs ? 2 * S_capslugs : 256;
		S_slug_text = liang_xrealloc(S_slug_text, S_capslugs * sizeof *S_slug_text);
		S_slug_val = liang_xrealloc(S_slug_val, S_capslugs * sizeof *S_slug_val);
	}
	S_slug_text[S_nslugs] = liang_xstrndup(text, tlen);
	S_slug_val[S_nslugs] = liang_xstrndup(slug, slen);
	S_nslugs++;
}

void liang_i18n_cache_open(const char *dir)
{
	pthread_mutex_lock(&S_trans_lock);
	liang_strmap_init(&S_slugs);
	S_slugs_on = true;
	S_slugs_path = liang_path_join(dir, "slugs.txt");
	size_t len = 0;
	char *data = liang_file_read(S_slugs_path, &len);
	size_t hl = strlen(SLUG_HEADER);
	if (data && len >= hl && !memcmp(data, SLUG_HEADER, hl)) {
		for (char *p = data + hl, *end = data + len; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				break;
			char *tab = memchr(p, '\t', (size_t)(nl - p));
			if (tab)
				S_slug_keep(p, (size_t)(tab - p), tab + 1, (size_t)(nl - tab - 1));
			p = nl + 1;
		}
	}
	free(data);
	pthread_mutex_unlock(&S_trans_lock);
	/* no slugs yet: compile the transliterator while the data load */
	if (!S_nslugs)
		liang_i18n_prepare();
}

static int S_by_text(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return strcmp(S_slug_text[a], S_slug_text[b]);
}

void liang_i18n_cache_save(void)
{
	pthread_mutex_lock(&S_trans_lock);
	if (S_slugs_on && S_slugs_dirty) {
		/* sorted, so that the same slugs give the same file */
		size_t *order = liang_xmalloc((S_nslugs + 1) * sizeof *order);
		for (size_t i = 0; i < S_nslugs; i++)
			order[i] = i;
		qsort(order, S_nslugs, sizeof *order, S_by_text);
		liang_buf b = LIANG_BUF_INIT;
		liang_buf_puts(&b, SLUG_HEADER);
		for (size_t i = 0; i < S_nslugs; i++)
			liang_buf_printf(&b, "%s\t%s\n", S_slug_text[order[i]], S_slug_val[order[i]]);
		free(order);
		/* a cache that cannot be written costs only time */
		liang_file_replace(S_slugs_path, b.ptr, b.len);
		liang_buf_free(&b);
		S_slugs_dirty = false;
	}
	pthread_mutex_unlock(&S_trans_lock);
}

/* Append one character of a slug: ASCII letters (lower-cased) and
 * digits; anything else becomes a single '-' between words. */
static void S_slug_char(liang_buf *out, size_t start, unsigned c, bool *dash)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
		if (*dash && out->len > start)
			liang_buf_putc(out, '-');
		*dash = false;
		liang_buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
	} else {
		*dash = true;
	}
}

/* Cut the slug from start to LIANG_SLUG_MAX bytes: after the last word
 * that fits whole, when one ends in the second half, else in the word. */
static void S_slug_cap(liang_buf *out, size_t start)
{
	if (out->len - start <= LIANG_SLUG_MAX)
		return;
	size_t cut = start + LIANG_SLUG_MAX;
	for (size_t i = cut; i > start + LIANG_SLUG_MAX / 2; i--)
		if (out->ptr[i] == '-') {
			cut = i;
			break;
		}
	while (cut > start + 1 && out->ptr[cut - 1] == '-')
		cut--;
	out->len = cut;
	out->ptr[cut] = '\0';
}

/* Append the whole slug of s (liang_slugify cuts it). */
static void S_spell(const char *s, liang_buf *out)
{
	size_t start = out->len;
	bool dash = false;
	/* ASCII needs no transliteration (ICU's costs ~0.1 ms a call). */
	const char *p = s;
	while (*p && !((unsigned char)*p & 0x80))
		p++;
	if (!*p) {
		for (p = s; *p; p++)
			S_slug_char(out, start, (unsigned char)*p, &dash);
		if (out->len == start)
			liang_buf_putc(out, 'x');
		return;
	}
	size_t slen = strlen(s);
	pthread_mutex_lock(&S_trans_lock);
	long *known = S_slugs_on ? liang_strmap_get(&S_slugs, s, slen) : NULL;
	if (known) {
		liang_buf_puts(out, S_slug_val[*known]);
		pthread_mutex_unlock(&S_trans_lock);
		return;
	}
	UErrorCode e = U_ZERO_ERROR;
	int32_t cap = (int32_t)slen * 4 + 16, len = 0;
	UChar *u = liang_xmalloc((size_t)cap * sizeof *u);
	u_strFromUTF8(u, cap, &len, s, -1, &e);
	UTransliterator *t = S_translit();
	if (U_SUCCESS(e) && t) {
		int32_t limit = len;
		UErrorCode e2 = U_ZERO_ERROR;
		utrans_transUChars(t, u, &len, cap, 0, &limit, &e2);
		if (U_FAILURE(e2))
			len = 0;
	}
	for (int32_t i = 0; i < len; i++)
		S_slug_char(out, start, u[i], &dash);
	free(u);
	if (out->len == start)
		liang_buf_putc(out, 'x');
	/* a text that would break the file's lines is not kept */
	if (S_slugs_on && t && U_SUCCESS(e) && !strpbrk(s, "\t\n\r")) {
		S_slug_keep(s, slen, out->ptr + start, out->len - start);
		S_slugs_dirty = true;
	}
	pthread_mutex_unlock(&S_trans_lock);
}

void liang_slugify(const char *s, liang_buf *out)
{
	size_t start = out->len;
	S_spell(s, out);
	S_slug_cap(out, start);
}

static int S_stroke_cmp(void *arg, int la, const void *a, int lb, const void *b)
{
	(void)arg;
	UErrorCode e = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(S_stroke, a, la, b, lb, &e);
	if (U_FAILURE(e)) {
		int c = memcmp(a, b, (size_t)(la < lb ? la : lb));
		return c ? c : la - lb;
	}
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

int liang_i18n_register(sqlite3 *db)
{
	if (!S_stroke) {
		UErrorCode e = U_ZERO_ERROR;
		S_stroke = ucol_open("zh@collation=stroke", &e);
		if (U_FAILURE(e)) {
			S_stroke = NULL;
			return -1;
		}
	}
	return sqlite3_create_collation(db, "zh_stroke", SQLITE_UTF8, NULL, S_stroke_cmp) == SQLITE_OK
		       ? 0
		       : -1;
}

void liang_i18n_cleanup(void)
{
	if (S_warming)
		pthread_join(S_warm, NULL);
	S_warming = false;
	if (S_trans)
		utrans_close(S_trans);
	if (S_stroke)
		ucol_close(S_stroke);
	S_trans = NULL;
	S_stroke = NULL;
	if (S_slugs_on) {
		for (size_t i = 0; i < S_nslugs; i++) {
			free(S_slug_text[i]);
			free(S_slug_val[i]);
		}
		free(S_slug_text);
		free(S_slug_val);
		liang_strmap_free(&S_slugs);
		free(S_slugs_path);
		S_slug_text = S_slug_val = NULL;
		S_nslugs = S_capslugs = 0;
		S_slugs_on = S_slugs_dirty = false;
		S_slugs_path = NULL;
	}
	/* and ICU's own caches (the transliterator registry), which a leak
	 * checker would otherwise count as possibly lost */
	u_cleanup();
}
