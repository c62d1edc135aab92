/* mkphotos — distinct test photos for the gallery tests and benchmark.
 *
 *   mkphotos SRC.jpg OUTDIR N [ORIENTATION]
 *
 * writes OUTDIR/photo-0001.jpg … N JPEGs of SRC's size, each a different
 * picture (SRC shifted sideways and tinted by its number), quality 90.
 * With ORIENTATION (1–8) each also carries an EXIF block with that
 * orientation and a GPS position, as a phone writes them.
 *
 *   mkphotos --decode FILE...
 *
 * decodes each JPEG fully, on one thread (the baseline of the gallery
 * benchmark: what djpeg does, without writing the pixels anywhere). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

static unsigned char *S_read(const char *path, unsigned long *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (unsigned long)ftell(f);
	rewind(f);
	unsigned char *d = malloc(*len);
	if (fread(d, 1, *len, f) != *len) {
		free(d);
		d = NULL;
	}
	fclose(f);
	return d;
}

/* APP1 "Exif": IFD0 with Orientation and a GPS IFD (latitude 28°N). */
static void S_exif(FILE *f, int orientation)
{
	static const unsigned char tiff[] = {
		'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 2,                                      /* IFD0: two entries */
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0,  /* Orientation (patched) */
		0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, /* GPS IFD at 38 */
		0, 0, 0, 0,
		0, 2,                                      /* GPS IFD: two entries */
		0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0,      /* GPSLatitudeRef */
		0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68,       /* GPSLatitude at 68 */
		0, 0, 0, 0,
		0, 0, 0, 28, 0, 0, 0, 1, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
	unsigned char t[sizeof tiff];
	memcpy(t, tiff, sizeof t);
	t[19] = (unsigned char)orientation;
	unsigned len = 2 + 6 + sizeof t;
	unsigned char head[] = {0xFF, 0xE1, (unsigned char)(len >> 8), (unsigned char)len, 'E', 'x', 'i', 'f', 0, 0};
	fwrite(head, 1, sizeof head, f);
	fwrite(t, 1, sizeof t, f);
}

static int S_decode_all(int n, char **files)
{
	tjhandle d = tjInitDecompress();
	unsigned char *px = NULL;
	size_t cap = 0;
	for (int i = 0; i < n; i++) {
		unsigned long len;
		unsigned char *src = S_read(files[i], &len);
		int w, h, ss, cs;
		if (!src || tjDecompressHeader3(d, src, len, &w, &h, &ss, &cs) < 0) {
			fprintf(stderr, "%s: cannot decode\n", files[i]);
			return 1;
		}
		if ((size_t)w * h * 3 > cap) {
			cap = (size_t)w * h * 3;
			px = realloc(px, cap);
		}
		tjDecompress2(d, src, len, px, w, 0, h, TJPF_RGB, 0);
		free(src);
	}
	free(px);
	tjDestroy(d);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--decode"))
		return S_decode_all(argc - 2, argv + 2);
	if (argc < 4) {
		fprintf(stderr, "usage: mkphotos SRC.jpg OUTDIR N [ORIENTATION]\n");
		return 2;
	}
	int n = atoi(argv[3]), orientation = argc > 4 ? atoi(argv[4]) : 0;
	unsigned long len;
	unsigned char *src = S_read(argv[1], &len);
	if (!src) {
		perror(argv[1]);
		return 1;
	}
	tjhandle d = tjInitDecompress(), c = tjInitCompress();
	int w, h, ss, cs;
	if (tjDecompressHeader3(d, src, len, &w, &h, &ss, &cs) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], tjGetErrorStr2(d));
		return 1;
	}
	unsigned char *px = malloc((size_t)w * h * 3), *out = malloc((size_t)w * h * 3);
	tjDecompress2(d, src, len, px, w, 0, h, TJPF_RGB, 0);
	for (int i = 1; i <= n; i++) {
		int shift = (i * 37) % w;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				const unsigned char *p = px + ((size_t)y * w + (x + shift) % w) * 3;
				unsigned char *o = out + ((size_t)y * w + x) * 3;
				o[0] = (unsigned char)((p[0] * (200 + i % 56)) >> 8);
				o[1] = p[1];
				o[2] = (unsigned char)((p[2] * (255 - i % 56)) >> 8);
			}
		unsigned char *jpeg = NULL;
		unsigned long size = 0;
		tjCompress2(c, out, w, 0, h, TJPF_RGB, &jpeg, &size, TJSAMP_420, 90, 0);
		char path[4096];
		snprintf(path, sizeof path, "%s/photo-%04d.jpg", argv[2], i);
		FILE *f = fopen(path, "wb");
		if (!f) {
			perror(path);
			return 1;
		}
		fwrite(jpeg, 1, 2, f); /* SOI */
		if (orientation)
			S_exif(f, orientation);
		fwrite(jpeg + 2, 1, size - 2, f);
		fclose(f);
		tjFree(jpeg);
	}
	free(px);
	free(out);
	free(src);
	tjDestroy(d);
	tjDestroy(c);
	return 0;
}
