/* imgproc — the published forms of a photo: the original with its
 * metadata removed and the smaller widths pages offer in srcset, made
 * with libjpeg-turbo (DCT-domain scaling, then a resampler to the exact
 * width) and libpng, and kept in a cache keyed by the source bytes.
 *
 * Nothing published carries EXIF: a JPEG keeps only the segments that
 * draw it (and an ICC profile); a PNG loses eXIf and its text chunks. The
 * EXIF orientation is applied to the pixels, so every published image is
 * upright without it. */
#ifndef LIANG_IMGPROC_H
#define LIANG_IMGPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "image.h"

/* The widths pages offer, narrowest first; an image is never enlarged,
 * so only those below its own width are made. A JPEG whose 1/2, 1/4 or
 * 1/8 (the reductions the decoder makes itself, cheaply and without
 * resampling) is at most a fifth narrower gets that width instead. */
#define LIANG_IMG_NWIDTHS 3
extern const unsigned liang_img_widths[LIANG_IMG_NWIDTHS];

/* JPEG quality of the derived widths (and of an original that had to be
 * turned upright). */
#define LIANG_IMG_QUALITY 82
#define LIANG_IMG_QUALITY_ORIGINAL 92

/* Is the file at path an image by its name (.jpg, .jpeg, .png, in any
 * case)? Such files of content/ are checked as images and published
 * through this module, never copied as they are. */
bool liang_img_named(const char *path);

/* What will be published for one source image, known from its header. */
typedef struct liang_img_plan {
	liang_img_format format;
	unsigned src_w, src_h;  /* as stored */
	unsigned width, height; /* as shown: the orientation applied */
	int orientation;        /* EXIF 1–8; 1 when absent (and for PNG) */
	int n;                  /* derived widths, narrowest first */
	unsigned w[LIANG_IMG_NWIDTHS], h[LIANG_IMG_NWIDTHS];
} liang_img_plan;

/* Plan the published forms of the image in data. Returns 0, or -1 with a
 * Chinese reason in err. */
int liang_img_plan_of(const unsigned char *data, size_t len, liang_img_plan *p, char *err, size_t errlen);
/* The rest of a plan whose format, src_w, src_h and orientation are set:
 * the size as shown and the derived widths. Returns 0, or -1 when those
 * are not an image's (no size, larger than 30000 px). */
int liang_img_plan_sizes(liang_img_plan *p);

/* The EXIF orientation (1–8) of a JPEG; 1 when it has none. */
int liang_img_orientation(const unsigned char *data, size_t len);

/* Walk the structure of a JPEG or PNG to its end (EOI, IEND) and, when
 * out is not NULL, append a copy without metadata: a JPEG without APPn
 * segments (but an ICC profile) and comments, a PNG without eXIf, tEXt,
 * zTXt, iTXt and tIME. Returns 0, or -1 with a reason in err (not an
 * image, corrupt, truncated). Reads no pixel: cheap enough for check. */
int liang_img_strip(const unsigned char *data, size_t len, liang_buf *out, char *err, size_t errlen);

/* What `liang check` can tell of an image file without decoding it. */
typedef enum {
	LIANG_IMG_OK,
	LIANG_IMG_UNREADABLE,
	LIANG_IMG_NOT_IMAGE, /* neither JPEG nor PNG inside */
	LIANG_IMG_CORRUPT,   /* its structure is broken */
	LIANG_IMG_TRUNCATED  /* it ends before its end marker */
} liang_img_state;

/* Read the file at path and walk its structure (liang_img_strip). When
 * it is fine: its plan into *plan and (when hash is not NULL) the hash
 * of its bytes (liang_img_hash from LIANG_FNV64_OFFSET) into *hash. */
liang_img_state liang_img_check_file(const char *path, liang_img_plan *plan, uint64_t *hash);

/* Make the published forms of data as planned: into orig (when not
 * NULL) the original without metadata, upright (re-encoded only when it
 * had to be turned); into sized[k] (when sized is not NULL and
 * sized[k].ptr == NULL on entry: forms already at hand are skipped) the
 * JPEG of width p->w[k]. The pixels are decoded once. Returns 0, or -1
 * with a reason in err (a decoding failure: corrupt or truncated). */
int liang_img_derive(const unsigned char *data, size_t len, const liang_img_plan *p, liang_buf *orig,
		     liang_buf *sized, char *err, size_t errlen);

/* Free the scratch buffers liang_img_derive keeps for the calling thread
 * (each thread that derives calls this before it ends). */
void liang_img_release(void);

/* A 64-bit hash of the bytes (FNV-1a over 64-bit words, in four lanes):
 * the cache key of a source. Not a defence against someone crafting
 * collisions, which could only swap their own photos. */
uint64_t liang_img_hash(const void *data, size_t len, uint64_t seed);
#define LIANG_FNV64_OFFSET 0xcbf29ce484222325ULL

/* The cache of derived images: a directory of files named by a hash of
 * the source bytes and the form's parameters. */
typedef struct liang_img_cache {
	char *dir; /* NULL: no cache */
} liang_img_cache;

/* Open (creating) the cache directory dir; a cache that cannot be made
 * is no cache (returns -1, and lookups then miss). */
int liang_img_cache_open(liang_img_cache *c, const char *dir);
void liang_img_cache_close(liang_img_cache *c);
/* The key of form ("orig", "w480", …) of a source whose bytes hash to h. */
uint64_t liang_img_cache_key(uint64_t h, const char *form);
/* The path of the cached file of key (caller frees), and its size into
 * *size, or NULL when there is none. Entries are replaced whole, never
 * changed in place: the file may be linked into the output. */
char *liang_img_cache_file(liang_img_cache *c, uint64_t key, long long *size);
/* Read the cached bytes of key into out (empty on entry); true on a hit. */
bool liang_img_cache_get(liang_img_cache *c, uint64_t key, liang_buf *out);
/* Store bytes under key, atomically (a temporary file renamed): a reader
 * never sees half a file. Failures only cost a later miss. */
void liang_img_cache_put(liang_img_cache *c, uint64_t key, const void *data, size_t len);

#endif
