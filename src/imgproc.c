/* imgproc — derived sizes of photos through TurboJPEG and libpng, and
 * their cache. */
#define _DEFAULT_SOURCE
#include "imgproc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>
#include <turbojpeg.h>

#include "util.h"

const unsigned liang_img_widths[LIANG_IMG_NWIDTHS] = {480, 960, 1600};

/* Bumped whenever the bytes of a derived form would change for the same
 * source (resampler, quality, encoder settings): old cache entries then
 * simply stop matching. */
#define CACHE_VERSION "liang-img-2"

/* ---------------------------------------------------------- JPEG bytes */

static unsigned S_be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t S_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool S_is_jpeg(const unsigned char *d, size_t len)
{
	return len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;
}

static bool S_is_png(const unsigned char *d, size_t len)
{
	return len >= 8 && png_sig_cmp(d, 0, 8) == 0;
}

/* A marker without a length: RSTn, TEM, SOI, EOI. */
static bool S_standalone(unsigned m)
{
	return (m >= 0xD0 && m <= 0xD9) || m == 0x01;
}

/* The value of tag 0x0112 (Orientation) in IFD0 of an EXIF block. */
static int S_exif_orientation(const unsigned char *t, size_t len)
{
	if (len < 8)
		return 1;
	bool le = t[0] == 'I' && t[1] == 'I';
	if (!le && !(t[0] == 'M' && t[1] == 'M'))
		return 1;
#define U16(p) (le ? (unsigned)(p)[0] | (unsigned)(p)[1] << 8 : S_be16(p))
#define U32(p) (le ? (uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | (uint32_t)(p)[2] << 16 | (uint32_t)(p)[3] << 24 : S_be32(p))
	uint32_t ifd = U32(t + 4);
	if (ifd > len - 2)
		return 1;
	unsigned n = U16(t + ifd);
	for (unsigned i = 0; i < n; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;
		if (e + 12 > len)
			break;
		if (U16(t + e) == 0x0112 && U16(t + e + 2) == 3) {
			unsigned v = U16(t + e + 8);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
#undef U16
#undef U32
	return 1;
}

/* The header segments of a JPEG up to its first scan: size from the SOF
 * and the orientation from an EXIF APP1. Returns 0, or -1 when there is
 * no frame header before the scan or the bytes end first. */
static int S_jpeg_header(const unsigned char *d, size_t len, unsigned *w, unsigned *h, int *orientation)
{
	*orientation = 1;
	*w = *h = 0;
	size_t p = 2;
	while (p + 4 <= len) {
		if (d[p] != 0xFF)
			return -1;
		unsigned m = d[p + 1];
		if (m == 0xFF) {
			p++; /* fill byte */
			continue;
		}
		if (S_standalone(m)) {
			p += 2;
			continue;
		}
		size_t seg = S_be16(d + p + 2);
		if (seg < 2 || p + 2 + seg > len)
			return -1;
		const unsigned char *body = d + p + 4;
		size_t blen = seg - 2;
		if (m == 0xE1 && blen >= 6 && !memcmp(body, "Exif\0\0", 6))
			*orientation = S_exif_orientation(body + 6, blen - 6);
		else if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC && blen >= 5) {
			*h = S_be16(body + 1);
			*w = S_be16(body + 3);
		} else if (m == 0xDA)
			return *w && *h ? 0 : -1;
		p += 2 + seg;
	}
	return -1;
}

int liang_img_orientation(const unsigned char *data, size_t len)
{
	unsigned w, h;
	int o = 1;
	if (S_is_jpeg(data, len))
		S_jpeg_header(data, len, &w, &h, &o);
	return o;
}

/* Is this APPn segment an ICC profile (APP2 "ICC_PROFILE\0")? Colour
 * belongs to the picture; everything else in APPn is metadata. */
static bool S_keep_app(unsigned m, const unsigned char *body, size_t blen)
{
	return m == 0xE2 && blen >= 12 && !memcmp(body, "ICC_PROFILE", 12);
}

static int S_strip_jpeg(const unsigned char *d, size_t len, liang_buf *out, char *err, size_t errlen)
{
	if (out)
		liang_buf_put(out, "\xFF\xD8", 2);
	size_t p = 2;
	bool frame = false;
	for (;;) {
		if (p + 2 > len)
			goto truncated;
		if (d[p] != 0xFF) {
			snprintf(err, errlen, "JPEG 文件已损坏（第 %zu 字节处不是标记）", p);
			return -1;
		}
		unsigned m = d[p + 1];
		if (m == 0xFF) {
			p++;
			continue;
		}
		if (m == 0xD9) {
			if (!frame) {
				snprintf(err, errlen, "JPEG 文件已损坏（没有图像数据）");
				return -1;
			}
			if (out)
				liang_buf_put(out, "\xFF\xD9", 2);
			return 0;
		}
		if (S_standalone(m)) {
			if (out)
				liang_buf_put(out, d + p, 2);
			p += 2;
			continue;
		}
		if (p + 4 > len)
			goto truncated;
		size_t seg = S_be16(d + p + 2);
		if (seg < 2) {
			snprintf(err, errlen, "JPEG 文件已损坏（第 %zu 字节处的段长度无效）", p);
			return -1;
		}
		if (p + 2 + seg > len)
			goto truncated;
		bool meta = m == 0xFE || (m >= 0xE0 && m <= 0xEF && !S_keep_app(m, d + p + 4, seg - 2));
		if (out && !meta)
			liang_buf_put(out, d + p, 2 + seg);
		p += 2 + seg;
		if (m != 0xDA)
			continue;
		frame = true;
		/* entropy-coded data: an 0xFF in it is followed by 0x00
		 * (stuffing) or a restart marker; anything else ends the scan */
		size_t start = p;
		for (;;) {
			const unsigned char *ff = memchr(d + p, 0xFF, len - p);
			if (!ff || (size_t)(ff - d) + 1 >= len) {
				p = len;
				goto truncated;
			}
			p = (size_t)(ff - d);
			unsigned next = d[p + 1];
			if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
				p += 2;
				continue;
			}
			break;
		}
		if (out)
			liang_buf_put(out, d + start, p - start);
	}
truncated:
	snprintf(err, errlen, "JPEG 文件不完整（在第 %zu 字节处中断，文件可能没有传完）", len);
	return -2;
}

/* PNG chunks that are metadata: EXIF, text (titles, authors, software,
 * places) and the time of the last change. */
static bool S_png_meta(const unsigned char *type)
{
	static const char *const drop[] = {"eXIf", "tEXt", "zTXt", "iTXt", "tIME"};
	for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
		if (!memcmp(type, drop[i], 4))
			return true;
	return false;
}

static int S_strip_png(const unsigned char *d, size_t len, liang_buf *out, char *err, size_t errlen)
{
	if (out)
		liang_buf_put(out, d, 8);
	size_t p = 8;
	bool header = false;
	while (p + 12 <= len) {
		uint32_t n = S_be32(d + p);
		const unsigned char *type = d + p + 4;
		if (n > len || p + 12 + n > len)
			break;
		if (!header && memcmp(type, "IHDR", 4) != 0) {
			snprintf(err, errlen, "PNG 文件已损坏（第一个块不是 IHDR）");
			return -1;
		}
		header = true;
		if (out && !S_png_meta(type))
			liang_buf_put(out, d + p, 12 + n);
		p += 12 + n;
		if (!memcmp(type, "IEND", 4))
			return 0;
	}
	snprintf(err, errlen, "PNG 文件不完整（没有结束块 IEND，文件可能没有传完）");
	return -2;
}

/* 0, -1 corrupt, -2 truncated, -3 not an image */
static int S_strip(const unsigned char *data, size_t len, liang_buf *out, char *err, size_t errlen)
{
	if (S_is_jpeg(data, len))
		return S_strip_jpeg(data, len, out, err, errlen);
	if (S_is_png(data, len))
		return S_strip_png(data, len, out, err, errlen);
	snprintf(err, errlen, "不是 JPEG 或 PNG 图片");
	return -3;
}

int liang_img_strip(const unsigned char *data, size_t len, liang_buf *out, char *err, size_t errlen)
{
	return S_strip(data, len, out, err, errlen) < 0 ? -1 : 0;
}

liang_img_state liang_img_check_file(const char *path, liang_img_plan *plan, uint64_t *hash)
{
	size_t len;
	unsigned char *data = (unsigned char *)liang_file_read(path, &len);
	if (!data)
		return LIANG_IMG_UNREADABLE;
	char err[256];
	int rc = S_strip(data, len, NULL, err, sizeof err);
	if (rc == 0 && liang_img_plan_of(data, len, plan, err, sizeof err) < 0)
		rc = -1;
	if (rc == 0 && hash)
		*hash = liang_img_hash(data, len, LIANG_FNV64_OFFSET);
	free(data);
	return rc == 0 ? LIANG_IMG_OK : rc == -2 ? LIANG_IMG_TRUNCATED : rc == -3 ? LIANG_IMG_NOT_IMAGE : LIANG_IMG_CORRUPT;
}

/* ---------------------------------------------------------------- plan */

bool liang_img_named(const char *path)
{
	return liang_has_suffix_ci(path, ".jpg") || liang_has_suffix_ci(path, ".jpeg") ||
	       liang_has_suffix_ci(path, ".png");
}

int liang_img_plan_of(const unsigned char *data, size_t len, liang_img_plan *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->orientation = 1;
	if (S_is_jpeg(data, len)) {
		p->format = LIANG_IMG_JPEG;
		if (S_jpeg_header(data, len, &p->src_w, &p->src_h, &p->orientation) < 0) {
			snprintf(err, errlen, "JPEG 文件已损坏（找不到图像尺寸）");
			return -1;
		}
	} else if (S_is_png(data, len)) {
		p->format = LIANG_IMG_PNG;
		if (len < 24 || memcmp(data + 12, "IHDR", 4) != 0) {
			snprintf(err, errlen, "PNG 文件已损坏（第一个块不是 IHDR）");
			return -1;
		}
		p->src_w = S_be32(data + 16);
		p->src_h = S_be32(data + 20);
	} else {
		snprintf(err, errlen, "不是 JPEG 或 PNG 图片");
		return -1;
	}
	if (liang_img_plan_sizes(p) < 0) {
		snprintf(err, errlen, "图片尺寸 %u×%u 无效或过大", p->src_w, p->src_h);
		return -1;
	}
	return 0;
}

int liang_img_plan_sizes(liang_img_plan *p)
{
	if (!p->src_w || !p->src_h || p->src_w > 30000 || p->src_h > 30000 || p->orientation < 1 ||
	    p->orientation > 8)
		return -1;
	p->n = 0;
	bool swap = p->orientation >= 5;
	p->width = swap ? p->src_h : p->src_w;
	p->height = swap ? p->src_w : p->src_h;
	for (int k = 0; k < LIANG_IMG_NWIDTHS; k++) {
		unsigned w = liang_img_widths[k];
		if (w >= p->width)
			break;
		unsigned h = (unsigned)(((unsigned long long)p->height * w + p->width / 2) / p->width);
		/* A JPEG reduced to 1/2, 1/4 or 1/8 in the DCT domain needs no
		 * resampling at all: when such a size falls within a fifth
		 * below the width asked for, it is taken instead (a 1600 px
		 * photo gets 400 and 800). The decoder rounds sizes up. */
		for (unsigned d = 2; p->format == LIANG_IMG_JPEG && d <= 8; d *= 2) {
			unsigned dw = (p->width + d - 1) / d, dh = (p->height + d - 1) / d;
			if (dw <= w && dw * 5 >= w * 4 && (p->n == 0 || dw > p->w[p->n - 1])) {
				w = dw;
				h = dh;
				break;
			}
		}
		p->w[p->n] = w;
		p->h[p->n] = h ? h : 1;
		p->n++;
	}
	return 0;
}

/* -------------------------------------------------------------- pixels */

/* Pixels are RGBX: four bytes keep them aligned, and the resampler
 * treats a pixel as one small vector. */
#define PX 4

/* Scratch buffers of the calling thread, kept from one photo to the next:
 * fresh buffers of megabytes each would come from mmap and cost a page
 * fault per 4 KiB on every photo (a third of the time, measured). */
enum { SLOT_DECODED, SLOT_UPRIGHT, SLOT_MID, SLOT_TURNED, SLOT_ACC, SLOT_MADE, NSLOTS = SLOT_MADE + LIANG_IMG_NWIDTHS };
static _Thread_local struct {
	void *p;
	size_t cap;
} S_slots[NSLOTS];

static void *S_slot(int i, size_t n)
{
	if (S_slots[i].cap < n) {
		free(S_slots[i].p);
		S_slots[i].p = liang_xmalloc(n);
		S_slots[i].cap = n;
	}
	return S_slots[i].p;
}

/* The TurboJPEG handles of the calling thread, made once. */
static _Thread_local tjhandle S_enc, S_dec;

void liang_img_release(void)
{
	if (S_enc)
		tjDestroy(S_enc);
	if (S_dec)
		tjDestroy(S_dec);
	S_enc = S_dec = NULL;
	for (int i = 0; i < NSLOTS; i++) {
		free(S_slots[i].p);
		S_slots[i].p = NULL;
		S_slots[i].cap = 0;
	}
}

typedef struct rgb {
	unsigned char *px; /* RGBX, 4 bytes a pixel, rows without padding */
	unsigned w, h;
} rgb;

/* The picture turned upright: EXIF orientation 2–8 mirror and rotate
 * (as stored, row r column c goes to the place the tag says). */
static void S_orient(rgb *img, int o)
{
	if (o <= 1 || o > 8)
		return;
	unsigned w = img->w, h = img->h;
	bool swap = o >= 5;
	unsigned nw = swap ? h : w, nh = swap ? w : h;
	unsigned char *out = S_slot(SLOT_UPRIGHT, (size_t)nw * nh * PX);
	for (unsigned y = 0; y < h; y++) {
		const unsigned char *row = img->px + (size_t)y * w * PX;
		for (unsigned x = 0; x < w; x++) {
			unsigned dx, dy;
			switch (o) {
			case 2: dx = w - 1 - x; dy = y; break;
			case 3: dx = w - 1 - x; dy = h - 1 - y; break;
			case 4: dx = x; dy = h - 1 - y; break;
			case 5: dx = y; dy = x; break;
			case 6: dx = h - 1 - y; dy = x; break;
			case 7: dx = h - 1 - y; dy = w - 1 - x; break;
			default: dx = y; dy = w - 1 - x; break; /* 8 */
			}
			memcpy(out + ((size_t)dy * nw + dx) * PX, row + (size_t)x * PX, PX);
		}
	}
	img->px = out;
	img->w = nw;
	img->h = nh;
}

/* The resampler: a separable Catmull-Rom filter (the bicubic of most
 * image tools), widened by the scale when reducing so that every source
 * pixel counts (no aliasing), with 14-bit fixed-point weights. DCT
 * scaling has already brought the picture within a factor of two or so
 * of the target, so the kernels stay short. */
#define WBITS 14

typedef struct taps {
	int *start;
	int n;           /* taps per output pixel */
	int16_t *weight; /* n per output pixel */
} taps;

static double S_cubic(double x)
{
	x = fabs(x);
	if (x < 1)
		return (1.5 * x - 2.5) * x * x + 1;
	if (x < 2)
		return ((-0.5 * x + 2.5) * x - 4) * x + 2;
	return 0;
}

static void S_taps(taps *t, unsigned in, unsigned out)
{
	double scale = (double)in / out;
	double fs = scale > 1 ? scale : 1;
	double support = 2 * fs;
	int cap = (int)ceil(support) * 2 + 1;
	t->start = liang_xmalloc(out * sizeof *t->start);
	t->weight = liang_xcalloc((size_t)out * (size_t)cap, sizeof *t->weight);
	double *wf = liang_xmalloc((size_t)cap * sizeof *wf);
	t->n = 1;
	for (unsigned i = 0; i < out; i++) {
		double center = (i + 0.5) * scale;
		int lo = (int)floor(center - support + 0.5);
		int hi = (int)floor(center + support + 0.5);
		if (lo < 0)
			lo = 0;
		if (hi > (int)in)
			hi = (int)in;
		if (hi - lo > cap)
			hi = lo + cap;
		double sum = 0;
		for (int j = lo; j < hi; j++)
			sum += wf[j - lo] = S_cubic((j + 0.5 - center) / fs);
		int16_t *w = t->weight + (size_t)i * cap;
		int isum = 0, big = 0;
		for (int j = lo; j < hi; j++) {
			w[j - lo] = (int16_t)lround(wf[j - lo] / sum * (1 << WBITS));
			isum += w[j - lo];
			if (w[j - lo] > w[big])
				big = j - lo;
		}
		w[big] += (int16_t)((1 << WBITS) - isum); /* weights sum to exactly 1 */
		t->start[i] = lo;
		if (hi - lo > t->n)
			t->n = hi - lo;
	}
	/* keep n taps per output: most windows are narrower than cap */
	if (t->n < cap) {
		for (unsigned i = 1; i < out; i++)
			memmove(t->weight + (size_t)i * t->n, t->weight + (size_t)i * cap, (size_t)t->n * sizeof *t->weight);
	}
	free(wf);
}

static void S_taps_free(taps *t)
{
	free(t->start);
	free(t->weight);
}

static unsigned char S_clamp(int v)
{
	v = (v + (1 << (WBITS - 1))) >> WBITS;
	return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* The two passes are loops over long rows of bytes that the compiler
 * turns into vector code; the resampler is most of the time spent on a
 * photo, so it is asked to try harder here than -O2 does. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/* and, on x86-64, made twice: for AVX2 (which multiplies 32-bit lanes in
 * one instruction) and for any x86-64, picked when the program starts */
#define HOT __attribute__((optimize("O3"), target_clones("avx2", "default")))
#elif defined(__GNUC__) && !defined(__clang__)
#define HOT __attribute__((optimize("O3")))
#else
#define HOT
#endif

/* Down: row y of the output is a weighted sum of n rows of the input. */
HOT static void S_rows(const unsigned char *in, size_t row, unsigned in_h, unsigned char *out, unsigned h, int *acc)
{
	taps t;
	S_taps(&t, in_h, h);
	for (unsigned y = 0; y < h; y++) {
		memset(acc, 0, row * sizeof *acc);
		const int16_t *wt = t.weight + (size_t)y * t.n;
		int n = t.n;
		if (t.start[y] + n > (int)in_h)
			n = (int)in_h - t.start[y];
		for (int k = 0; k < n; k++) {
			const unsigned char *r = in + (size_t)(t.start[y] + k) * row;
			int w = wt[k];
			if (!w)
				continue;
			for (size_t i = 0; i < row; i++)
				acc[i] += r[i] * w;
		}
		unsigned char *o = out + (size_t)y * row;
		for (size_t i = 0; i < row; i++)
			o[i] = S_clamp(acc[i]);
	}
	S_taps_free(&t);
}

/* The w×h picture in, turned on its diagonal (h×w) into out, a pixel
 * being one 32-bit word; in blocks, so that both sides stay in cache. */
HOT static void S_transpose(const uint32_t *in, unsigned w, unsigned h, uint32_t *out)
{
	enum { B = 32 };
	for (unsigned y0 = 0; y0 < h; y0 += B)
		for (unsigned x0 = 0; x0 < w; x0 += B) {
			unsigned y1 = y0 + B < h ? y0 + B : h, x1 = x0 + B < w ? x0 + B : w;
			for (unsigned y = y0; y < y1; y++)
				for (unsigned x = x0; x < x1; x++)
					out[(size_t)x * h + y] = in[(size_t)y * w + x];
		}
}

/* Resample src to w×h into dst (in scratch slot). Both passes are the
 * pass down the rows, whose loops become vector code: the pass across
 * runs on the picture turned on its diagonal. */
static void S_resize(const rgb *src, unsigned w, unsigned h, rgb *dst, int slot)
{
	dst->w = w;
	dst->h = h;
	dst->px = S_slot(slot, (size_t)w * h * PX);
	size_t row = (size_t)src->w * PX, big = row * h > (size_t)w * h * PX ? row * h : (size_t)w * h * PX;
	unsigned char *mid = S_slot(SLOT_MID, big), *turned = S_slot(SLOT_TURNED, big);
	int *acc = S_slot(SLOT_ACC, (row > (size_t)h * PX ? row : (size_t)h * PX) * sizeof *acc);
	S_rows(src->px, row, src->h, mid, h, acc);                                /* src->w × h */
	S_transpose((const uint32_t *)(void *)mid, src->w, h, (uint32_t *)(void *)turned); /* h × src->w */
	S_rows(turned, (size_t)h * PX, src->w, mid, w, acc);                      /* h × w */
	S_transpose((const uint32_t *)(void *)mid, h, w, (uint32_t *)(void *)dst->px);      /* w × h */
}

/* Exactly half the size: each pixel the mean of a 2×2 block (what any
 * area filter gives at this ratio, for a fraction of the work). */
HOT static void S_halve(const rgb *src, rgb *dst, int slot)
{
	dst->w = src->w / 2;
	dst->h = src->h / 2;
	dst->px = S_slot(slot, (size_t)dst->w * dst->h * PX);
	size_t row = (size_t)src->w * PX;
	for (unsigned y = 0; y < dst->h; y++) {
		const unsigned char *a = src->px + (size_t)y * 2 * row, *b = a + row;
		unsigned char *o = dst->px + (size_t)y * dst->w * PX;
		for (unsigned x = 0; x < dst->w; x++)
			for (int c = 0; c < PX; c++)
				o[x * PX + c] = (unsigned char)((a[x * 2 * PX + c] + a[x * 2 * PX + PX + c] + b[x * 2 * PX + c] +
								 b[x * 2 * PX + PX + c] + 2) >> 2);
	}
}

/* Encode img as a baseline JPEG, 4:2:0, with no metadata. */
static int S_encode(const rgb *img, int quality, liang_buf *out, char *err, size_t errlen)
{
	tjhandle tj = S_enc ? S_enc : (S_enc = tjInitCompress());
	if (!tj) {
		snprintf(err, errlen, "无法初始化 JPEG 编码器");
		return -1;
	}
	unsigned long cap = tjBufSize((int)img->w, (int)img->h, TJSAMP_420);
	liang_buf_clear(out);
	liang_buf_grow(out, cap);
	unsigned char *dst = (unsigned char *)out->ptr;
	unsigned long size = cap;
	int rc = tjCompress2(tj, img->px, (int)img->w, 0, (int)img->h, TJPF_RGBX, &dst, &size, TJSAMP_420, quality,
			     TJFLAG_NOREALLOC);
	if (rc < 0)
		snprintf(err, errlen, "JPEG 编码失败（%s）", tjGetErrorStr2(tj));
	else {
		out->len = size;
		out->ptr[size] = '\0';
	}
	return rc < 0 ? -1 : 0;
}

/* Decode a JPEG at the smallest DCT scale whose upright width is at least
 * need, then turn it upright. */
static int S_decode_jpeg(const unsigned char *d, size_t len, const liang_img_plan *p, unsigned need, rgb *img,
			 char *err, size_t errlen)
{
	tjhandle tj = S_dec ? S_dec : (S_dec = tjInitDecompress());
	if (!tj) {
		snprintf(err, errlen, "无法初始化 JPEG 解码器");
		return -1;
	}
	int nsf = 0;
	tjscalingfactor *sf = tjGetScalingFactors(&nsf);
	unsigned across = p->orientation >= 5 ? p->src_h : p->src_w; /* stored side shown across */
	tjscalingfactor best = {1, 1};
	for (int i = 0; i < nsf; i++) {
		/* never enlarge; and only 1/8, 1/4, 1/2 and 1, the factors
		 * libjpeg-turbo has vector code for: 5/8 is slower than 8/8 */
		if (sf[i].num * 8 % sf[i].denom != 0 || sf[i].num > sf[i].denom)
			continue;
		int eighths = sf[i].num * 8 / sf[i].denom;
		if (eighths & (eighths - 1))
			continue;
		if ((unsigned)TJSCALED((int)across, sf[i]) >= need &&
		    (double)sf[i].num / sf[i].denom < (double)best.num / best.denom)
			best = sf[i];
	}
	img->w = (unsigned)TJSCALED((int)p->src_w, best);
	img->h = (unsigned)TJSCALED((int)p->src_h, best);
	img->px = S_slot(SLOT_DECODED, (size_t)img->w * img->h * PX);
	int rc = tjDecompress2(tj, d, len, img->px, (int)img->w, 0, (int)img->h, TJPF_RGBX,
			       TJFLAG_STOPONWARNING | TJFLAG_FASTUPSAMPLE);
	if (rc < 0) {
		snprintf(err, errlen, "JPEG 解码失败（%s）", tjGetErrorStr2(tj));
	}
	if (rc < 0)
		return -1;
	S_orient(img, p->orientation);
	return 0;
}

/* Decode a PNG to RGBX; transparent parts are shown on white (the page's
 * background), as the derived forms are JPEGs. */
static int S_decode_png(const unsigned char *d, size_t len, rgb *img, char *err, size_t errlen)
{
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, d, len)) {
		snprintf(err, errlen, "PNG 解码失败（%s）", pi.message);
		return -1;
	}
	pi.format = PNG_FORMAT_RGBA;
	img->w = pi.width;
	img->h = pi.height;
	img->px = S_slot(SLOT_DECODED, PNG_IMAGE_SIZE(pi));
	if (!png_image_finish_read(&pi, NULL, img->px, 0, NULL)) {
		snprintf(err, errlen, "PNG 解码失败（%s）", pi.message);
		png_image_free(&pi);
		return -1;
	}
	/* on white: the fourth byte becomes the unused X of RGBX */
	for (size_t i = 0, n = (size_t)img->w * img->h * PX; i < n; i += PX) {
		unsigned a = img->px[i + 3];
		for (int c = 0; c < 3; c++)
			img->px[i + c] = (unsigned char)((img->px[i + c] * a + 255 * (255 - a) + 127) / 255);
	}
	return 0;
}

int liang_img_derive(const unsigned char *data, size_t len, const liang_img_plan *p, liang_buf *orig,
		     liang_buf *sized, char *err, size_t errlen)
{
	bool turn = p->format == LIANG_IMG_JPEG && p->orientation != 1;
	/* the widest form that needs pixels */
	unsigned need = 0;
	if (orig && turn)
		need = p->width;
	for (int k = 0; sized && k < p->n; k++)
		if (!sized[k].ptr && p->w[k] > need)
			need = p->w[k];
	if (orig && !turn) {
		liang_buf_clear(orig);
		if (liang_img_strip(data, len, orig, err, errlen) < 0)
			return -1;
	}
	if (!need)
		return 0;
	rgb img = {NULL, 0, 0};
	int rc = p->format == LIANG_IMG_JPEG ? S_decode_jpeg(data, len, p, need, &img, err, errlen)
					     : S_decode_png(data, len, &img, err, errlen);
	if (rc < 0)
		return -1;
	if (orig && turn && S_encode(&img, LIANG_IMG_QUALITY_ORIGINAL, orig, err, errlen) < 0)
		rc = -1;
	/* widest first: a form of exactly half an already made one is made
	 * from it (480 from 960) */
	rgb made[LIANG_IMG_NWIDTHS];
	memset(made, 0, sizeof made);
	for (int k = p->n - 1; rc == 0 && sized && k >= 0; k--) {
		if (sized[k].ptr)
			continue;
		int from = -1;
		for (int j = k + 1; j < p->n && from < 0; j++)
			if (made[j].px && made[j].w == 2 * p->w[k] && made[j].h / 2 == p->h[k])
				from = j;
		if (from >= 0)
			S_halve(&made[from], &made[k], SLOT_MADE + k);
		else if (img.w == p->w[k] && img.h == p->h[k])
			made[k] = img;
		else
			S_resize(&img, p->w[k], p->h[k], &made[k], SLOT_MADE + k);
		rc = S_encode(&made[k], LIANG_IMG_QUALITY, &sized[k], err, errlen);
	}
	return rc;
}

/* --------------------------------------------------------------- cache */

#define FNV64_PRIME 0x100000001b3ULL

/* FNV-1a on 64-bit words in four interleaved lanes: a byte at a time,
 * each step waits for the multiply of the last, and hashing the sources
 * was the largest cost of a cached build. */
uint64_t liang_img_hash(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;
	uint64_t lane[4] = {h, h ^ 1, h ^ 2, h ^ 3};
	size_t i = 0;
	for (; i + 32 <= len; i += 32)
		for (int k = 0; k < 4; k++) {
			uint64_t w;
			memcpy(&w, p + i + 8 * k, 8);
			lane[k] = (lane[k] ^ w) * FNV64_PRIME;
		}
	for (; i < len; i++)
		lane[0] = (lane[0] ^ p[i]) * FNV64_PRIME;
	for (int k = 0; k < 4; k++)
		h = (h ^ lane[k]) * FNV64_PRIME;
	return (h ^ len) * FNV64_PRIME;
}

int liang_img_cache_open(liang_img_cache *c, const char *dir)
{
	c->dir = NULL;
	if (!dir || liang_mkdirs(dir, 0755) < 0)
		return -1;
	c->dir = liang_xstrdup(dir);
	return 0;
}

void liang_img_cache_close(liang_img_cache *c)
{
	free(c->dir);
	c->dir = NULL;
}

uint64_t liang_img_cache_key(uint64_t h, const char *form)
{
	char params[128];
	int n = snprintf(params, sizeof params, "%s q%d q%d %s", CACHE_VERSION, LIANG_IMG_QUALITY,
			 LIANG_IMG_QUALITY_ORIGINAL, form);
	unsigned char hb[8];
	for (int i = 0; i < 8; i++)
		hb[i] = (unsigned char)(h >> (8 * i));
	return liang_img_hash(params, (size_t)n, liang_img_hash(hb, 8, LIANG_FNV64_OFFSET));
}

static char *S_cache_path(const liang_img_cache *c, uint64_t key)
{
	return liang_xasprintf("%s/%016llx.img", c->dir, (unsigned long long)key);
}

char *liang_img_cache_file(liang_img_cache *c, uint64_t key, long long *size)
{
	if (!c->dir)
		return NULL;
	char *path = S_cache_path(c, key);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		*size = (long long)st.st_size;
		return path;
	}
	free(path);
	return NULL;
}

bool liang_img_cache_get(liang_img_cache *c, uint64_t key, liang_buf *out)
{
	if (!c->dir)
		return false;
	char *path = S_cache_path(c, key);
	size_t len;
	char *data = liang_file_read(path, &len);
	free(path);
	if (!data)
		return false;
	if (len == 0) {
		free(data);
		return false;
	}
	liang_buf_clear(out);
	liang_buf_put(out, data, len);
	free(data);
	return true;
}

void liang_img_cache_put(liang_img_cache *c, uint64_t key, const void *data, size_t len)
{
	if (!c->dir)
		return;
	char *path = S_cache_path(c, key);
	liang_file_replace(path, data, len);
	free(path);
}
