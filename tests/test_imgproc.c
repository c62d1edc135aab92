/* test_imgproc — derived sizes, orientation, metadata removal, the cache,
 * and broken files, on small images made here with TurboJPEG. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <unistd.h>

#include <png.h>
#include <turbojpeg.h>

#include "imgproc.h"
#include "unit.h"
#include "util.h"

/* A w×h picture: the left half red, the right half blue, as a JPEG. */
static liang_buf S_jpeg(int w, int h)
{
	unsigned char *px = malloc((size_t)w * h * 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *p = px + ((size_t)y * w + x) * 3;
			p[0] = x < w / 2 ? 220 : 20;
			p[1] = 20;
			p[2] = x < w / 2 ? 20 : 220;
		}
	tjhandle tj = tjInitCompress();
	unsigned char *jpeg = NULL;
	unsigned long size = 0;
	tjCompress2(tj, px, w, 0, h, TJPF_RGB, &jpeg, &size, TJSAMP_420, 90, 0);
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_put(&b, jpeg, size);
	tjFree(jpeg);
	tjDestroy(tj);
	free(px);
	return b;
}

/* The JPEG with an EXIF APP1 after SOI: IFD0 holds the orientation and
 * a pointer to a GPS IFD with a latitude (what must never be published). */
static liang_buf S_with_exif(const liang_buf *jpeg, int orientation)
{
	static const unsigned char tiff_head[] = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 2};
	liang_buf t = LIANG_BUF_INIT;
	liang_buf_put(&t, tiff_head, sizeof tiff_head);
	/* 0x0112 SHORT 1 = orientation */
	unsigned char e1[] = {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (unsigned char)orientation, 0, 0};
	/* 0x8825 LONG 1 = offset of the GPS IFD (8 + 2 + 24 + 4 = 38) */
	unsigned char e2[] = {0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38};
	liang_buf_put(&t, e1, sizeof e1);
	liang_buf_put(&t, e2, sizeof e2);
	liang_buf_put(&t, "\0\0\0\0", 4);
	/* GPS IFD: GPSLatitudeRef "N" */
	unsigned char gps[] = {0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0, 0, 0, 0, 0};
	liang_buf_put(&t, gps, sizeof gps);
	liang_buf out = LIANG_BUF_INIT;
	liang_buf_put(&out, "\xFF\xD8\xFF\xE1", 4);
	size_t seglen = 2 + 6 + t.len;
	liang_buf_putc(&out, (int)(seglen >> 8));
	liang_buf_putc(&out, (int)(seglen & 0xFF));
	liang_buf_put(&out, "Exif\0\0", 6);
	liang_buf_put(&out, t.ptr, t.len);
	liang_buf_put(&out, jpeg->ptr + 2, jpeg->len - 2);
	liang_buf_free(&t);
	return out;
}

static bool S_contains(const liang_buf *b, const char *s, size_t n)
{
	return b->len >= n && memmem(b->ptr, b->len, s, n) != NULL;
}

/* Decode a published JPEG: its size and the pixel at (x, y). */
static int S_decode(const liang_buf *b, int *w, int *h, int x, int y, unsigned char rgb[3])
{
	tjhandle tj = tjInitDecompress();
	int ss, cs;
	int rc = tjDecompressHeader3(tj, (unsigned char *)b->ptr, b->len, w, h, &ss, &cs);
	if (rc == 0) {
		unsigned char *px = malloc((size_t)*w * *h * 3);
		rc = tjDecompress2(tj, (unsigned char *)b->ptr, b->len, px, *w, 0, *h, TJPF_RGB, 0);
		if (rc == 0 && x < *w && y < *h)
			memcpy(rgb, px + ((size_t)y * *w + x) * 3, 3);
		free(px);
	}
	tjDestroy(tj);
	return rc;
}

static void plan_widths(void)
{
	liang_buf j = S_jpeg(2000, 1500);
	liang_img_plan p;
	char err[256];
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(p.format == LIANG_IMG_JPEG && p.width == 2000 && p.height == 1500 && p.orientation == 1);
	CHECK(p.n == 3 && p.w[0] == 480 && p.h[0] == 360 && p.w[1] == 960 && p.h[1] == 720 && p.w[2] == 1600 &&
	      p.h[2] == 1200);
	liang_buf sized[3] = {LIANG_BUF_INIT, LIANG_BUF_INIT, LIANG_BUF_INIT};
	CHECK(liang_img_derive((unsigned char *)j.ptr, j.len, &p, NULL, sized, err, sizeof err) == 0);
	for (int k = 0; k < 3; k++) {
		int w = 0, h = 0;
		unsigned char px[3];
		CHECK(S_decode(&sized[k], &w, &h, 2, 2, px) == 0);
		CHECK(w == (int)p.w[k] && h == (int)p.h[k]);
		CHECK(px[0] > 180 && px[2] < 60); /* still red on the left */
		CHECK(S_decode(&sized[k], &w, &h, w - 3, h - 3, px) == 0 && px[2] > 180 && px[0] < 60);
		liang_buf_free(&sized[k]);
	}
	liang_buf_free(&j);
	/* 1600×1200: its own 1/4 and 1/2 (400, 800) stand for 480 and 960,
	 * made without resampling; 1600 is the original itself */
	j = S_jpeg(1600, 1200);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(p.n == 2 && p.w[0] == 400 && p.h[0] == 300 && p.w[1] == 800 && p.h[1] == 600);
	CHECK(liang_img_derive((unsigned char *)j.ptr, j.len, &p, NULL, sized, err, sizeof err) == 0);
	for (int k = 0; k < 2; k++) {
		int w = 0, h = 0;
		unsigned char px[3];
		CHECK(S_decode(&sized[k], &w, &h, 2, 2, px) == 0 && w == (int)p.w[k] && h == (int)p.h[k]);
		CHECK(px[0] > 180 && px[2] < 60);
		liang_buf_free(&sized[k]);
	}
	liang_buf_free(&j);
	/* never enlarged: a 600-wide photo gets 480 and nothing wider */
	j = S_jpeg(600, 400);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(p.n == 1 && p.w[0] == 480 && p.h[0] == 320);
	liang_buf_free(&j);
	j = S_jpeg(400, 300);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(p.n == 0);
	liang_buf_free(&j);
}

static void orientation_applied(void)
{
	liang_buf plain = S_jpeg(320, 240);
	liang_buf j = S_with_exif(&plain, 6);
	CHECK(liang_img_orientation((unsigned char *)j.ptr, j.len) == 6);
	CHECK(liang_img_orientation((unsigned char *)plain.ptr, plain.len) == 1);
	liang_img_plan p;
	char err[256];
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(p.src_w == 320 && p.src_h == 240 && p.width == 240 && p.height == 320);
	liang_buf orig = LIANG_BUF_INIT;
	CHECK(liang_img_derive((unsigned char *)j.ptr, j.len, &p, &orig, NULL, err, sizeof err) == 0);
	int w = 0, h = 0;
	unsigned char top[3] = {0}, bottom[3] = {0};
	CHECK(S_decode(&orig, &w, &h, 120, 10, top) == 0);
	CHECK(S_decode(&orig, &w, &h, 120, 310, bottom) == 0);
	CHECK(w == 240 && h == 320);
	/* orientation 6: the stored left (red) is shown at the top */
	CHECK(top[0] > 180 && top[2] < 60);
	CHECK(bottom[2] > 180 && bottom[0] < 60);
	liang_buf_free(&orig);
	/* orientation 3 (upside down): red on the right */
	liang_buf_free(&j);
	j = S_with_exif(&plain, 3);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(liang_img_derive((unsigned char *)j.ptr, j.len, &p, &orig, NULL, err, sizeof err) == 0);
	CHECK(S_decode(&orig, &w, &h, 300, 120, top) == 0 && w == 320 && h == 240 && top[0] > 180);
	liang_buf_free(&orig);
	liang_buf_free(&j);
	liang_buf_free(&plain);
}

static void exif_stripped(void)
{
	liang_buf plain = S_jpeg(320, 240);
	liang_buf j = S_with_exif(&plain, 1);
	CHECK(S_contains(&j, "Exif", 4));
	liang_img_plan p;
	char err[256];
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	liang_buf orig = LIANG_BUF_INIT, sized[1] = {LIANG_BUF_INIT};
	CHECK(liang_img_derive((unsigned char *)j.ptr, j.len, &p, &orig, sized, err, sizeof err) == 0);
	CHECK(!S_contains(&orig, "Exif", 4) && !S_contains(&orig, "\xFF\xE1", 2));
	/* orientation 1: the original is not re-encoded, only stripped */
	CHECK(orig.len == plain.len - 18 && !memcmp(orig.ptr + 2, plain.ptr + 20, orig.len - 2));
	CHECK(!S_contains(&sized[0], "Exif", 4) && !S_contains(&sized[0], "\xFF\xE1", 2));
	liang_buf_free(&orig);
	liang_buf_free(&sized[0]);
	/* turned upright: re-encoded, and no EXIF either */
	liang_buf_free(&j);
	j = S_with_exif(&plain, 8);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &p, err, sizeof err) == 0);
	CHECK(liang_img_derive((unsigned char *)j.ptr, j.len, &p, &orig, NULL, err, sizeof err) == 0);
	CHECK(!S_contains(&orig, "Exif", 4) && !S_contains(&orig, "\xFF\xE1", 2));
	liang_buf_free(&orig);
	liang_buf_free(&j);
	liang_buf_free(&plain);
}

static void png_text_stripped(void)
{
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	pi.width = 600;
	pi.height = 450;
	pi.format = PNG_FORMAT_RGB;
	unsigned char *px = calloc(600 * 450, 3);
	png_alloc_size_t size = 0;
	png_image_write_to_memory(&pi, NULL, &size, 0, px, 0, NULL);
	unsigned char *mem = malloc(size);
	CHECK(png_image_write_to_memory(&pi, mem, &size, 0, px, 0, NULL));
	/* a tEXt chunk after IHDR (8 + 25 bytes): its CRC is not checked by
	 * the stripper, which drops it whole */
	liang_buf in = LIANG_BUF_INIT;
	liang_buf_put(&in, mem, 33);
	liang_buf_put(&in, "\0\0\0\x0ctEXtLocation\0N1\0\0\0\0", 24);
	liang_buf_put(&in, mem + 33, size - 33);
	liang_img_plan p;
	char err[256];
	CHECK(liang_img_plan_of((unsigned char *)in.ptr, in.len, &p, err, sizeof err) == 0);
	CHECK(p.format == LIANG_IMG_PNG && p.width == 600 && p.n == 1 && p.w[0] == 480 && p.h[0] == 360);
	liang_buf orig = LIANG_BUF_INIT, sized[1] = {LIANG_BUF_INIT};
	CHECK(liang_img_strip((unsigned char *)in.ptr, in.len, &orig, err, sizeof err) == 0);
	CHECK(orig.len == size && !S_contains(&orig, "tEXt", 4));
	liang_buf_clear(&orig);
	CHECK(liang_img_derive((unsigned char *)mem, size, &p, NULL, sized, err, sizeof err) == 0);
	int w = 0, h = 0;
	unsigned char c[3];
	CHECK(S_decode(&sized[0], &w, &h, 0, 0, c) == 0 && w == 480 && h == 360);
	liang_buf_free(&orig);
	liang_buf_free(&sized[0]);
	liang_buf_free(&in);
	free(mem);
	free(px);
}

static void broken_files(void)
{
	liang_buf j = S_jpeg(640, 480);
	char err[256];
	liang_img_plan p;
	/* truncated: the header is whole, the scan is not */
	size_t half = j.len / 2;
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, half, &p, err, sizeof err) == 0);
	CHECK(liang_img_strip((unsigned char *)j.ptr, half, NULL, err, sizeof err) == -1);
	CHECK(strstr(err, "不完整") != NULL);
	liang_buf sized[1] = {LIANG_BUF_INIT};
	CHECK(liang_img_derive((unsigned char *)j.ptr, half, &p, NULL, sized, err, sizeof err) == -1);
	CHECK(strstr(err, "解码失败") != NULL);
	liang_buf_free(&sized[0]);
	/* corrupt: a stray marker in the middle of the scan */
	liang_buf bad = LIANG_BUF_INIT;
	liang_buf_put(&bad, j.ptr, j.len);
	bad.ptr[half] = (char)0xFF;
	bad.ptr[half + 1] = 0x12;
	CHECK(liang_img_strip((unsigned char *)bad.ptr, bad.len, NULL, err, sizeof err) == -1);
	CHECK(liang_img_derive((unsigned char *)bad.ptr, bad.len, &p, NULL, sized, err, sizeof err) == -1);
	liang_buf_free(&sized[0]);
	liang_buf_free(&bad);
	/* not an image, and a header cut short */
	CHECK(liang_img_plan_of((const unsigned char *)"hello, world", 12, &p, err, sizeof err) == -1);
	CHECK(strstr(err, "不是 JPEG 或 PNG") != NULL);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, 40, &p, err, sizeof err) == -1);
	liang_buf_free(&j);
}

static void cache_hit_and_miss(void)
{
	char tmpl[] = "/tmp/liang-imgcache-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *sub = liang_path_join(dir, "img");
	liang_img_cache c;
	CHECK(liang_img_cache_open(&c, sub) == 0);
	uint64_t h1 = liang_img_hash("photo one", 9, LIANG_FNV64_OFFSET);
	uint64_t h2 = liang_img_hash("photo two", 9, LIANG_FNV64_OFFSET);
	uint64_t k = liang_img_cache_key(h1, "w480");
	CHECK(k != liang_img_cache_key(h1, "w960"));
	CHECK(k != liang_img_cache_key(h2, "w480"));
	CHECK(k == liang_img_cache_key(h1, "w480"));
	liang_buf got = LIANG_BUF_INIT;
	CHECK(!liang_img_cache_get(&c, k, &got)); /* miss */
	liang_img_cache_put(&c, k, "derived bytes", 13);
	CHECK(liang_img_cache_get(&c, k, &got)); /* hit */
	CHECK(got.len == 13 && !memcmp(got.ptr, "derived bytes", 13));
	CHECK(!liang_img_cache_get(&c, liang_img_cache_key(h2, "w480"), &got));
	/* one byte changed anywhere, or one more byte, changes the hash */
	unsigned char big[1000];
	for (int i = 0; i < 1000; i++)
		big[i] = (unsigned char)(i * 7);
	uint64_t hb = liang_img_hash(big, sizeof big, LIANG_FNV64_OFFSET);
	CHECK(hb == liang_img_hash(big, sizeof big, LIANG_FNV64_OFFSET));
	bool all_differ = true;
	for (int i = 0; i < 1000; i += 37) {
		big[i] ^= 1;
		all_differ = all_differ && liang_img_hash(big, sizeof big, LIANG_FNV64_OFFSET) != hb;
		big[i] ^= 1;
	}
	CHECK(all_differ);
	CHECK(liang_img_hash(big, 999, LIANG_FNV64_OFFSET) != hb);
	CHECK(liang_img_hash("", 0, LIANG_FNV64_OFFSET) != liang_img_hash("\0", 1, LIANG_FNV64_OFFSET));
	liang_buf_free(&got);
	liang_img_cache_close(&c);
	/* no cache at all: every lookup misses, nothing fails */
	liang_img_cache none = {NULL};
	CHECK(!liang_img_cache_get(&none, k, &got));
	liang_img_cache_put(&none, k, "x", 1);
	liang_remove_tree(dir);
	free(sub);
}

/* The check of a file gives the plan and hash the build publishes by:
 * the same as from the bytes; none for a file that is cut short. */
static void check_file_plan_and_hash(void)
{
	char tmpl[] = "/tmp/liang-imgcheck-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *path = liang_path_join(dir, "a.jpg");
	liang_buf j = S_jpeg(1600, 1200);
	FILE *f = fopen(path, "wb");
	fwrite(j.ptr, 1, j.len, f);
	fclose(f);
	liang_img_plan p, want;
	char err[256];
	uint64_t h = 0;
	CHECK(liang_img_check_file(path, &p, &h) == LIANG_IMG_OK);
	CHECK(liang_img_plan_of((unsigned char *)j.ptr, j.len, &want, err, sizeof err) == 0);
	CHECK(p.width == 1600 && p.height == 1200 && p.n == want.n && p.w[0] == want.w[0]);
	CHECK(h == liang_img_hash(j.ptr, j.len, LIANG_FNV64_OFFSET));
	uint64_t untouched = 42;
	CHECK(liang_img_check_file(path, &p, NULL) == LIANG_IMG_OK);
	f = fopen(path, "wb");
	fwrite(j.ptr, 1, j.len / 2, f);
	fclose(f);
	CHECK(liang_img_check_file(path, &p, &untouched) == LIANG_IMG_TRUNCATED);
	CHECK(untouched == 42);
	liang_buf_free(&j);
	liang_remove_tree(dir);
	free(path);
}

UNIT_TESTS(imgproc) = {
	{"imgproc/plan_widths", plan_widths},
	{"imgproc/orientation_applied", orientation_applied},
	{"imgproc/exif_stripped", exif_stripped},
	{"imgproc/png_text_stripped", png_text_stripped},
	{"imgproc/broken_files", broken_files},
	{"imgproc/cache_hit_and_miss", cache_hit_and_miss},
	{"imgproc/check_file_plan_and_hash", check_file_plan_and_hash},
	{NULL, NULL},
};
