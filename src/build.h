/* build — writes the site from the database into out/: the home page
 * with the totals, the open-data downloads (the public columns of each
 * table as CSV that Excel opens), and the theme's assets. */
#ifndef LIANG_BUILD_H
#define LIANG_BUILD_H

#include "out.h"
#include "site.h"

/* Write every output file through o, and make the checks across files
 * (liang_load_cross_checks) meanwhile. Returns 0, or -1 on failure
 * (reported in the site's diagnostics). */
int liang_build_site(liang_site *s, liang_out *o);

#endif
