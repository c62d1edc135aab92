/* image — what an image file is, read from its header only: format and
 * size, for the photo rules of the notices (a 图片作品 is 4–9 JPEGs of at
 * least 1600×1200). Decoding and resizing belong to the gallery stage. */
#ifndef LIANG_IMAGE_H
#define LIANG_IMAGE_H

#include <stddef.h>

typedef enum { LIANG_IMG_UNKNOWN, LIANG_IMG_JPEG, LIANG_IMG_PNG } liang_img_format;

typedef struct liang_image_info {
	liang_img_format format;
	unsigned width, height;
} liang_image_info;

/* Read the header of the image at path. Returns 0 on success; -1 with a
 * Chinese reason in err (a file that cannot be read, is neither JPEG nor
 * PNG, or whose header is corrupt). */
int liang_image_probe(const char *path, liang_image_info *info, char *err, size_t errlen);

#endif
