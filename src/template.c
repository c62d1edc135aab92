/* template — compile XML templates, render HTML5. */
#include "template.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "embed.h"
#include "util.h"

/* ------------------------------------------------------------ escaping */

/* Does any byte of the 8 in x equal c? (no false answers: the classic
 * test for a zero byte of x ^ c) */
#define ONES 0x0101010101010101ULL
static inline uint64_t S_has(uint64_t x, unsigned char c)
{
	uint64_t v = x ^ (ONES * c);
	return (v - ONES) & ~v & (ONES << 7);
}

static void S_escape(liang_buf *b, const char *s, size_t len, bool attr)
{
	const char *run = s;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
		      quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
#endif
	while (i < len) {
#ifdef __SSE2__
		/* most text has nothing to escape: 16 bytes at a time, and
		 * straight on to the first that needs it */
		if (i + 16 <= len) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, amp), _mm_cmpeq_epi8(x, lt)),
						   _mm_cmpeq_epi8(x, gt));
			if (attr)
				hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(x, quot), _mm_cmpeq_epi8(x, apos)));
			unsigned mask = (unsigned)_mm_movemask_epi8(hit);
			if (!mask) {
				i += 16;
				continue;
			}
			i += (size_t)__builtin_ctz(mask);
		} else
#endif
		/* the rest 8 bytes at a time */
		if (i + 8 <= len) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			uint64_t hit = S_has(x, '&') | S_has(x, '<') | S_has(x, '>');
			if (attr)
				hit |= S_has(x, '"') | S_has(x, '\'');
			if (!hit) {
				i += 8;
				continue;
			}
		}
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\'': rep = attr ? "&#39;" : NULL; break;
		default: break;
		}
		if (rep) {
			liang_buf_put(b, run, (size_t)(s + i - run));
			liang_buf_puts(b, rep);
			run = s + i + 1;
		}
		i++;
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
#ifdef __SSE2__
		/* URLs are mostly plain ASCII: 16 bytes at a time, to the
		 * first that is not (outside '!'–'~', or one of the eleven
		 * printable ones below) */
		while (run + 16 <= len) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + run));
			/* signed: bytes of 0x80 and above are negative, below '!' */
			__m128i bad = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8('!')),
						   _mm_cmpgt_epi8(x, _mm_set1_epi8('~')));
			bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
							     _mm_cmpeq_epi8(x, _mm_set1_epi8('&'))));
			bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\'')),
							     _mm_cmpeq_epi8(x, _mm_set1_epi8('<'))));
			bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')),
							     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
			bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('^')),
							     _mm_cmpeq_epi8(x, _mm_set1_epi8('`'))));
			/* { | } are 0x7B–0x7D: one range test */
			__m128i brace = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('z')),
						      _mm_cmplt_epi8(x, _mm_set1_epi8('~')));
			unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(bad, brace));
			if (mask) {
				run += (size_t)__builtin_ctz(mask);
				break;
			}
			run += 16;
		}
#endif
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

/* A path ("c.name", "p.photos.length") resolved when the template is
 * compiled: which loop variable it starts from (loops nest lexically,
 * so that is known before any page), then the keys to follow. */
typedef struct seg {
	const char *s; /* into the path's own string */
	size_t n;
	/* where the key was last found: the maps a template sees are built
	 * by the same code page after page, keys in the same order (a hint,
	 * read and written by both rendering threads, checked before use) */
	atomic_size_t at;
} seg;

typedef struct cpath {
	int frame;   /* the loop whose item it starts from; -1: the scope */
	int special; /* 1: VAR_index, 2: VAR_last (then no segments) */
	seg *segs;
	size_t nsegs;
} cpath;

typedef struct part {
	char *lit;   /* literal text before the value, may be "" */
	size_t litlen;
	char *path;  /* NULL for a trailing literal */
	cpath cp;
} part;

typedef struct op {
	optype type;
	char *text;     /* OP_TEXT; OP_ATTR: the attribute name */
	size_t len;
	char *open;     /* OP_ATTR: ` NAME="` */
	size_t openlen;
	char *path;
	cpath cp;       /* path, resolved */
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
		free(o->open);
		free(o->path);
		free(o->cp.segs);
		free(o->var);
		for (size_t k = 0; k < o->nparts; k++) {
			free(o->parts[k].lit);
			free(o->parts[k].path);
			free(o->parts[k].cp.segs);
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
			memset(&parts[n], 0, sizeof parts[n]);
			parts[n].lit = liang_xstrdup(p);
			parts[n].litlen = strlen(p);
			n++;
			break;
		}
		memset(&parts[n], 0, sizeof parts[n]);
		parts[n].lit = liang_xstrndup(p, (size_t)(open - p));
		parts[n].litlen = (size_t)(open - p);
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
				o->open = liang_xasprintf(" %s=\"", an + 2);
				o->openlen = strlen(o->open);
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

#define MAX_LOOPS 16

/* Resolve path against the loop variables in scope, vars[0] outermost. */
static void S_resolve(const char *path, const char *const *vars, int nvars, cpath *cp)
{
	size_t head = strcspn(path, ".");
	const char *rest = NULL;
	cp->frame = -1;
	cp->special = 0;
	for (int i = nvars - 1; i >= 0 && cp->frame < 0; i--) {
		size_t vl = strlen(vars[i]);
		if (head < vl || strncmp(path, vars[i], vl))
			continue;
		if (head == vl) {
			cp->frame = i;
			rest = path[head] ? path + head + 1 : NULL;
		} else if (head == vl + 6 && !strncmp(path + vl, "_index", 6)) {
			cp->frame = i;
			cp->special = 1;
		} else if (head == vl + 5 && !strncmp(path + vl, "_last", 5)) {
			cp->frame = i;
			cp->special = 2;
		}
	}
	if (cp->frame < 0)
		rest = path;
	cp->segs = NULL;
	cp->nsegs = 0;
	for (const char *p = rest; p && *p;) {
		size_t n = strcspn(p, ".");
		cp->segs = liang_xrealloc(cp->segs, (cp->nsegs + 1) * sizeof *cp->segs);
		seg *g = &cp->segs[cp->nsegs++];
		g->s = p;
		g->n = n;
		atomic_init(&g->at, 0);
		p = p[n] ? p + n + 1 : NULL;
	}
}

/* Resolve every path of tp: loops nest as OP_EACH … OP_NEXT, and the
 * list of an OP_EACH is looked up outside its own loop. A loop nested
 * deeper than MAX_LOOPS never runs, so its variable need not resolve. */
static void S_resolve_all(tmpl *tp)
{
	const char *vars[MAX_LOOPS];
	int depth = 0;
	for (size_t i = 0; i < tp->n; i++) {
		op *o = &tp->ops[i];
		int nv = depth < MAX_LOOPS ? depth : MAX_LOOPS;
		if (o->path)
			S_resolve(o->path, vars, nv, &o->cp);
		for (size_t k = 0; k < o->nparts; k++)
			if (o->parts[k].path)
				S_resolve(o->parts[k].path, vars, nv, &o->parts[k].cp);
		if (o->type == OP_EACH) {
			if (depth < MAX_LOOPS)
				vars[depth] = o->var;
			depth++;
		} else if (o->type == OP_NEXT) {
			depth--;
		}
	}
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
	S_resolve_all(tp);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = liang_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = tp;
	return tp;
}

/* ------------------------------------------------------------- render */

typedef struct frame {
	const liang_value *list;
	size_t index;
} frame;

typedef struct renderer {
	const liang_value *scope;
	frame loops[MAX_LOOPS];
	int nloops;
	liang_arena *scratch;
	liang_buf tmp; /* an attribute pattern's value */
} renderer;

/* A resolved path's value: &liang_null when it leads nowhere. */
static const liang_value *S_lookup(renderer *r, const cpath *cp)
{
	const liang_value *v = r->scope;
	if (cp->frame >= 0) {
		const frame *f = &r->loops[cp->frame];
		if (cp->special == 1)
			return liang_v_int(r->scratch, (long long)f->index);
		if (cp->special == 2)
			return liang_v_bool(r->scratch, f->index + 1 == f->list->u.list.n);
		v = f->list->u.list.items[f->index];
	}
	for (size_t i = 0; i < cp->nsegs; i++) {
		seg *g = &cp->segs[i];
		size_t at = atomic_load_explicit(&g->at, memory_order_relaxed), was = at;
		const liang_value *next = liang_v_step(r->scratch, v, g->s, g->n, &at);
		if (at != was)
			atomic_store_explicit(&g->at, at, memory_order_relaxed);
		if (!next)
			return &liang_null;
		v = next;
	}
	return v;
}

static void S_attr_out(renderer *r, const op *o, liang_buf *out)
{
	const char *s;
	size_t len;
	if (o->path) {
		const liang_value *v = S_lookup(r, &o->cp);
		if (v->type == LIANG_V_NULL || (v->type == LIANG_V_BOOL && !v->u.b))
			return; /* no attribute at all */
		if (v->type == LIANG_V_BOOL) {
			liang_buf_putc(out, ' ');
			liang_buf_puts(out, o->text);
			return;
		}
		s = liang_v_text(r->scratch, v, &len);
	} else {
		liang_buf *val = &r->tmp;
		liang_buf_clear(val);
		for (size_t i = 0; i < o->nparts; i++) {
			liang_buf_put(val, o->parts[i].lit, o->parts[i].litlen);
			if (o->parts[i].path) {
				size_t n;
				const char *t = liang_v_text(r->scratch, S_lookup(r, &o->parts[i].cp), &n);
				liang_buf_put(val, t, n);
			}
		}
		s = val->ptr ? val->ptr : "";
		len = val->len;
	}
	liang_buf_put(out, o->open, o->openlen);
	if (o->url)
		liang_html_url(out, s, len);
	else
		liang_html_attr(out, s, len);
	liang_buf_putc(out, '"');
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
			const char *s = liang_v_text(scratch, S_lookup(&r, &o->cp), &len);
			liang_html_text(out, s, len);
			pc++;
			break;
		}
		case OP_VHTML: {
			const liang_value *v = S_lookup(&r, &o->cp);
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
			pc = (liang_v_truthy(S_lookup(&r, &o->cp)) != o->negate) ? pc + 1 : o->jump;
			break;
		case OP_EACH: {
			const liang_value *list = S_lookup(&r, &o->cp);
			if (list->type != LIANG_V_LIST || list->u.list.n == 0 || r.nloops == MAX_LOOPS) {
				pc = o->jump;
				break;
			}
			r.loops[r.nloops++] = (frame){list, 0};
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
	liang_buf_free(&r.tmp);
	return 0;
}
