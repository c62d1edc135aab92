/* fuzz_frontmatter — a notice as content.c reads it: UTF-8 check, the
 * "---" lines that split off the front matter, the YAML (yamltree.c
 * over libyaml), then the checks of every key (dates, lists, paths of
 * attachments, the privacy guard). Each input is written as
 * content/notices/2026-01-fuzz.md of a scratch site. */
#include "fuzz.h"
#include "content.h"
#include "site.h"

static char *file;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!file) {
		file = fuzz_scratch("content/notices", "2026-01-fuzz.md");
		/* an attachment that exists, for the path checks */
		char *att = liang_path_join(fuzz_root, "content/a.pdf");
		fuzz_write(att, data, 0);
		free(att);
	}
	fuzz_write(file, data, size);
	liang_diags d;
	liang_diags_init(&d);
	liang_site s;
	if (liang_site_open(&s, fuzz_root, &d, true) == 0)
		liang_content_load(&s);
	liang_site_close(&s);
	liang_diags_free(&d);
	return 0;
}
