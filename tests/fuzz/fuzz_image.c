/* fuzz_image — the image header probe (JPEG through libjpeg-turbo, PNG
 * through libpng) that checks every photo named in the data. The probe
 * reads a path, so each input is written to a scratch file first. */
#include "fuzz.h"
#include "image.h"

static char *path;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path)
		path = fuzz_scratch(".", "image");
	fuzz_write(path, data, size);
	liang_image_info info;
	char err[256];
	if (liang_image_probe(path, &info, err, sizeof err) < 0 && !err[0])
		abort(); /* a refusal always says why */
	return 0;
}
