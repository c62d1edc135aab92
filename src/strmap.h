/* strmap — a string → long map (open addressing), for the uniqueness and
 * reference checks of the loader: keys are copied into the map. */
#ifndef LIANG_STRMAP_H
#define LIANG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct liang_strmap_slot {
	char *key;
	size_t len;
	unsigned long hash;
	long value;
} liang_strmap_slot;

typedef struct liang_strmap {
	liang_strmap_slot *slots;
	size_t n, cap;
	/* the keys, packed into blocks freed together (a map of a large
	 * table holds a million keys: one malloc each was a tenth of it) */
	char *block;  /* the newest block; each begins with the previous one */
	size_t left;  /* bytes free at its end */
} liang_strmap;

void liang_strmap_init(liang_strmap *m);
void liang_strmap_free(liang_strmap *m);
/* The value stored for key, or NULL. */
long *liang_strmap_get(const liang_strmap *m, const char *key, size_t len);
/* Insert key → value unless present. Returns true when inserted; when the
 * key was already there returns false and sets *old to its value. */
bool liang_strmap_add(liang_strmap *m, const char *key, size_t len, long value,
		      long *old);

#endif
