-- stats.sql — rankings, statistics and compliance checks: one definition
-- of every figure, for `liang stats`, the site and the report.
--
-- Settings come from site.yaml through data_params (quota_ratio,
-- min_responses, review_years, min_deeds, build_date, cycle) and
-- data_weights (the weight of each assessment item). Column names are the
-- English ids that `liang stats --format tsv|csv|json` prints. Figures
-- with fixed decimals are text ("87.50"), so that every output shows
-- them the same way. Revoked collectives (状态 = 撤销) are not ranked.

-- name: ranking
-- 综合得分: for the cycle (site.yaml stats.cycle, else the newest in
-- assessments.csv), Σ wᵢ·scoreᵢ / Σ wᵢ over the seven items, a missing
-- item counting 0 (liang warns about it). RANK(): ties share a rank and
-- are listed by 编号; also the rank within 地区 and within 行业.
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments)) AS cycle),
agg AS (
  SELECT a.collective,
         SUM(w.weight * a.score) / (SELECT SUM(weight) FROM data_weights) AS score,
         (SELECT COUNT(*) FROM data_weights WHERE weight > 0) - COUNT(*) FILTER (WHERE w.weight > 0) AS missing
  FROM data_assessments a JOIN data_weights w ON w.item = a.item
  WHERE a.cycle = (SELECT cycle FROM cyc)
  GROUP BY a.collective),
-- the ranks over narrow rows (sorting three times), then the names
scores AS (
  SELECT c.rowid AS rid, c.region, c.industry, agg.score, agg.missing, ROUND(agg.score, 6) AS r
  FROM agg JOIN data_collectives c ON c.id = agg.collective
  WHERE c.status <> '撤销'),
ranked AS (
  SELECT rid, score, missing,
         RANK() OVER (ORDER BY r DESC) AS rank,
         RANK() OVER (PARTITION BY region ORDER BY r DESC) AS region_rank,
         RANK() OVER (PARTITION BY industry ORDER BY r DESC) AS industry_rank
  FROM scores)
SELECT k.rank, k.region_rank, k.industry_rank,
       c.id, c.name, c.region, c.industry, c.level,
       printf('%.2f', k.score) AS score, k.missing, (SELECT cycle FROM cyc) AS cycle
FROM ranked k JOIN data_collectives c ON c.rowid = k.rid
ORDER BY k.rank, c.id;

-- name: assessment_missing
-- Collectives assessed in the cycle with an item missing (it counts 0):
-- the line of their first row, for a warning.
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments)) AS cycle),
short AS (
  SELECT a.collective, MIN(a.line) AS line
  FROM data_assessments a JOIN data_weights w ON w.item = a.item AND w.weight > 0
  WHERE a.cycle = (SELECT cycle FROM cyc)
  GROUP BY a.collective
  HAVING COUNT(*) < (SELECT COUNT(*) FROM data_weights WHERE weight > 0))
SELECT f.line, f.collective, w.item, (SELECT cycle FROM cyc)
FROM short f CROSS JOIN data_weights w
WHERE w.weight > 0
  AND NOT EXISTS (SELECT 1 FROM data_assessments a
                  WHERE a.collective = f.collective AND a.item = w.item
                    AND a.cycle = (SELECT cycle FROM cyc))
ORDER BY f.line, w.rowid;

-- name: satisfaction
-- Σ满意数 / Σ样本数 over the newest four quarters present in the data,
-- in percent with one decimal; fewer than stats.min_responses answers
-- (default 30): listed, not ranked. Also Σ投诉数 and 整改率 = Σ已整改 /
-- Σ投诉数.
WITH agg AS (SELECT * FROM base_surveys),
r AS (
  SELECT c.id, c.name, c.region, c.industry, agg.*,
         agg.responses > 0 AND agg.responses >= (SELECT CAST(value AS INTEGER) FROM data_params
                                                 WHERE key = 'min_responses') AS ranked,
         CASE WHEN agg.responses > 0 THEN ROUND(100.0 * agg.satisfied / agg.responses, 1) END AS pct
  FROM agg JOIN data_collectives c ON c.id = agg.collective
  WHERE c.status <> '撤销')
SELECT CASE WHEN ranked THEN RANK() OVER (PARTITION BY ranked ORDER BY pct DESC) END AS rank,
       id, name, region, industry, responses, satisfied,
       CASE WHEN pct IS NOT NULL THEN printf('%.1f', pct) END AS rate,
       complaints, resolved,
       CASE WHEN complaints > 0 THEN printf('%.1f', 100.0 * resolved / complaints) END AS resolved_rate,
       quarters
FROM r
ORDER BY ranked DESC, pct DESC, id;

-- name: activity
-- Activities of each collective in the cycle, by 类型; 开放周 held, and
-- in which months (base_activities).
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle)
SELECT c.id, c.name, c.region,
       COALESCE(a.activities, 0) AS activities, COALESCE(a.open_week, 0) AS open_week,
       COALESCE(a.drill, 0) AS drill, COALESCE(a.training, 0) AS training,
       COALESCE(a.pairing, 0) AS pairing, COALESCE(a.enterprise, 0) AS enterprise,
       COALESCE(a.study, 0) AS study, COALESCE(a.volunteer, 0) AS volunteer,
       COALESCE(a.benchmark, 0) AS benchmark, COALESCE(a.contest, 0) AS contest,
       COALESCE(a.other, 0) AS other, COALESCE(a.participants, 0) AS participants,
       COALESCE(a.served, 0) AS served,
       liang_months_list(a.months, substr((SELECT cycle FROM cyc), 1, 4) || '-01') AS open_week_months,
       (SELECT cycle FROM cyc) AS cycle
FROM data_collectives c
LEFT JOIN base_activities a ON a.collective = c.id
WHERE c.status <> '撤销'
ORDER BY c.id;

-- name: units
-- 管理单位考评: the nine scored items, plus 加分, minus 减分, per unit in
-- the cycle (stats.cycle, else the newest in units.csv), ranked.
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_units)) AS cycle),
u AS (
  SELECT unit,
         SUM(CASE WHEN item IN ('加分', '减分') THEN 0 ELSE score END) AS items,
         SUM(CASE WHEN item = '加分' THEN score ELSE 0 END) AS bonus,
         SUM(CASE WHEN item = '减分' THEN score ELSE 0 END) AS penalty
  FROM data_units WHERE cycle = (SELECT cycle FROM cyc)
  GROUP BY unit)
SELECT RANK() OVER (ORDER BY ROUND(items + bonus - penalty, 6) DESC) AS rank,
       unit, printf('%.2f', items) AS items, printf('%.2f', bonus) AS bonus,
       printf('%.2f', penalty) AS penalty, printf('%.2f', items + bonus - penalty) AS total,
       (SELECT cycle FROM cyc) AS cycle
FROM u
ORDER BY rank, unit;

-- name: quota
-- Each row of quotas.csv: the registered candidates (级别 = 创建, 状态 ≠
-- 撤销) of that 地区 or 行业, their ratio to the quota, and whether they
-- reach quota_ratio (1.5) times it (the view quota_status).
SELECT cycle, dimension, name, quota, candidates,
       CASE WHEN quota > 0 THEN printf('%.2f', candidates * 1.0 / quota) END AS ratio,
       needed, CASE WHEN meets THEN '是' ELSE '否' END AS meets
FROM quota_status
ORDER BY line;

-- name: compliance
-- What the rules of the program ask and the data do not show, one row per
-- finding: the rule, the clause it comes from, what it is about (a
-- collective's 编号, an activity, a region), its name, the detail, and
-- the collective it concerns (empty for a region or an industry).
WITH p AS (
  SELECT (SELECT CAST(value AS REAL) FROM data_params WHERE key = 'quota_ratio') AS ratio,
         (SELECT CAST(value AS INTEGER) FROM data_params WHERE key = 'review_years') AS review_years,
         (SELECT CAST(value AS INTEGER) FROM data_params WHERE key = 'min_deeds') AS min_deeds,
         (SELECT value FROM data_params WHERE key = 'build_date') AS today),
cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle),
win AS (SELECT substr(cycle, 1, 4) || '-01' AS m0, substr(cycle, -4) || '-12' AS m1 FROM cyc),
months(m, i) AS (
  SELECT m0, 0 FROM win WHERE m0 <= substr((SELECT today FROM p), 1, 7)
  UNION ALL
  SELECT strftime('%Y-%m', m || '-01', '+1 month'), i + 1 FROM months, win
  WHERE strftime('%Y-%m', m || '-01', '+1 month') <= MIN(win.m1, substr((SELECT today FROM p), 1, 7))),
-- (inlined in each part: materialized, it would copy every collective)
live AS NOT MATERIALIZED (SELECT * FROM data_collectives WHERE status <> '撤销'),
quarters AS (SELECT DISTINCT quarter FROM data_surveys ORDER BY quarter DESC LIMIT 4),
findings(ord, rule, clause, subject, name, detail, collective) AS (
  SELECT 1, 'quota_ratio', '名额分配：创建集体数应不少于名额的 ' || ratio || ' 倍',
         name, dimension, '创建集体 ' || candidates || ' 个，名额 ' || quota || '，应至少 ' || needed || ' 个', NULL
  FROM quota_status WHERE NOT meets
  UNION ALL
  SELECT 2, 'private_candidate', '名额分配：每个地区至少推荐一个非公经济组织或社会组织',
         name, '地区', '没有非公经济组织或社会组织的创建集体', NULL
  FROM region_without_private
  UNION ALL
  -- the months missed (those with a 开放周 from base_activities), as
  -- runs: "2025-01 至 2025-04、2025-06"
  SELECT 3, 'open_week_monthly', '开放周：每月至少开展一次',
         id, name, '未开展的月份：' || missed, id
  FROM (SELECT c.id, c.name,
               liang_months_missed(a.months, (SELECT m0 FROM win),
                                   (SELECT COUNT(*) FROM months)) AS missed
        FROM live c LEFT JOIN base_activities a ON a.collective = c.id)
  WHERE missed IS NOT NULL
  UNION ALL
  SELECT 4, 'activity_no_photo', '活动留痕：每次活动应留存照片',
         a.id, c.name, a.date || ' ' || a.title, c.id
  FROM data_activities a JOIN live c ON c.id = a.collective
  WHERE a.photos IS NULL OR a.photos = ''
  UNION ALL
  SELECT 5, 'pairing_few_deeds', '结对帮扶：每年至少办 ' || (SELECT min_deeds FROM p) || ' 件实事',
         c.id, c.name, x.partner || '：' || x.deeds || ' 件', c.id
  FROM data_pairings x JOIN live c ON c.id = x.collective
  WHERE x.deeds < (SELECT min_deeds FROM p)
  UNION ALL
  SELECT 6, 'survey_missing', '满意度调查：每季度开展一次',
         c.id, c.name, '缺少：' || group_concat(quarters.quarter, '、'), c.id
  FROM (SELECT c.* FROM live c LEFT JOIN base_surveys s ON s.collective = c.id
        WHERE COALESCE(s.quarters, 0) < (SELECT COUNT(*) FROM quarters)) AS c
  CROSS JOIN (SELECT quarter FROM quarters ORDER BY quarter) AS quarters
  WHERE NOT EXISTS (SELECT 1 FROM data_surveys v WHERE v.collective = c.id AND v.quarter = quarters.quarter)
  GROUP BY c.id
  UNION ALL
  SELECT 7, 'complaints_unresolved', '群众投诉应整改到位',
         c.id, c.name, v.quarter || ' 投诉 ' || v.complaints || ' 件，已整改 ' || COALESCE(v.resolved, 0) || ' 件', c.id
  FROM data_surveys v JOIN live c ON c.id = v.collective
  WHERE v.complaints > COALESCE(v.resolved, 0)
  UNION ALL
  SELECT 8, 'review_due', '复核：称号每 ' || (SELECT review_years FROM p) || ' 年复核一次',
         c.id, c.name, c.level || '，' || c.awarded || ' 年授予', c.id
  FROM live c
  WHERE c.level <> '创建' AND c.awarded IS NOT NULL
    AND CAST(c.awarded AS INTEGER) + (SELECT review_years FROM p) <= CAST(substr((SELECT today FROM p), 1, 4) AS INTEGER))
SELECT rule, clause, subject, name, detail, collective FROM findings ORDER BY ord, subject, detail;

-- name: base_surveys
-- Each collective's answers over the newest four quarters present in the
-- data (revoked ones included): Σ样本数, Σ满意数, Σ投诉数, Σ已整改 and
-- the quarters surveyed. One pass over surveys.csv that satisfaction,
-- satisfaction_bands, totals and compliance share.
WITH win AS (SELECT DISTINCT quarter FROM data_surveys ORDER BY quarter DESC LIMIT 4)
SELECT collective, SUM(responses) AS responses, SUM(satisfied) AS satisfied,
       SUM(complaints) AS complaints, SUM(COALESCE(resolved, 0)) AS resolved,
       COUNT(*) AS quarters
FROM data_surveys WHERE quarter IN (SELECT quarter FROM win)
GROUP BY collective;

-- name: base_activities
-- Each collective's activities in the cycle (a cycle 2025-2026 runs from
-- 2025-01-01 to 2026-12-31; revoked collectives included): how many of
-- each 类型, their participants and the people they served, and the
-- months with a 开放周 (liang_months: one bit each). One pass over
-- activities.csv that activity and compliance share.
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle),
win AS (SELECT substr(cycle, 1, 4) || '-01-01' AS d0, substr(cycle, -4) || '-12-31' AS d1,
               substr(cycle, 1, 4) || '-01' AS m0 FROM cyc)
SELECT collective, COUNT(*) AS activities,
       COUNT(*) FILTER (WHERE kind = '开放周') AS open_week,
       COUNT(*) FILTER (WHERE kind = '岗位练兵') AS drill,
       COUNT(*) FILTER (WHERE kind = '主题培训') AS training,
       COUNT(*) FILTER (WHERE kind = '结对帮扶') AS pairing,
       COUNT(*) FILTER (WHERE kind = '万号带万企') AS enterprise,
       COUNT(*) FILTER (WHERE kind = '青年大学习') AS study,
       COUNT(*) FILTER (WHERE kind = '志愿服务') AS volunteer,
       COUNT(*) FILTER (WHERE kind = '对标创优') AS benchmark,
       COUNT(*) FILTER (WHERE kind = '技能竞赛') AS contest,
       COUNT(*) FILTER (WHERE kind = '其他') AS other,
       SUM(COALESCE(participants, 0)) AS participants, SUM(COALESCE(served, 0)) AS served,
       liang_months(date, (SELECT m0 FROM win)) FILTER (WHERE kind = '开放周') AS months
FROM data_activities
WHERE date BETWEEN (SELECT d0 FROM win) AND (SELECT d1 FROM win)
GROUP BY collective;

-- name: base_activity_months
-- The activities of the cycle of collectives not revoked, per month and
-- 类型: how many, their participants and the people they served. One
-- pass over activities.csv that activity_months, activity_kinds and
-- totals share: stats.c keeps it as a temporary table the first time a
-- query names it. liang_tally groups the rows as GROUP BY month, kind
-- would, without sorting them all (see stats.h).
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle),
win AS (SELECT substr(cycle, 1, 4) || '-01-01' AS d0, substr(cycle, -4) || '-12-31' AS d1 FROM cyc),
t AS (
  SELECT liang_tally(substr(a.date, 1, 7) || ' ' || a.kind, a.participants, a.served) AS groups
  FROM data_activities a JOIN data_collectives c ON c.id = a.collective AND c.status <> '撤销'
  WHERE a.date BETWEEN (SELECT d0 FROM win) AND (SELECT d1 FROM win))
SELECT substr(json_extract(g.value, '$[0]'), 1, 7) AS month, substr(json_extract(g.value, '$[0]'), 9) AS kind,
       json_extract(g.value, '$[1]') AS activities, json_extract(g.value, '$[2]') AS participants,
       json_extract(g.value, '$[3]') AS served
FROM t, json_each(t.groups) AS g;

-- name: totals
-- The figures of the whole city in one row: collectives (not revoked)
-- and revoked, staff and youth (Σ青年人数 / Σ职工总数), the share of
-- 非公经济组织 and 社会组织, members, activities of the cycle with their
-- participants and people served, and satisfaction over the survey
-- window; revoked collectives count only in `revoked`.
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle),
live AS (SELECT * FROM data_collectives WHERE status <> '撤销'),
sv AS (SELECT SUM(responses) AS responses, SUM(satisfied) AS satisfied,
              SUM(complaints) AS complaints, SUM(resolved) AS resolved
       FROM base_surveys JOIN live ON live.id = collective),
act AS (SELECT COALESCE(SUM(activities), 0) AS activities,
               SUM(CASE WHEN kind = '开放周' THEN activities ELSE 0 END) AS open_week,
               SUM(participants) AS participants, SUM(served) AS served
        FROM base_activity_months),
-- the collectives in one pass
c AS (SELECT COUNT(*) FILTER (WHERE status <> '撤销') AS collectives,
             COUNT(*) FILTER (WHERE status = '撤销') AS revoked,
             COUNT(*) FILTER (WHERE status <> '撤销' AND level <> '创建') AS titled,
             COUNT(*) FILTER (WHERE status <> '撤销' AND level = '创建') AS candidates,
             SUM(staff) FILTER (WHERE status <> '撤销') AS staff,
             SUM(youth) FILTER (WHERE status <> '撤销') AS youth,
             COUNT(*) FILTER (WHERE status <> '撤销' AND ownership IN ('非公经济组织', '社会组织')) AS private
      FROM data_collectives)
SELECT c.collectives, c.revoked, c.titled, c.candidates, c.staff, c.youth,
       printf('%.1f', 100.0 * c.youth / c.staff) AS youth_share,
       printf('%.1f', 100.0 * c.private / c.collectives) AS private_share,
       (SELECT members FROM base_members) AS members,
       act.activities, COALESCE(act.open_week, 0) AS open_week,
       COALESCE(act.participants, 0) AS participants, COALESCE(act.served, 0) AS served,
       COALESCE(sv.responses, 0) AS responses,
       CASE WHEN sv.responses > 0 THEN printf('%.1f', 100.0 * sv.satisfied / sv.responses) END AS satisfaction,
       COALESCE(sv.complaints, 0) AS complaints, COALESCE(sv.resolved, 0) AS resolved,
       (SELECT cycle FROM cyc) AS cycle
FROM act, sv, c;

-- name: levels
-- Collectives (not revoked) by 级别, from 全国 down to 创建: the pyramid.
WITH l(ord, level) AS (VALUES (1, '全国'), (2, '省级'), (3, '市级'), (4, '县级'), (5, '创建')),
n AS (SELECT level, COUNT(*) AS n FROM data_collectives WHERE status <> '撤销' GROUP BY level)
SELECT l.level, COALESCE(n.n, 0) AS collectives
FROM l LEFT JOIN n ON n.level = l.level
ORDER BY l.ord;

-- name: stars
-- Collectives (not revoked) by 星级 (0–3; empty = not graded).
WITH s(ord, stars, label) AS (VALUES (1, 3, '三星'), (2, 2, '二星'), (3, 1, '一星'), (4, 0, '零星'),
                                     (5, NULL, '未评星')),
n AS (SELECT stars, COUNT(*) AS n FROM data_collectives WHERE status <> '撤销' GROUP BY stars)
SELECT s.label AS stars, COALESCE(n.n, 0) AS collectives
FROM s LEFT JOIN n ON n.stars IS s.stars
ORDER BY s.ord;

-- name: region_levels
-- Collectives (not revoked) by 地区 × 级别, most collectives first.
SELECT region,
       COUNT(*) FILTER (WHERE level = '全国') AS national,
       COUNT(*) FILTER (WHERE level = '省级') AS provincial,
       COUNT(*) FILTER (WHERE level = '市级') AS municipal,
       COUNT(*) FILTER (WHERE level = '县级') AS county,
       COUNT(*) FILTER (WHERE level = '创建') AS candidate, COUNT(*) AS collectives
FROM data_collectives WHERE status <> '撤销'
GROUP BY region ORDER BY collectives DESC, region;

-- name: industries
-- Collectives (not revoked) by 行业, with their staff and youth.
SELECT industry, COUNT(*) AS collectives, COUNT(*) FILTER (WHERE level = '创建') AS candidates,
       SUM(staff) AS staff, SUM(youth) AS youth,
       printf('%.1f', 100.0 * SUM(youth) / SUM(staff)) AS youth_share
FROM data_collectives WHERE status <> '撤销'
GROUP BY industry ORDER BY collectives DESC, industry;

-- name: ownership
-- Collectives (not revoked) by 性质, with their share in percent.
WITH o(ord, ownership) AS (VALUES (1, '机关'), (2, '事业单位'), (3, '国有企业'), (4, '非公经济组织'),
                                  (5, '社会组织')),
n AS (SELECT ownership, COUNT(*) AS n FROM data_collectives WHERE status <> '撤销' GROUP BY ownership),
t AS (SELECT COALESCE(SUM(n), 0) AS total FROM n)
SELECT o.ownership, COALESCE(n.n, 0) AS collectives,
       printf('%.1f', CASE WHEN t.total > 0 THEN 100.0 * COALESCE(n.n, 0) / t.total ELSE 0 END) AS share
FROM o CROSS JOIN t LEFT JOIN n ON n.ownership = o.ownership
ORDER BY o.ord;

-- name: statuses
-- Every collective by 状态, revoked ones included.
WITH s(ord, status) AS (VALUES (1, '有效'), (2, '复核中'), (3, '警告'), (4, '整改'), (5, '撤销')),
n AS (SELECT status, COUNT(*) AS n FROM data_collectives GROUP BY status)
SELECT s.status, COALESCE(n.n, 0) AS collectives
FROM s LEFT JOIN n ON n.status = s.status
ORDER BY s.ord;

-- name: base_members
-- The members of collectives not revoked, in one pass over members.csv
-- (a GROUP BY would sort every member): how many, by age at the build
-- date from 出生年份, and by 政治面貌. ages, affiliations and totals
-- share it; aggregates only, never a person.
WITH y AS (SELECT CAST(substr(value, 1, 4) AS INTEGER) AS year FROM data_params WHERE key = 'build_date')
SELECT COUNT(*) AS members,
       COUNT(*) FILTER (WHERE age BETWEEN 0 AND 25) AS b1,
       COUNT(*) FILTER (WHERE age BETWEEN 26 AND 30) AS b2,
       COUNT(*) FILTER (WHERE age BETWEEN 31 AND 35) AS b3,
       COUNT(*) FILTER (WHERE age BETWEEN 36 AND 40) AS b4,
       COUNT(*) FILTER (WHERE age BETWEEN 41 AND 999) AS b5,
       COUNT(*) FILTER (WHERE age IS NULL) AS b6,
       COUNT(*) FILTER (WHERE affiliation = '党员') AS party,
       COUNT(*) FILTER (WHERE affiliation = '团员') AS league,
       COUNT(*) FILTER (WHERE affiliation = '群众') AS masses,
       COUNT(*) FILTER (WHERE affiliation IS NULL) AS unknown
FROM (SELECT (SELECT year FROM y) - m.birth_year AS age, m.affiliation
      FROM data_members m JOIN data_collectives c ON c.id = m.collective AND c.status <> '撤销');

-- name: ages
-- Members of collectives (not revoked) by age at the build date, from
-- 出生年份 (base_members).
WITH b(ord, band) AS (VALUES (1, '25 岁及以下'), (2, '26–30 岁'), (3, '31–35 岁'), (4, '36–40 岁'),
                             (5, '41 岁及以上'), (6, '未填'))
SELECT b.band, COALESCE(CASE b.ord WHEN 1 THEN m.b1 WHEN 2 THEN m.b2 WHEN 3 THEN m.b3
                                   WHEN 4 THEN m.b4 WHEN 5 THEN m.b5 ELSE m.b6 END, 0) AS members
FROM b CROSS JOIN base_members m
ORDER BY b.ord;

-- name: affiliations
-- Members of collectives (not revoked) by 政治面貌 (base_members).
WITH a(ord, affiliation) AS (VALUES (1, '党员'), (2, '团员'), (3, '群众'), (4, '未填'))
SELECT a.affiliation, COALESCE(CASE a.ord WHEN 1 THEN m.party WHEN 2 THEN m.league WHEN 3 THEN m.masses
                                          ELSE m.unknown END, 0) AS members
FROM a CROSS JOIN base_members m
ORDER BY a.ord;

-- name: activity_months
-- Activities of the cycle per month (collectives not revoked): all,
-- 开放周, and the people they reached.
SELECT month, SUM(activities) AS activities,
       SUM(CASE WHEN kind = '开放周' THEN activities ELSE 0 END) AS open_week,
       SUM(participants) AS participants, SUM(served) AS served
FROM base_activity_months
GROUP BY month ORDER BY month;

-- name: activity_kinds
-- Activities of the cycle by 类型 (collectives not revoked), most first.
SELECT kind, SUM(activities) AS activities, SUM(participants) AS participants, SUM(served) AS served
FROM base_activity_months
GROUP BY kind ORDER BY activities DESC, kind;

-- name: satisfaction_bands
-- How satisfaction is spread: collectives (not revoked, with enough
-- answers to be ranked) by their rate over the survey window.
WITH r AS (
  SELECT 100.0 * v.satisfied / v.responses AS pct
  FROM base_surveys v JOIN data_collectives c ON c.id = v.collective AND c.status <> '撤销'
  WHERE v.responses > 0
    AND v.responses >= (SELECT CAST(value AS INTEGER) FROM data_params WHERE key = 'min_responses')),
b(ord, band, lo, hi) AS (VALUES (1, '低于 80%', -1, 80), (2, '80%–85%', 80, 85), (3, '85%–90%', 85, 90),
                                (4, '90%–95%', 90, 95), (5, '95% 及以上', 95, 1000))
SELECT b.band, COUNT(r.pct) AS collectives
FROM b LEFT JOIN r ON r.pct >= b.lo AND r.pct < b.hi
GROUP BY b.ord ORDER BY b.ord;
