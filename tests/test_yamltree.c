/* Tests for yamltree.c. */
#include <stdlib.h>

#include "unit.h"
#include "yamltree.h"

static void mapping_with_places(void)
{
	const char *y = "title: 关于开展开放周的通知\ntags: [开放周, 主题活动]\ndraft: true\n";
	liang_ynode *root;
	char *msg;
	long l, c;
	CHECK(liang_yaml_parse(y, strlen(y), 1, &root, &msg, &l, &c) == 0);
	liang_ynode *t = liang_ymap_get(root, "title");
	CHECK(t && t->type == LIANG_Y_SCALAR);
	CHECK_STR(t->value, "关于开展开放周的通知");
	CHECK(t->line == 2 && t->col == 8);
	liang_ynode *tags = liang_ymap_get(root, "tags");
	CHECK(tags && tags->type == LIANG_Y_SEQ && tags->n == 2);
	CHECK(liang_yscalar_bool(liang_ymap_get(root, "draft")) == 1);
	liang_ynode_free(root);
}

static void syntax_error_has_a_place(void)
{
	const char *y = "title: a\n  bad: [\n";
	liang_ynode *root;
	char *msg = NULL;
	long l = 0, c = 0;
	CHECK(liang_yaml_parse(y, strlen(y), 1, &root, &msg, &l, &c) < 0);
	CHECK(msg && strncmp(msg, "YAML 格式有误", strlen("YAML 格式有误")) == 0);
	CHECK(l >= 2);
	free(msg);
}

UNIT_TESTS(yamltree) = {
	{"yamltree/mapping_with_places", mapping_with_places},
	{"yamltree/syntax_error_has_a_place", syntax_error_has_a_place},
	{NULL, NULL},
};
