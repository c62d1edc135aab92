/* image — image headers through libjpeg-turbo and libpng. */
#include "image.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

struct S_jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
};

/* libjpeg's default error handler calls exit(): jump back instead. */
static void S_jpeg_error_exit(j_common_ptr cinfo)
{
	struct S_jpeg_err *e = (struct S_jpeg_err *)cinfo->err;
	(*cinfo->err->format_message)(cinfo, e->msg);
	longjmp(e->jump, 1);
}

static void S_jpeg_silent(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level;
}

static int S_probe_jpeg(FILE *fp, liang_image_info *info, char *err, size_t errlen)
{
	struct jpeg_decompress_struct cinfo;
	struct S_jpeg_err jerr;
	cinfo.err = jpeg_std_error(&jerr.mgr);
	jerr.mgr.error_exit = S_jpeg_error_exit;
	jerr.mgr.emit_message = S_jpeg_silent;
	if (setjmp(jerr.jump)) {
		snprintf(err, errlen, "JPEG 文件已损坏（%s）", jerr.msg);
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_stdio_src(&cinfo, fp);
	jpeg_read_header(&cinfo, TRUE);
	info->format = LIANG_IMG_JPEG;
	info->width = cinfo.image_width;
	info->height = cinfo.image_height;
	jpeg_destroy_decompress(&cinfo);
	return 0;
}

static int S_probe_png(FILE *fp, liang_image_info *info, char *err, size_t errlen)
{
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (!png) {
		snprintf(err, errlen, "内存不足");
		return -1;
	}
	png_infop pi = png_create_info_struct(png);
	if (!pi || setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, pi ? &pi : NULL, NULL);
		snprintf(err, errlen, "PNG 文件已损坏");
		return -1;
	}
	png_init_io(png, fp);
	png_read_info(png, pi);
	info->format = LIANG_IMG_PNG;
	info->width = png_get_image_width(png, pi);
	info->height = png_get_image_height(png, pi);
	png_destroy_read_struct(&png, &pi, NULL);
	return 0;
}

int liang_image_probe(const char *path, liang_image_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof *info);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "无法打开（%s）", strerror(errno));
		return -1;
	}
	unsigned char sig[8] = {0};
	size_t n = fread(sig, 1, sizeof sig, fp);
	rewind(fp);
	int rc;
	if (n >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF) {
		rc = S_probe_jpeg(fp, info, err, errlen);
	} else if (n == 8 && png_sig_cmp(sig, 0, 8) == 0) {
		rc = S_probe_png(fp, info, err, errlen);
	} else {
		snprintf(err, errlen, "不是 JPEG 或 PNG 图片");
		rc = -1;
	}
	fclose(fp);
	return rc;
}
