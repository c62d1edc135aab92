-- views.sql — the public views, and the views the statistics share.
--
-- They are the only thing that `sql` blocks in Markdown and the open-data
-- downloads may read: private columns are not in them, and a member's
-- name is masked unless the member agreed to be named.
--
-- Temporary views, made on every connection that reads the data: the
-- data tables live in the main database or in the one the second
-- loading thread filled (attached as aux), and a temporary view finds a
-- table in either, where a view of the main database sees only main.

-- 名额: the registered candidates (级别 = 创建, 状态 ≠ 撤销) of each row of
-- quotas.csv against quota_ratio times its quota. One definition for the
-- loader's warning, `liang stats quota` and the compliance check.
CREATE TEMP VIEW quota_status AS
WITH cand(dimension, name, n) AS (
  -- the candidates of each region and industry, in one pass each
  SELECT '地区', region, COUNT(*) FROM data_collectives
  WHERE level = '创建' AND status <> '撤销' GROUP BY region
  UNION ALL
  SELECT '行业', industry, COUNT(*) FROM data_collectives
  WHERE level = '创建' AND status <> '撤销' GROUP BY industry)
SELECT q.line, q.cycle, q.dimension, q.name, q.quota, COALESCE(cand.n, 0) AS candidates, p.ratio,
       CAST(q.quota * p.ratio + 0.999999 AS INTEGER) AS needed,
       COALESCE(cand.n, 0) >= q.quota * p.ratio AS meets
FROM data_quotas q
CROSS JOIN (SELECT CAST(value AS REAL) AS ratio FROM data_params WHERE key = 'quota_ratio') p
LEFT JOIN cand ON cand.dimension = q.dimension AND cand.name = q.name;

-- Each region with a quota should put forward at least one candidate from
-- a 非公经济组织 or a 社会组织: the regions that do not.
CREATE TEMP VIEW region_without_private AS
SELECT MIN(q.line) AS line, q.name
FROM data_quotas q
WHERE q.dimension = '地区' AND q.quota > 0
  AND NOT EXISTS (SELECT 1 FROM data_collectives c
                  WHERE c.region = q.name AND c.level = '创建' AND c.status <> '撤销'
                    AND c.ownership IN ('非公经济组织', '社会组织'))
GROUP BY q.name;

CREATE TEMP VIEW collectives AS
SELECT id, name, org, region, industry, category, ownership, level, awarded,
       stars, decree, status, founded, leader, leader_title, staff, youth,
       avg_age, pledge, hotline, address, supervisor
FROM data_collectives;

-- 张三 → 张** unless the member agreed to be named; a photo only with
-- consent.
CREATE TEMP VIEW members AS
SELECT collective,
       CASE WHEN consent = '是' THEN name ELSE substr(name, 1, 1) || '**' END AS name,
       COALESCE(consent, '否') AS consent,
       post,
       CASE WHEN consent = '是' THEN photo END AS photo
FROM data_members;

CREATE TEMP VIEW activities AS
SELECT id, collective, date, kind, title, participants, served, photos, summary
FROM data_activities;

CREATE TEMP VIEW works AS
SELECT id, collective, category, title, form, summary, files FROM data_works;

CREATE TEMP VIEW quotas AS
SELECT cycle, dimension, name, quota FROM data_quotas;

CREATE TEMP VIEW assessments AS
SELECT cycle, collective, item, score FROM data_assessments;

CREATE TEMP VIEW surveys AS
SELECT collective, quarter, responses, satisfied, complaints, resolved
FROM data_surveys;

CREATE TEMP VIEW pairings AS
SELECT collective, partner, partner_kind, since, deeds FROM data_pairings;

CREATE TEMP VIEW units AS
SELECT cycle, unit, item, score FROM data_units;

CREATE TEMP VIEW notices AS
SELECT slug, title, number, issuer, date, deadline, tags
FROM data_notices WHERE draft = 0;
