/* content — the Markdown of content/: notices (通知) and pages with YAML
 * front matter, and the stories and write-ups named after a 编号. Each
 * file is checked (encoding, front matter, dates, attachments, the
 * privacy guard) and stored in the database for the pages to render. */
#ifndef LIANG_CONTENT_H
#define LIANG_CONTENT_H

#include "site.h"

/* The notices and pages of content/ into db (the loader's, which calls
 * it, while collectives.csv loads): what the privacy guard finds waits
 * in later, for the public numbers of collectives.csv. */
void liang_content_load_notices(liang_site *s, sqlite3 *db, liang_pii_later *later);

/* The stories of content/collectives/, read and checked for
 * liang_content_load to store: they need only collectives.csv loaded,
 * and the loader reads them while it loads the other tables. */
void liang_content_read_stories(liang_site *s);
/* Store the stories read into data_texts of s->db, in the transaction
 * the caller holds (the loader's first thread, before it commits, so
 * that liang_content_load has less to do after both threads are done). */
void liang_content_store_stories(liang_site *s);
/* The write-ups of content/activities/ and content/works/, read for
 * liang_content_load to check and store: reading them needs nothing
 * loaded, and the loader does it while it loads the tables. */
void liang_content_read_texts(liang_site *s);
/* Let go of stories and write-ups read and not stored (liang_site_close). */
void liang_content_free_stories(liang_site *s);

/* The rest of content/: run after liang_load_data(), which loaded the
 * notices and pages. Stories must name collectives, activities and
 * works that exist. */
void liang_content_load(liang_site *s);

#endif
