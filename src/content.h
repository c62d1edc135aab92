/* content — the Markdown of content/: notices (通知) and pages with YAML
 * front matter, and the stories and write-ups named after a 编号. Each
 * file is checked (encoding, front matter, dates, attachments, the
 * privacy guard) and stored in the database for the pages to render. */
#ifndef LIANG_CONTENT_H
#define LIANG_CONTENT_H

#include "site.h"

/* Load content/ into the database. Run after liang_load_data(): stories
 * must name collectives, activities and works that exist. */
void liang_content_load(liang_site *s);

#endif
