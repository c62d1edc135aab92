/* fuzz_csv — the CSV reader behind every data file: encoding detection
 * and decoding (text.c), then every record and field (csv.c), as
 * the loader reads them. */
#include "fuzz.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	liang_encoding enc;
	liang_decode_error err;
	size_t len;
	char *text = liang_text_decode((const char *)data, size, false, &enc, &len, &err);
	if (!text)
		return 0;
	/* what the decoder hands over must be valid UTF-8 without NUL */
	if (liang_utf8_valid_prefix(text, len) != len || memchr(text, '\0', len))
		abort();
	liang_diags d;
	liang_diags_init(&d);
	liang_csv c;
	liang_csv_init(&c, text, len, "data/fuzz.csv", &d);
	while (liang_csv_next(&c)) {
		for (size_t i = 0; i < c.nfields; i++) {
			const liang_csv_field *f = &c.fields[i];
			if (f->ptr < text || f->ptr + f->len > text + len || f->line < 1 || f->col < 1)
				abort();
			const char *p = f->ptr;
			size_t n = f->len;
			liang_trim(&p, &n);
		}
	}
	liang_csv_free(&c);
	liang_diags_free(&d);
	free(text);
	return 0;
}
