/* strmap — a string → long map. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Eight bytes a step, then murmur3's finalizer, so that the low bits
 * the table takes depend on every byte (keys are paths and ids of tens
 * of bytes: a byte a step, FNV-1a was most of a lookup). */
static unsigned long S_hash(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
	for (; len >= 8; s += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	if (len) {
		uint64_t w = 0;
		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 33;
	return (unsigned long)h;
}

void liang_strmap_init(liang_strmap *m)
{
	memset(m, 0, sizeof *m);
}

void liang_strmap_free(liang_strmap *m)
{
	while (m->block) {
		char *prev;
		memcpy(&prev, m->block, sizeof prev);
		free(m->block);
		m->block = prev;
	}
	free(m->slots);
	memset(m, 0, sizeof *m);
}

#define BLOCK_SIZE (64 * 1024)

/* A copy of key (NUL-terminated) in the map's blocks. */
static char *S_keep(liang_strmap *m, const char *key, size_t len)
{
	if (len + 1 > m->left) {
		size_t size = sizeof(char *) + (len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE);
		char *b = liang_xmalloc(size);
		memcpy(b, &m->block, sizeof m->block);
		m->block = b;
		m->left = size - sizeof(char *);
	}
	/* blocks fill from their end down: the newest key sits just above
	 * the space still free */
	m->left -= len + 1;
	char *k = m->block + sizeof(char *) + m->left;
	memcpy(k, key, len);
	k[len] = '\0';
	return k;
}

static liang_strmap_slot *S_find(const liang_strmap *m, const char *key, size_t len,
				 unsigned long h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		liang_strmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
	}
}

long *liang_strmap_get(const liang_strmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	liang_strmap_slot *s = S_find(m, key, len, S_hash(key, len));
	return s->key ? &s->value : NULL;
}

static void S_grow(liang_strmap *m)
{
	liang_strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	/* written, not calloc'd: a large calloc maps shared zero pages,
	 * and the first store into each then faults again and flushes the
	 * other threads' TLBs (a tenth of the loader's system time) */
	m->slots = liang_xmalloc(m->cap * sizeof *m->slots);
	liang_prefer_huge_pages(m->slots, m->cap * sizeof *m->slots);
	memset(m->slots, 0, m->cap * sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*S_find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) =
				old.slots[i];
	free(old.slots);
}

bool liang_strmap_add(liang_strmap *m, const char *key, size_t len, long value,
		      long *old)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		S_grow(m);
	unsigned long h = S_hash(key, len);
	liang_strmap_slot *s = S_find(m, key, len, h);
	if (s->key) {
		if (old)
			*old = s->value;
		return false;
	}
	s->key = S_keep(m, key, len);
	s->len = len;
	s->hash = h;
	s->value = value;
	m->n++;
	return true;
}
