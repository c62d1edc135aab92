/* template — compile XML templates, render HTML5. */
#include "template.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "embed.h"
#include "util.h"

/* ------------------------------------------------------------ escaping */

static void S_escape(liang_buf *b, const char *s, size_t len, bool attr)
{
	const char *run = s;
	for (size_t i = 0; i < len; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\'': rep = attr ? "&#39;" : NULL; break;
		default: break;
		}
		if (!rep)
			continue;
		liang_buf_put(b, run, (size_t)(s + i - run));
		liang_buf_puts(b, rep);
		run = s + i + 1;
	}
	liang_buf_put(b, run, (size_t)(s + len - run));
}

void liang_html_text(liang_buf *b, const char *s, size_t len)
{
	S_escape(b, s, len, false);
}

void liang_html_attr(liang_buf *b, const char *s, size_t len)
{
	S_escape(b, s, len, true);
}

static bool S_safe_scheme(const char *s, size_t len)
{
	/* the scheme is what precedes the first ':' if no '/', '?' or '#'
	 * comes before it; browsers ignore tabs, newlines and leading blanks
	 * there, so they are skipped too */
	char scheme[16];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '/' || c == '?' || c == '#')
			return true; /* relative */
		if (c == ':') {
			scheme[n] = '\0';
			return !strcmp(scheme, "http") || !strcmp(scheme, "https") || !strcmp(scheme, "mailto") ||
			       !strcmp(scheme, "tel");
		}
		if (c == '\t' || c == '\n' || c == '\r' || (c == ' ' && n == 0))
			continue;
		if (n + 1 >= sizeof scheme)
			return true; /* too long to be a scheme: a relative path */
		scheme[n++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	return true;
}

void liang_html_url(liang_buf *b, const char *s, size_t len)
{
	if (!S_safe_scheme(s, len)) {
		liang_buf_putc(b, '#');
		return;
	}
	static const char hex[] = "0123456789ABCDEF";
	/* 1: written as it is; 0: percent-encoded ('&' is an entity): the
	 * printable ASCII but for " ' < > ` \\ { } | ^ & */
	static const unsigned char plain[256] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
		0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
	};
	liang_buf_grow(b, len + 16);
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		while (run < len && plain[(unsigned char)s[run]])
			run++;
		liang_buf_put(b, s + i, run - i);
		if (run == len)
			break;
		unsigned char c = (unsigned char)s[run];
		if (c == '&') {
			liang_buf_puts(b, "&amp;");
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			liang_buf_put(b, e, 3);
		}
		i = run + 1;
	}
}

/* -------------------------------------------------------------- model */

typedef enum {
	OP_TEXT,     /* static markup */
	OP_VTEXT,    /* a value as escaped text */
	OP_VHTML,    /* a trusted HTML value */
	OP_ATTR,     /* an attribute from a value or a {…} pattern */
	OP_IF,       /* if (!truthy(path) ^ negate) jump */
	OP_EACH,     /* for each item of path as var; jump = matching OP_NEXT */
	OP_NEXT,     /* end of an each body: loop back */
} optype;

typedef struct part {
	char *lit;   /* literal text before the value, may be "" */
	char *path;  /* NULL for a trailing literal */
} part;

typedef struct op {
	optype type;
	char *text;     /* OP_TEXT; OP_ATTR: the attribute name */
	size_t len;
	char *path;
	char *var;      /* OP_EACH */
	part *parts;    /* OP_ATTR with a pattern */
	size_t nparts;
	bool negate;
	bool url;
	size_t jump;
} op;

typedef struct tmpl {
	char *name;
	op *ops;
	size_t n, cap;
	bool broken;
	liang_buf pending; /* static markup not yet emitted as an OP_TEXT */
} tmpl;

struct liang_theme {
	pthread_mutex_t lock; /* templates are compiled on first use */
	char *site_root;
	char *name;
	liang_diags *diags;
	tmpl **v;
	size_t n, cap;
};

liang_theme *liang_theme_new(const char *site_root, const char *name, liang_diags *diags)
{
	liang_theme *t = liang_xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	t->site_root = site_root ? liang_xstrdup(site_root) : NULL;
	t->name = liang_xstrdup(name ? name : "default");
	t->diags = diags;
	return t;
}

static void S_tmpl_free(tmpl *tp)
{
	for (size_t i = 0; i < tp->n; i++) {
		op *o = &tp->ops[i];
		free(o->text);
		free(o->path);
		free(o->var);
		for (size_t k = 0; k < o->nparts; k++) {
			free(o->parts[k].lit);
			free(o->parts[k].path);
		}
		free(o->parts);
	}
	free(tp->ops);
	free(tp->name);
	liang_buf_free(&tp->pending);
	free(tp);
}

void liang_theme_free(liang_theme *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		S_tmpl_free(t->v[i]);
	free(t->v);
	free(t->site_root);
	free(t->name);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* ------------------------------------------------------------ compile */

typedef struct compiler {
	liang_theme *theme;
	tmpl *tp;
	const char *file; /* for diagnostics */
	int depth;        /* include depth */
} compiler;

static op *S_emit(tmpl *tp, optype type)
{
	if (tp->pending.len) {
		/* flush static markup first */
		if (tp->n == tp->cap) {
			tp->cap = tp->cap ? tp->cap * 2 : 32;
			tp->ops = liang_xrealloc(tp->ops, tp->cap * sizeof *tp->ops);
		}
		op *t = &tp->ops[tp->n++];
		memset(t, 0, sizeof *t);
		t->type = OP_TEXT;
		t->len = tp->pending.len;
		t->text = liang_buf_detach(&tp->pending);
	}
	if (tp->n == tp->cap) {
		tp->cap = tp->cap ? tp->cap * 2 : 32;
		tp->ops = liang_xrealloc(tp->ops, tp->cap * sizeof *tp->ops);
	}
	op *o = &tp->ops[tp->n++];
	memset(o, 0, sizeof *o);
	o->type = type;
	return o;
}

static bool S_void(const char *name)
{
	static const char *const v[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
					"link", "meta", "source", "track", "wbr", NULL};
	for (const char *const *p = v; *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

static bool S_url_attr(const char *name)
{
	return !strcmp(name, "href") || !strcmp(name, "src") || !strcmp(name, "action") ||
	       !strcmp(name, "poster") || !strcmp(name, "cite") || !strcmp(name, "formaction");
}

static void S_fail(compiler *c, xmlNode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void S_fail(compiler *c, xmlNode *n, const char *fmt, ...)
{
	liang_buf b = LIANG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	liang_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	liang_error(c->theme->diags, c->file, n ? (long)xmlGetLineNo(n) : 0, 0, "%s", b.ptr);
	liang_buf_free(&b);
	c->tp->broken = true;
}

/* An attribute pattern "{root}c/{c.id}/" → parts. */
static part *S_parts(const char *v, size_t *np)
{
	part *parts = NULL;
	size_t n = 0;
	const char *p = v;
	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		parts = liang_xrealloc(parts, (n + 1) * sizeof *parts);
		if (!open || !close) {
			parts[n].lit = liang_xstrdup(p);
			parts[n].path = NULL;
			n++;
			break;
		}
		parts[n].lit = liang_xstrndup(p, (size_t)(open - p));
		parts[n].path = liang_xstrndup(open + 1, (size_t)(close - open - 1));
		n++;
		p = close + 1;
	}
	*np = n;
	return parts;
}

static char *S_attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = liang_xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

static int S_compile_file(compiler *c, const char *name, bool children_only);

static void S_compile_node(compiler *c, xmlNode *n, bool raw_text);

static void S_compile_children(compiler *c, xmlNode *n, bool raw_text)
{
	for (xmlNode *k = n->children; k; k = k->next)
		S_compile_node(c, k, raw_text);
}

static void S_compile_element(compiler *c, xmlNode *n)
{
	tmpl *tp = c->tp;
	const char *name = (const char *)n->name;
	if (!strcmp(name, "l-include")) {
		char *inc = S_attr(n, "name");
		if (!inc)
			S_fail(c, n, "l-include 缺少 name 属性");
		else if (c->depth > 8)
			S_fail(c, n, "l-include 嵌套过深（是否互相包含？）");
		else
			S_compile_file(c, inc, true);
		free(inc);
		return;
	}
	char *each = S_attr(n, "l-each");
	char *cond = S_attr(n, "l-if");
	char *ncond = S_attr(n, "l-unless");
	char *text = S_attr(n, "l-text");
	char *html = S_attr(n, "l-html");
	size_t each_at = 0, if_at = 0, unless_at = 0;
	bool looping = false; /* an OP_EACH was emitted at each_at */
	if (each) {
		/* "item in list" */
		char var[64], path[256];
		if (sscanf(each, "%63s in %255s", var, path) != 2) {
			S_fail(c, n, "l-each 应写作“变量 in 列表”，而不是“%s”", each);
		} else {
			op *o = S_emit(tp, OP_EACH);
			o->var = liang_xstrdup(var);
			o->path = liang_xstrdup(path);
			each_at = tp->n - 1;
			looping = true;
		}
	}
	if (cond) {
		op *o = S_emit(tp, OP_IF);
		o->path = liang_xstrdup(cond);
		if_at = tp->n;
	}
	if (ncond) {
		op *o = S_emit(tp, OP_IF);
		o->path = liang_xstrdup(ncond);
		o->negate = true;
		unless_at = tp->n;
	}
	bool block = !strcmp(name, "l-block");
	bool raw = !strcmp(name, "script") || !strcmp(name, "style");
	if (!block) {
		liang_buf_printf(&tp->pending, "<%s", name);
		for (xmlAttr *a = n->properties; a; a = a->next) {
			const char *an = (const char *)a->name;
			if (!strncmp(an, "l-", 2)) {
				if (!strcmp(an, "l-each") || !strcmp(an, "l-if") || !strcmp(an, "l-unless") ||
				    !strcmp(an, "l-text") || !strcmp(an, "l-html"))
					continue;
				char *v = S_attr(n, an);
				op *o = S_emit(tp, OP_ATTR);
				o->text = liang_xstrdup(an + 2);
				o->url = S_url_attr(an + 2);
				if (strchr(v, '{')) {
					o->parts = S_parts(v, &o->nparts);
					free(v);
				} else {
					o->path = v;
				}
				continue;
			}
			xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
			liang_buf_printf(&tp->pending, " %s=\"", an);
			if (v)
				liang_html_attr(&tp->pending, (const char *)v, strlen((const char *)v));
			liang_buf_putc(&tp->pending, '"');
			xmlFree(v);
		}
		liang_buf_putc(&tp->pending, '>');
	}
	if (S_void(name)) {
		if (n->children || text || html)
			S_fail(c, n, "<%s> 是空元素，不能有内容", name);
	} else {
		if ((text || html) && raw)
			S_fail(c, n, "<%s> 的内容不能来自数据（无法安全转义）", name);
		else if (text)
			S_emit(tp, OP_VTEXT)->path = liang_xstrdup(text);
		else if (html)
			S_emit(tp, OP_VHTML)->path = liang_xstrdup(html);
		else
			S_compile_children(c, n, raw);
		if (!block)
			liang_buf_printf(&tp->pending, "</%s>", name);
	}
	/* patch the jumps to here, innermost first */
	if (ncond) {
		S_emit(tp, OP_TEXT)->text = liang_xstrdup(""); /* flush */
		tp->ops[unless_at - 1].jump = tp->n;
	}
	if (cond) {
		S_emit(tp, OP_TEXT)->text = liang_xstrdup("");
		tp->ops[if_at - 1].jump = tp->n;
	}
	if (looping) {
		op *o = S_emit(tp, OP_NEXT);
		o->jump = each_at;
		tp->ops[each_at].jump = tp->n;
	}
	free(each);
	free(cond);
	free(ncond);
	free(text);
	free(html);
}

static void S_compile_node(compiler *c, xmlNode *n, bool raw_text)
{
	switch (n->type) {
	case XML_ELEMENT_NODE:
		S_compile_element(c, n);
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE: {
		const char *s = (const char *)n->content;
		size_t len = strlen(s);
		if (raw_text) {
			liang_buf_put(&c->tp->pending, s, len);
			break;
		}
		/* white space between elements: one line end is enough */
		size_t k = 0;
		while (k < len && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t' || s[k] == '\r'))
			k++;
		if (k == len) {
			if (memchr(s, '\n', len))
				liang_buf_putc(&c->tp->pending, '\n');
			else if (len)
				liang_buf_putc(&c->tp->pending, ' ');
			break;
		}
		liang_html_text(&c->tp->pending, s, len);
		break;
	}
	case XML_ENTITY_REF_NODE:
		S_fail(c, n, "模板中不能使用实体 &%s;，请直接写出字符", (const char *)n->name);
		break;
	default:
		break; /* comments, processing instructions */
	}
}

/* The text of template `name` from the site's theme or the built-in one. */
static char *S_source(liang_theme *t, const char *name, char **file, size_t *len)
{
	if (t->site_root) {
		char *rel = liang_xasprintf("themes/%s/%s.html", t->name, name);
		char *path = liang_path_join(t->site_root, rel);
		char *text = liang_file_read(path, len);
		free(path);
		if (text) {
			*file = rel;
			return text;
		}
		free(rel);
	}
	char *rel = liang_xasprintf("themes/default/%s.html", name);
	const liang_embedded *e = liang_embed_find(rel);
	if (!e) {
		free(rel);
		return NULL;
	}
	*file = rel;
	*len = e->len;
	return liang_xstrndup((const char *)e->data, e->len);
}

static int S_compile_file(compiler *c, const char *name, bool children_only)
{
	char *file = NULL;
	size_t len;
	char *text = S_source(c->theme, name, &file, &len);
	if (!text) {
		liang_error(c->theme->diags, c->file, 0, 0, "找不到模板 %s.html", name);
		c->tp->broken = true;
		return -1;
	}
	xmlDoc *doc = xmlReadMemory(text, (int)len, file, "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		liang_error(c->theme->diags, file, e ? e->line : 0, e ? e->int2 : 0,
			    "模板不是合法的 XML：%s", e && e->message ? e->message : "无法解析");
		c->tp->broken = true;
		free(text);
		free(file);
		return -1;
	}
	const char *outer = c->file;
	c->file = file;
	c->depth++;
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!children_only && doc->intSubset)
		liang_buf_puts(&c->tp->pending, "<!DOCTYPE html>\n");
	if (root) {
		/* a partial's root element may be <l-block> to hold several */
		S_compile_node(c, root, false);
	}
	if (!children_only)
		liang_buf_putc(&c->tp->pending, '\n');
	c->depth--;
	c->file = outer;
	xmlFreeDoc(doc);
	free(text);
	free(file);
	return 0;
}

static tmpl *S_get(liang_theme *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i]->name, name))
			return t->v[i];
	tmpl *tp = liang_xcalloc(1, sizeof *tp);
	tp->name = liang_xstrdup(name);
	compiler c = {t, tp, NULL, 0};
	S_compile_file(&c, name, false);
	S_emit(tp, OP_TEXT)->text = liang_xstrdup(""); /* flush the tail */
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = liang_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = tp;
	return tp;
}

/* ------------------------------------------------------------- render */

#define MAX_LOOPS 16

typedef struct frame {
	const char *var;
	const liang_value *list;
	size_t index;
} frame;

typedef struct renderer {
	const liang_value *scope;
	frame loops[MAX_LOOPS];
	int nloops;
	liang_arena *scratch;
} renderer;

/* A path's value: the first segment may name a loop variable (or
 * "VAR_index", its 0-based position). */
static const liang_value *S_lookup(renderer *r, const char *path)
{
	size_t head = strcspn(path, ".");
	for (int i = r->nloops - 1; i >= 0; i--) {
		const char *var = r->loops[i].var;
		size_t vl = strlen(var);
		const liang_value *item = r->loops[i].list->u.list.items[r->loops[i].index];
		if (head == vl && !strncmp(path, var, vl))
			return path[head] ? liang_v_path(item, path + head + 1) : item;
		if (head == vl + 6 && !strncmp(path, var, vl) && !strncmp(path + vl, "_index", 6))
			return liang_v_int(r->scratch, (long long)r->loops[i].index);
		if (head == vl + 5 && !strncmp(path, var, vl) && !strncmp(path + vl, "_last", 5))
			return liang_v_bool(r->scratch, r->loops[i].index + 1 == r->loops[i].list->u.list.n);
	}
	return liang_v_path(r->scope, path);
}

/* ` NAME="` (vsnprintf would cost more than the rest of the attribute) */
static void S_attr_open(liang_buf *out, const char *name)
{
	liang_buf_putc(out, ' ');
	liang_buf_puts(out, name);
	liang_buf_puts(out, "=\"");
}

static void S_attr_out(renderer *r, const op *o, liang_buf *out)
{
	if (o->path) {
		const liang_value *v = S_lookup(r, o->path);
		if (v->type == LIANG_V_NULL || (v->type == LIANG_V_BOOL && !v->u.b))
			return; /* no attribute at all */
		if (v->type == LIANG_V_BOOL) {
			liang_buf_putc(out, ' ');
			liang_buf_puts(out, o->text);
			return;
		}
		size_t len;
		const char *s = liang_v_text(r->scratch, v, &len);
		S_attr_open(out, o->text);
		if (o->url)
			liang_html_url(out, s, len);
		else
			liang_html_attr(out, s, len);
		liang_buf_putc(out, '"');
		return;
	}
	liang_buf val = LIANG_BUF_INIT;
	for (size_t i = 0; i < o->nparts; i++) {
		liang_buf_puts(&val, o->parts[i].lit);
		if (o->parts[i].path) {
			size_t len;
			const char *s = liang_v_text(r->scratch, S_lookup(r, o->parts[i].path), &len);
			liang_buf_put(&val, s, len);
		}
	}
	S_attr_open(out, o->text);
	if (o->url)
		liang_html_url(out, liang_buf_cstr(&val), val.len);
	else
		liang_html_attr(out, liang_buf_cstr(&val), val.len);
	liang_buf_putc(out, '"');
	liang_buf_free(&val);
}

int liang_theme_render(liang_theme *t, const char *name, const liang_value *scope,
		       liang_arena *scratch, liang_buf *out)
{
	pthread_mutex_lock(&t->lock);
	tmpl *tp = S_get(t, name);
	pthread_mutex_unlock(&t->lock);
	if (tp->broken)
		return -1;
	renderer r = {.scope = scope, .scratch = scratch};
	size_t pc = 0;
	while (pc < tp->n) {
		const op *o = &tp->ops[pc];
		switch (o->type) {
		case OP_TEXT:
			liang_buf_put(out, o->text, o->len);
			pc++;
			break;
		case OP_VTEXT: {
			size_t len;
			const char *s = liang_v_text(scratch, S_lookup(&r, o->path), &len);
			liang_html_text(out, s, len);
			pc++;
			break;
		}
		case OP_VHTML: {
			const liang_value *v = S_lookup(&r, o->path);
			size_t len;
			const char *s = liang_v_text(scratch, v, &len);
			/* only trusted HTML goes out as is; anything else is text */
			if (v->type == LIANG_V_HTML)
				liang_buf_put(out, s, len);
			else
				liang_html_text(out, s, len);
			pc++;
			break;
		}
		case OP_ATTR:
			S_attr_out(&r, o, out);
			pc++;
			break;
		case OP_IF:
			pc = (liang_v_truthy(S_lookup(&r, o->path)) != o->negate) ? pc + 1 : o->jump;
			break;
		case OP_EACH: {
			const liang_value *list = S_lookup(&r, o->path);
			if (list->type != LIANG_V_LIST || list->u.list.n == 0 || r.nloops == MAX_LOOPS) {
				pc = o->jump;
				break;
			}
			r.loops[r.nloops++] = (frame){o->var, list, 0};
			pc++;
			break;
		}
		case OP_NEXT: {
			frame *f = &r.loops[r.nloops - 1];
			if (++f->index < f->list->u.list.n) {
				pc = o->jump + 1;
			} else {
				r.nloops--;
				pc++;
			}
			break;
		}
		}
	}
	return 0;
}
