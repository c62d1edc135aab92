/* test_main — runs every unit test and prints "N passed, N failed". */
#include <stdlib.h>

#include "sqlmem.h"
#include "unit.h"

int unit_passed, unit_failed;
const char *unit_current;

extern const unit_test tests_buf[], tests_text[], tests_csv[], tests_privacy[], tests_rules[], tests_out[],
	tests_strmap[], tests_yamltree[], tests_template[], tests_sqlblock[], tests_chart[], tests_stats[],
	tests_imgproc[], tests_pdf[], tests_markdown[], tests_value[], tests_util[], tests_i18n[], tests_sqlmem[],
	tests_sqlmem_used_up[];

/* sqlmem first: its tests want slabs not yet all handed out; and last
 * the tests that use them all up, so that the others run on slabs as a
 * build does */
static const unit_test *const suites[] = {tests_sqlmem, tests_buf, tests_text,    tests_csv,      tests_privacy, tests_strmap,
					 tests_yamltree, tests_out,      tests_rules,   tests_template,
					 tests_sqlblock, tests_chart,    tests_stats,   tests_imgproc,
					 tests_pdf,      tests_markdown, tests_value,   tests_util,    tests_i18n,
					 tests_sqlmem_used_up, NULL};

int main(int argc, char **argv)
{
	/* An argument selects the tests whose name contains it. */
	const char *only = argc > 1 ? argv[1] : NULL;
	/* SQLite's memory as liang_site_open sets it (the tests of sqlmem.c
	 * see it used) */
	liang_sqlmem_install();
	for (const unit_test *const *s = suites; *s; s++)
		for (const unit_test *t = *s; t->name; t++) {
			if (only && !strstr(t->name, only))
				continue;
			unit_current = t->name;
			t->fn();
		}
	printf("unit: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}
