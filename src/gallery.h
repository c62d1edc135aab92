/* gallery — the photo pages of the site and the images they publish:
 * /openweek/ (every 开放周 activity by month) with a page per activity,
 * /works/ (创建成果 by 类别) with a page per work, the responsive photos
 * every page shows (srcset of derived widths, width and height known
 * before the image loads) and, once the pages are written, the images
 * themselves, derived on two threads through a cache (see imgproc.h).
 * Internal to the build stage, like builder.h. */
#ifndef LIANG_GALLERY_H
#define LIANG_GALLERY_H

#include <stdbool.h>

#include "builder.h"

/* The gallery state of a build, shared by the rendering threads: set up
 * before rendering (b->gallery), freed by liang_gallery_end. The cache
 * directory is $LIANG_CACHE_DIR/img when that is set, else
 * SITE/.liang-cache/img. */
void liang_gallery_begin(builder *b);
void liang_gallery_end(builder *b);

/* The photos of a ';'-separated list of content paths, for page rel, as
 * partials/gallery shows them: maps with src, srcset, width, height,
 * large (the widest form, the link target), large_w, large_h, alt and
 * loading ("lazy", or absent for the first photo when first_eager: the
 * one above the fold). A thumbnail's srcset stops at 960 px, enough for
 * the widest tile (357 CSS px on a tablet at 2 device pixels to one). Files that are not images are
 * left out. An image that cannot be read is reported and fails the build. */
liang_value *liang_gallery_photos(builder *b, const char *rel, const char *paths, const char *alt,
				  bool first_eager);
/* The same photos as a template loops over them: partials/gallery shows
 * the map `gallery` (caption: alt, once for all; photos), so pages hold
 * it in a list of one (empty when there is no photo):
 * <l-block l-each="gallery in x.galleries">. */
liang_value *liang_gallery_of(builder *b, const char *rel, const char *paths, const char *alt, bool first_eager);
/* The first photo of paths alone (a cover), or the null value. */
liang_value *liang_gallery_cover(builder *b, const char *rel, const char *paths, const char *alt);

/* The published URL path (from the root) of the narrowest form of the
 * image at content path (an avatar, a small picture); the original's
 * when it has no smaller form or is not an image. */
const char *liang_gallery_smallest(builder *b, const char *path);

/* Write /openweek/…, /works/… (on the calling thread). */
void liang_gallery_pages(builder *b);

/* Write every image of the media registry: the original without
 * metadata and its derived widths, from the cache or made now, on two
 * threads. Returns 0, or -1 when an image could not be decoded (reported,
 * naming the file: the build then fails and the old out/ stays). */
int liang_gallery_publish(builder *b);

#endif
