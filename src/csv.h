/* csv — an RFC 4180 reader over text already decoded to UTF-8.
 *
 * Quoted fields, doubled quotes, embedded commas and newlines, CRLF, LF
 * or lone CR line ends, and ragged rows are all accepted as Excel writes
 * them. The reader works in place: fields point into the text it was
 * given (quoted fields are unescaped where they stand), so reading a file
 * allocates nothing per field. Every field knows its line and column so
 * that later checks can point at it. */
#ifndef LIANG_CSV_H
#define LIANG_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct liang_csv_field {
	const char *ptr; /* not NUL-terminated */
	size_t len;
	long line, col;  /* where the field starts; col in characters */
	bool quoted;
} liang_csv_field;

typedef struct liang_csv {
	/* input */
	char *p, *end;
	const char *file;
	liang_diags *diags;
	char delim;
	/* position */
	long line;
	const char *bol;  /* beginning of the current line */
	const char *colp; /* column cache: colp is at column colc */
	long colc;
	/* the current record */
	liang_csv_field *fields;
	size_t nfields, cap;
	long record_line;
	bool failed; /* an unterminated quote swallowed the rest of the file */
} liang_csv;

/* Start reading text[0..len) (modified in place; must stay alive while
 * fields are used). The delimiter is guessed from the first line: a tab
 * when it has tabs and no commas (Excel's "Unicode text"), else a comma.
 * Errors are added to diags under the name `file`. */
void liang_csv_init(liang_csv *c, char *text, size_t len, const char *file,
		    liang_diags *diags);
/* Read the next record into c->fields. Returns false at the end of the
 * text. */
bool liang_csv_next(liang_csv *c);
void liang_csv_free(liang_csv *c);

#endif
