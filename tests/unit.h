/* unit — a tiny test harness: CHECK macros that count and report, and a
 * registry of test functions that test_main.c runs. */
#ifndef LIANG_UNIT_H
#define LIANG_UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_passed, unit_failed;
extern const char *unit_current;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (cond) {                                                              \
			unit_passed++;                                                   \
		} else {                                                                 \
			unit_failed++;                                                   \
			fprintf(stderr, "FAIL %s (%s:%d): %s\n", unit_current, __FILE__, \
				__LINE__, #cond);                                        \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                               \
	do {                                                                               \
		const char *g_ = (got), *w_ = (want);                                      \
		if (g_ && w_ && strcmp(g_, w_) == 0) {                                     \
			unit_passed++;                                                     \
		} else {                                                                   \
			unit_failed++;                                                     \
			fprintf(stderr, "FAIL %s (%s:%d): %s\n  got:  %s\n  want: %s\n",   \
				unit_current, __FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_ ? w_ : "(null)");                                       \
		}                                                                          \
	} while (0)

typedef void (*unit_fn)(void);
typedef struct unit_test {
	const char *name;
	unit_fn fn;
} unit_test;

/* Each test file defines a NULL-terminated table tests_<module>[]. */
#define UNIT_TESTS(module) const unit_test tests_##module[]

#endif
