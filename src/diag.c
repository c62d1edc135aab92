/* diag — collected diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void liang_diags_init(liang_diags *d)
{
	memset(d, 0, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
}

void liang_diags_free(liang_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	pthread_mutex_destroy(&d->lock);
	memset(d, 0, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
}

void liang_diag_add(liang_diags *d, liang_severity sev, const char *file,
		    long line, long col, const char *fmt, ...)
{
	liang_buf b = LIANG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&d->lock);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = liang_xrealloc(d->v, d->cap * sizeof *d->v);
	}
	liang_diag *g = &d->v[d->n];
	g->file = file ? liang_xstrdup(file) : NULL;
	g->line = line;
	g->col = col;
	g->severity = sev;
	g->message = liang_buf_detach(&b);
	g->seq = d->n++;
	if (sev == LIANG_ERROR)
		d->errors++;
	else
		d->warnings++;
	pthread_mutex_unlock(&d->lock);
}

static int S_cmp(const void *pa, const void *pb)
{
	const liang_diag *a = pa, *b = pb;
	if (!a->file != !b->file)
		return a->file ? 1 : -1; /* file-less (global) messages first */
	if (a->file) {
		int c = strcmp(a->file, b->file);
		if (c)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void liang_diags_sort(liang_diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, S_cmp);
}

char *liang_diag_format(const liang_diag *g)
{
	liang_buf b = LIANG_BUF_INIT;
	liang_buf_puts(&b, g->file ? g->file : "liang");
	if (g->file && g->line > 0) {
		liang_buf_printf(&b, ":%ld", g->line);
		if (g->col > 0)
			liang_buf_printf(&b, ":%ld", g->col);
	}
	liang_buf_printf(&b, ": %s: %s",
			 g->severity == LIANG_ERROR ? "error" : "warning",
			 g->message);
	return liang_buf_detach(&b);
}

void liang_diags_text(liang_diags *d, bool errors_only, liang_buf *b)
{
	liang_diags_sort(d);
	for (size_t i = 0; i < d->n; i++)
		if (!errors_only || d->v[i].severity == LIANG_ERROR) {
			char *line = liang_diag_format(&d->v[i]);
			liang_buf_puts(b, line);
			liang_buf_putc(b, '\n');
			free(line);
		}
}
