/* template — the theme's templates: well-formed XML files of HTML5
 * elements, parsed once with libxml2, compiled into a list of
 * operations and rendered many times into HTML5 by our own writer.
 *
 * Values are escaped by the engine for where they go — element text,
 * attribute, URL — so no template can forget to. The template language
 * is documented in themes/default/README.md. */
#ifndef LIANG_TEMPLATE_H
#define LIANG_TEMPLATE_H

#include "buf.h"
#include "diag.h"
#include "value.h"

typedef struct liang_theme liang_theme;

/* Templates are looked up as SITE/themes/<name>/<template>.html first,
 * then in the default theme compiled into liang. site_root may be NULL
 * (only the built-in theme). */
liang_theme *liang_theme_new(const char *site_root, const char *name, liang_diags *diags);
void liang_theme_free(liang_theme *t);

/* Render template `name` ("collective", "partials/head") with the given
 * scope into out. scratch is an arena for temporary text. Returns 0, or
 * -1 when the template is missing or broken (reported once). */
int liang_theme_render(liang_theme *t, const char *name, const liang_value *scope,
		       liang_arena *scratch, liang_buf *out);

/* Escape helpers shared with other writers (feeds use libxml2). */
void liang_html_text(liang_buf *b, const char *s, size_t len);
void liang_html_attr(liang_buf *b, const char *s, size_t len);
/* Append a URL for an href/src attribute: schemes other than http,
 * https, mailto and tel are replaced by "#", and characters that are
 * not URL-safe are percent-encoded. */
void liang_html_url(liang_buf *b, const char *s, size_t len);

#endif
