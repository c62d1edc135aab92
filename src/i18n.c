/* i18n — ICU transliteration and collation. */
#include "i18n.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

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

void liang_slugify(const char *s, liang_buf *out)
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
	UErrorCode e = U_ZERO_ERROR;
	int32_t cap = (int32_t)strlen(s) * 4 + 16, len = 0;
	UChar *u = liang_xmalloc((size_t)cap * sizeof *u);
	u_strFromUTF8(u, cap, &len, s, -1, &e);
	pthread_mutex_lock(&S_trans_lock);
	UTransliterator *t = S_translit();
	if (U_SUCCESS(e) && t) {
		int32_t limit = len;
		UErrorCode e2 = U_ZERO_ERROR;
		utrans_transUChars(t, u, &len, cap, 0, &limit, &e2);
		if (U_FAILURE(e2))
			len = 0;
	}
	pthread_mutex_unlock(&S_trans_lock);
	for (int32_t i = 0; i < len; i++)
		S_slug_char(out, start, u[i], &dash);
	free(u);
	if (out->len == start)
		liang_buf_putc(out, 'x');
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
	/* and ICU's own caches (the transliterator registry), which a leak
	 * checker would otherwise count as possibly lost */
	u_cleanup();
}
