/* table — the input contract of DATA.md as data. */
#include "table.h"

#include <math.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NONE NAN

static const char *const categories[] = {"生产经营", "行政管理", "服务窗口", "生产科研", NULL};
static const char *const ownerships[] = {"机关", "事业单位", "国有企业", "非公经济组织", "社会组织", NULL};
const char *const liang_levels[] = {"全国", "省级", "市级", "县级", "创建", NULL};
const char *const liang_statuses[] = {"有效", "复核中", "警告", "整改", "撤销", NULL};
static const char *const yes_no[] = {"是", "否", NULL};
static const char *const affiliations[] = {"党员", "团员", "群众", NULL};
const char *const liang_activity_kinds[] = {"开放周", "岗位练兵", "主题培训", "结对帮扶", "万号带万企",
					   "青年大学习", "志愿服务", "对标创优", "技能竞赛", "其他", NULL};
static const char *const work_categories[] = {"图片作品", "宣传作品", "征文", NULL};
static const char *const work_forms[] = {"图片", "动漫", "视频", "H5", "征文", NULL};
static const char *const dimensions[] = {"行业", "地区", NULL};
const char *const liang_assessment_items[] = {"基础建设", "制度建设", "工作业绩", "创建特色",
					     "创建成效", "社会评价", "团建工作", NULL};
static const char *const partner_kinds[] = {"社区", "村", "两新组织", "困难家庭", "学校", NULL};
const char *const liang_unit_items[] = {"组织机制", "工作规范", "培训指导", "跟踪监督", "联系沟通", "覆盖领域",
				       "基层规模", "活动载体", "氛围营造", "加分", "减分", NULL};

enum { REQ = LIANG_COL_REQUIRED, PRIV = LIANG_COL_PRIVATE, UNIQ = LIANG_COL_UNIQUE,
       REF = LIANG_COL_REF, PHONE = LIANG_COL_PHONE_OK };

#define TEXT(zh, id, fl, maxlen) {zh, id, LIANG_COL_TEXT, fl, NULL, NONE, NONE, maxlen}
#define ENUM(zh, id, fl, v) {zh, id, LIANG_COL_ENUM, fl, v, NONE, NONE, 0}
#define INT(zh, id, fl, lo, hi) {zh, id, LIANG_COL_INT, fl, NULL, lo, hi, 0}
#define NUM(zh, id, fl, lo, hi) {zh, id, LIANG_COL_NUMBER, fl, NULL, lo, hi, 0}
#define KIND(zh, id, k, fl) {zh, id, k, fl, NULL, NONE, NONE, 0}

static const liang_column collectives[] = {
	KIND("编号", "id", LIANG_COL_ID, REQ | UNIQ),
	TEXT("名称", "name", REQ, 0),
	TEXT("单位", "org", REQ, 0),
	TEXT("地区", "region", REQ, 0),
	TEXT("行业", "industry", REQ, 0),
	ENUM("类型", "category", REQ, categories),
	ENUM("性质", "ownership", REQ, ownerships),
	ENUM("级别", "level", REQ, liang_levels),
	KIND("授予年份", "awarded", LIANG_COL_YEAR, 0),
	INT("星级", "stars", 0, 0, 3),
	TEXT("命名文号", "decree", 0, 0),
	ENUM("状态", "status", REQ, liang_statuses),
	KIND("成立时间", "founded", LIANG_COL_MONTH, 0),
	TEXT("号长", "leader", REQ, 0),
	TEXT("号长职务", "leader_title", 0, 0),
	INT("职工总数", "staff", REQ, 1, 1e7),
	INT("青年人数", "youth", REQ, 0, 1e7),
	NUM("平均年龄", "avg_age", 0, 16, 70),
	TEXT("服务承诺", "pledge", REQ, 300),
	TEXT("监督电话", "hotline", REQ | PHONE, 0),
	TEXT("地址", "address", 0, 0),
	TEXT("主管单位", "supervisor", 0, 0),
	TEXT("联系人", "contact", PRIV, 0),
	TEXT("联系电话", "contact_phone", PRIV, 0),
	TEXT("微信号", "wechat", PRIV, 0),
};

static const liang_column members[] = {
	KIND("集体编号", "collective", LIANG_COL_ID, REQ | REF),
	TEXT("姓名", "name", REQ, 0),
	ENUM("同意公开", "consent", 0, yes_no),
	TEXT("岗位", "post", 0, 0),
	INT("出生年份", "birth_year", PRIV, 1930, 2020),
	ENUM("政治面貌", "affiliation", PRIV, affiliations),
	TEXT("手机", "phone", PRIV, 0),
	KIND("照片", "photo", LIANG_COL_PATH, 0),
};

static const liang_column activities[] = {
	KIND("编号", "id", LIANG_COL_ID, REQ | UNIQ),
	KIND("集体编号", "collective", LIANG_COL_ID, REQ | REF),
	KIND("日期", "date", LIANG_COL_DATE, REQ),
	ENUM("类型", "kind", REQ, liang_activity_kinds),
	TEXT("标题", "title", REQ, 0),
	INT("参与人数", "participants", 0, 0, 1e7),
	INT("服务人次", "served", 0, 0, 1e9),
	KIND("图片", "photos", LIANG_COL_PATHS, 0),
	TEXT("说明", "summary", 0, 500),
};

static const liang_column works[] = {
	KIND("编号", "id", LIANG_COL_ID, REQ | UNIQ),
	KIND("集体编号", "collective", LIANG_COL_ID, REQ | REF),
	ENUM("类别", "category", REQ, work_categories),
	TEXT("名称", "title", REQ, 0),
	ENUM("形式", "form", REQ, work_forms),
	TEXT("说明", "summary", 0, 0),
	KIND("文件", "files", LIANG_COL_PATHS, 0),
};

static const liang_column quotas[] = {
	KIND("周期", "cycle", LIANG_COL_CYCLE, REQ),
	ENUM("维度", "dimension", REQ, dimensions),
	TEXT("名称", "name", REQ, 0),
	INT("名额", "quota", REQ, 0, 1e6),
};

static const liang_column assessments[] = {
	KIND("周期", "cycle", LIANG_COL_CYCLE, REQ),
	KIND("集体编号", "collective", LIANG_COL_ID, REQ | REF),
	ENUM("指标", "item", REQ, liang_assessment_items),
	NUM("得分", "score", REQ, 0, 100),
};

static const liang_column surveys[] = {
	KIND("集体编号", "collective", LIANG_COL_ID, REQ | REF),
	KIND("季度", "quarter", LIANG_COL_QUARTER, REQ),
	INT("样本数", "responses", REQ, 0, 1e9),
	INT("满意数", "satisfied", REQ, 0, 1e9),
	INT("投诉数", "complaints", REQ, 0, 1e9),
	INT("已整改", "resolved", 0, 0, 1e9),
};

static const liang_column pairings[] = {
	KIND("集体编号", "collective", LIANG_COL_ID, REQ | REF),
	TEXT("对象", "partner", REQ, 0),
	ENUM("对象类型", "partner_kind", REQ, partner_kinds),
	KIND("开始日期", "since", LIANG_COL_DATE, REQ),
	INT("实事数", "deeds", REQ, 0, 1e6),
};

static const liang_column units[] = {
	KIND("周期", "cycle", LIANG_COL_CYCLE, REQ),
	TEXT("单位", "unit", REQ, 0),
	ENUM("指标", "item", REQ, liang_unit_items),
	NUM("得分", "score", REQ, 0, 1000),
};

const liang_table liang_tables[] = {
	{"collectives", "集体名录", true, false, collectives, N(collectives)},
	{"members", "成员", false, false, members, N(members)},
	{"activities", "活动台账", false, false, activities, N(activities)},
	{"works", "创建成果", false, false, works, N(works)},
	{"quotas", "名额分配表", false, false, quotas, N(quotas)},
	{"assessments", "认定考核得分", false, false, assessments, N(assessments)},
	{"surveys", "群众满意度调查", false, false, surveys, N(surveys)},
	{"pairings", "结对帮扶", false, true, pairings, N(pairings)},
	{"units", "管理单位考评", false, true, units, N(units)},
};
const size_t liang_ntables = N(liang_tables);

const liang_table *liang_table_find(const char *name)
{
	for (size_t i = 0; i < liang_ntables; i++)
		if (strcmp(liang_tables[i].name, name) == 0)
			return &liang_tables[i];
	return NULL;
}

int liang_table_column(const liang_table *t, const char *id)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i].id, id) == 0)
			return (int)i;
	return -1;
}
