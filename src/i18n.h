/* i18n — what ICU does for liang: pinyin slugs for URLs and the order
 * of Chinese names by stroke count (笔画), as official lists use. */
#ifndef LIANG_I18N_H
#define LIANG_I18N_H

#include <sqlite3.h>

#include "buf.h"

/* Append an ASCII slug of s to out: Chinese as toneless pinyin
 * (青年文明号 → qing-nian-wen-ming-hao), letters lower-cased, anything
 * else a single '-'. Never empty ("x" for text with nothing to spell),
 * and at most LIANG_SLUG_MAX bytes, cut after a whole word where it can
 * be: a slug is one name in a path, and the pinyin of a long name is
 * longer than a file system allows (255 bytes); the callers give two
 * names that come out the same -2, -3. */
#define LIANG_SLUG_MAX 160
void liang_slugify(const char *s, liang_buf *out);

/* Register the collation "zh_stroke" (ICU zh@collation=stroke) on db,
 * for ORDER BY name COLLATE zh_stroke. Returns 0 or -1. */
int liang_i18n_register(sqlite3 *db);

/* Start making the transliterator on a thread of its own, so that the
 * first liang_slugify does not wait for it as long (a build calls this
 * first). */
void liang_i18n_prepare(void);

/* Keep the slugs made in dir/slugs.txt: read them now (starting the
 * transliterator with liang_i18n_prepare when there are none) and write
 * the new ones with liang_i18n_cache_save, after a build that succeeded. */
void liang_i18n_cache_open(const char *dir);
void liang_i18n_cache_save(void);

/* Free ICU objects and ICU's caches (for leak checkers); waits for
 * liang_i18n_prepare. At exit only, when no thread uses ICU any more. */
void liang_i18n_cleanup(void);

#endif
