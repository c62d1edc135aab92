/* yamltree — libyaml's document API, copied into a small tree. */
#include "yamltree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "util.h"

/* Documents nest this deep at most: deeper input is refused rather than
 * recursed into (site.yaml and front matter are flat in practice). */
#define MAX_DEPTH 32

static liang_ynode *S_copy(yaml_document_t *doc, yaml_node_t *node, long line0, int depth)
{
	if (!node || depth > MAX_DEPTH)
		return NULL;
	liang_ynode *n = liang_xcalloc(1, sizeof *n);
	n->line = (long)node->start_mark.line + 1 + line0;
	n->col = (long)node->start_mark.column + 1;
	switch (node->type) {
	case YAML_SCALAR_NODE:
		n->type = LIANG_Y_SCALAR;
		n->value = liang_xstrndup((const char *)node->data.scalar.value,
					  node->data.scalar.length);
		n->plain = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_NODE: {
		n->type = LIANG_Y_SEQ;
		size_t cnt = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
		n->items = liang_xcalloc(cnt, sizeof *n->items);
		for (size_t i = 0; i < cnt; i++) {
			yaml_node_t *c = yaml_document_get_node(doc, node->data.sequence.items.start[i]);
			n->items[n->n] = S_copy(doc, c, line0, depth + 1);
			if (n->items[n->n])
				n->n++;
		}
		break;
	}
	case YAML_MAPPING_NODE: {
		n->type = LIANG_Y_MAP;
		size_t cnt = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
		n->items = liang_xcalloc(cnt, sizeof *n->items);
		n->values = liang_xcalloc(cnt, sizeof *n->values);
		for (size_t i = 0; i < cnt; i++) {
			yaml_node_pair_t *p = &node->data.mapping.pairs.start[i];
			liang_ynode *k = S_copy(doc, yaml_document_get_node(doc, p->key), line0, depth + 1);
			liang_ynode *v = S_copy(doc, yaml_document_get_node(doc, p->value), line0, depth + 1);
			if (!k || !v || k->type != LIANG_Y_SCALAR) {
				liang_ynode_free(k);
				liang_ynode_free(v);
				continue;
			}
			n->items[n->n] = k;
			n->values[n->n] = v;
			n->n++;
		}
		break;
	}
	default:
		free(n);
		return NULL;
	}
	return n;
}

/* libyaml says what went wrong in English; the people who write front
 * matter read Chinese. The common mistakes get a Chinese explanation and
 * point where the mistake starts (an unclosed "[" points at the "[");
 * anything else keeps libyaml's words after a Chinese lead. */
static void S_explain(yaml_parser_t *p, long line0, char **msg, long *line, long *col)
{
	const char *problem = p->problem ? p->problem : "";
	const char *context = p->context ? p->context : "";
	yaml_mark_t at = p->problem_mark;
	const char *text = NULL;
	if (strstr(context, "flow sequence")) {
		text = "以“[”开始的列表没有用“]”结束";
		at = p->context_mark;
	} else if (strstr(context, "flow mapping")) {
		text = "以“{”开始的内容没有用“}”结束";
		at = p->context_mark;
	} else if (strstr(context, "quoted scalar")) {
		text = "引号没有闭合";
		at = p->context_mark;
	} else if (strstr(problem, "mapping values are not allowed")) {
		text = "这一行有多余的冒号“: ”；含有冒号的文字请用引号括起来";
	} else if (strstr(problem, "cannot start any token")) {
		text = "这里的字符不能用在开头（例如制表符、@ 或 `）；请改用空格缩进，或把文字用引号括起来";
	} else if (strstr(problem, "could not find expected ':'")) {
		text = "缺少冒号“:”；每一行应写作“键: 值”";
	} else if (strstr(context, "block mapping") || strstr(problem, "block mapping")) {
		text = "缩进不一致；同一层的各项应对齐";
	}
	if (text)
		*msg = liang_xasprintf("YAML 格式有误：%s", text);
	else
		*msg = liang_xasprintf("YAML 格式有误（%s%s%s）", problem, *context ? ", " : "", context);
	*line = (long)at.line + 1 + line0;
	*col = (long)at.column + 1;
}

int liang_yaml_parse(const char *text, size_t len, long line0, liang_ynode **root,
		     char **err_msg, long *err_line, long *err_col)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	*root = NULL;
	if (!yaml_parser_initialize(&parser)) {
		*err_msg = liang_xstrdup("内存不足");
		*err_line = line0 + 1;
		*err_col = 1;
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		S_explain(&parser, line0, err_msg, err_line, err_col);
		yaml_parser_delete(&parser);
		return -1;
	}
	yaml_node_t *top = yaml_document_get_root_node(&doc);
	*root = S_copy(&doc, top, line0, 0);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return 0;
}

void liang_ynode_free(liang_ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		liang_ynode_free(n->items[i]);
		if (n->values)
			liang_ynode_free(n->values[i]);
	}
	free(n->items);
	free(n->values);
	free(n->value);
	free(n);
}

liang_ynode *liang_ymap_get(const liang_ynode *map, const char *key)
{
	if (!map || map->type != LIANG_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->items[i]->value, key) == 0)
			return map->values[i];
	return NULL;
}

int liang_yscalar_bool(const liang_ynode *n)
{
	if (!n || n->type != LIANG_Y_SCALAR)
		return -1;
	const char *v = n->value;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") ||
	    !strcmp(v, "是"))
		return 1;
	if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") ||
	    !strcmp(v, "否"))
		return 0;
	return -1;
}
