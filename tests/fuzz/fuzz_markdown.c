/* fuzz_markdown — a Markdown body rendered as a notice's: cmark-gfm,
 * the link filter, the Chinese line joining and ```sql blocks, which
 * run (authorizer, progress handler, row limit) against the small
 * fixture site tests/fixtures/base loaded once (the fuzzer runs from
 * the repository's root; without the fixture the views are empty). */
#include "fuzz.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "markdown.h"
#include "site.h"
#include "text.h"
#include "util.h"

static liang_site site;
static liang_diags diags;
static bool ready;

static void S_setup(void)
{
	liang_diags_init(&diags);
	const char *root = getenv("LIANG_FUZZ_SITE");
	if (!root)
		root = liang_is_dir("tests/fixtures/base") ? "tests/fixtures/base" : "/nonexistent";
	if (liang_site_open(&site, root, &diags, true) < 0) {
		/* no fixture: an empty database with the schema */
		liang_site_close(&site);
		liang_diags_free(&diags);
		liang_diags_init(&diags);
		if (liang_site_open(&site, "/", &diags, true) < 0)
			abort();
	} else {
		liang_load_data(&site);
	}
	ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		S_setup();
	/* Markdown reaches the renderer decoded, as UTF-8 without NUL */
	liang_encoding enc;
	liang_decode_error err;
	size_t len;
	char *text = liang_text_decode((const char *)data, size, true, &enc, &len, &err);
	if (!text)
		return 0;
	liang_diags_free(&diags);
	liang_diags_init(&diags);
	liang_buf html = LIANG_BUF_INIT;
	liang_markdown_render(&site, site.db, text, NULL, "content/notices/2026-01-fuzz.md", 1, &html);
	liang_buf_free(&html);
	/* the cache keeps every distinct query: start afresh each time */
	liang_sqlcache_free(&site.sqlcache);
	liang_sqlcache_init(&site.sqlcache);
	free(text);
	return 0;
}
