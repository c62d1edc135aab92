/* table — the input contract of DATA.md as data: every CSV file, its
 * columns (Chinese header, English id), and the rule each value obeys.
 *
 * The loader (load.c) walks these descriptions; schema.sql declares the
 * matching data_<name> tables, column for column in the same order. */
#ifndef LIANG_TABLE_H
#define LIANG_TABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	LIANG_COL_TEXT,      /* free text; maxlen in characters when > 0 */
	LIANG_COL_ID,        /* [A-Za-z0-9_-]{1,32}: used in URLs */
	LIANG_COL_ENUM,      /* one of `values` exactly */
	LIANG_COL_INT,       /* integer in [min, max] */
	LIANG_COL_NUMBER,    /* decimal number in [min, max] */
	LIANG_COL_YEAR,      /* YYYY */
	LIANG_COL_DATE,      /* YYYY-MM-DD (2026/5/3 and 2026年5月3日 accepted) */
	LIANG_COL_MONTH,     /* YYYY-MM or YYYY-MM-DD */
	LIANG_COL_QUARTER,   /* YYYYQn */
	LIANG_COL_CYCLE,     /* YYYY-YYYY */
	LIANG_COL_PATHS,     /* ';'-separated paths under content/ */
	LIANG_COL_PATH,      /* one path under content/ */
} liang_col_kind;

enum {
	LIANG_COL_REQUIRED = 1 << 0,
	LIANG_COL_PRIVATE = 1 << 1,   /* 私密: never reaches out/ */
	LIANG_COL_UNIQUE = 1 << 2,    /* unique within the file */
	LIANG_COL_REF = 1 << 3,       /* a 集体编号 that must exist */
	LIANG_COL_PHONE_OK = 1 << 4,  /* a public phone field: the privacy
	                                 guard does not apply to it */
};

typedef struct liang_column {
	const char *zh;            /* header as in DATA.md */
	const char *id;            /* English alias, also the SQL column */
	liang_col_kind kind;
	unsigned flags;
	const char *const *values; /* LIANG_COL_ENUM: NULL-terminated */
	double min, max;           /* LIANG_COL_INT/NUMBER range */
	int maxlen;                /* LIANG_COL_TEXT: characters, 0 = none */
} liang_column;

typedef struct liang_table {
	const char *name;     /* "collectives": data/<name>.csv, data_<name> */
	const char *title;    /* 集体名录 */
	bool required;        /* the site cannot be built without it */
	bool optional;        /* absent is normal, not worth a warning */
	const liang_column *columns;
	size_t ncolumns;
} liang_table;

/* The tables in load order (collectives first: the others refer to it). */
extern const liang_table liang_tables[];
extern const size_t liang_ntables;

const liang_table *liang_table_find(const char *name);
/* Index of the column with this id, or -1. */
int liang_table_column(const liang_table *t, const char *id);

/* Enumerations shared with checks and pages. */
extern const char *const liang_levels[];
extern const char *const liang_statuses[];
extern const char *const liang_activity_kinds[];
extern const char *const liang_assessment_items[];
extern const char *const liang_unit_items[];

#endif
