/* yamltree — YAML (site.yaml and Markdown front matter) through libyaml,
 * as a small tree whose every node knows its line and column. */
#ifndef LIANG_YAMLTREE_H
#define LIANG_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { LIANG_Y_SCALAR, LIANG_Y_SEQ, LIANG_Y_MAP } liang_ytype;

typedef struct liang_ynode liang_ynode;
struct liang_ynode {
	liang_ytype type;
	char *value;          /* LIANG_Y_SCALAR */
	bool plain;           /* an unquoted scalar (so `true` is a boolean) */
	long line, col;       /* 1-based, in the file the YAML came from */
	liang_ynode **items;  /* SEQ: n children; MAP: n keys and n values */
	liang_ynode **values;
	size_t n;
};

/* Parse text as one YAML document. line0 is added to every line (the
 * front matter of a Markdown file starts on its line 2). Returns the root
 * (NULL for an empty document) and 0, or -1 with a Chinese message and
 * its place in *err_msg (caller frees), *err_line, *err_col. */
int liang_yaml_parse(const char *text, size_t len, long line0, liang_ynode **root,
		     char **err_msg, long *err_line, long *err_col);
void liang_ynode_free(liang_ynode *n);
/* The value of key in a map, or NULL; *key_node set when given. */
liang_ynode *liang_ymap_get(const liang_ynode *map, const char *key);
/* A scalar that reads as a boolean: true/false/yes/no/是/否. Returns -1
 * when it is not one. */
int liang_yscalar_bool(const liang_ynode *n);

#endif
