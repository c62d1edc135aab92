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
         (SELECT COUNT(*) FROM data_weights WHERE weight > 0) - SUM(w.weight > 0) AS missing
  FROM data_assessments a JOIN data_weights w ON w.item = a.item
  WHERE a.cycle = (SELECT cycle FROM cyc)
  GROUP BY a.collective),
scores AS (
  SELECT c.id, c.name, c.region, c.industry, c.level, agg.score, agg.missing
  FROM agg JOIN data_collectives c ON c.id = agg.collective
  WHERE c.status <> '撤销')
SELECT RANK() OVER (ORDER BY ROUND(score, 6) DESC) AS rank,
       RANK() OVER (PARTITION BY region ORDER BY ROUND(score, 6) DESC) AS region_rank,
       RANK() OVER (PARTITION BY industry ORDER BY ROUND(score, 6) DESC) AS industry_rank,
       id, name, region, industry, level,
       printf('%.2f', score) AS score, missing, (SELECT cycle FROM cyc) AS cycle
FROM scores
ORDER BY rank, id;

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
WITH win AS (SELECT DISTINCT quarter FROM data_surveys ORDER BY quarter DESC LIMIT 4),
agg AS (
  SELECT collective, SUM(responses) AS responses, SUM(satisfied) AS satisfied,
         SUM(complaints) AS complaints, SUM(COALESCE(resolved, 0)) AS resolved,
         COUNT(*) AS quarters
  FROM data_surveys WHERE quarter IN (SELECT quarter FROM win)
  GROUP BY collective),
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
-- Activities of each collective in the cycle (a cycle 2025-2026 runs from
-- 2025-01-01 to 2026-12-31), by 类型; 开放周 held, and in which months.
WITH cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle),
win AS (SELECT substr(cycle, 1, 4) || '-01-01' AS d0, substr(cycle, -4) || '-12-31' AS d1 FROM cyc),
agg AS (
  SELECT collective, COUNT(*) AS activities,
         SUM(kind = '开放周') AS open_week, SUM(kind = '岗位练兵') AS drill,
         SUM(kind = '主题培训') AS training, SUM(kind = '结对帮扶') AS pairing,
         SUM(kind = '万号带万企') AS enterprise, SUM(kind = '青年大学习') AS study,
         SUM(kind = '志愿服务') AS volunteer, SUM(kind = '对标创优') AS benchmark,
         SUM(kind = '技能竞赛') AS contest, SUM(kind = '其他') AS other,
         SUM(COALESCE(participants, 0)) AS participants, SUM(COALESCE(served, 0)) AS served
  FROM data_activities
  WHERE date BETWEEN (SELECT d0 FROM win) AND (SELECT d1 FROM win)
  GROUP BY collective),
months AS (
  SELECT collective, group_concat(m, ';') AS ms FROM (
    SELECT DISTINCT collective, substr(date, 1, 7) AS m FROM data_activities NOT INDEXED
    WHERE kind = '开放周' AND date BETWEEN (SELECT d0 FROM win) AND (SELECT d1 FROM win)
    ORDER BY collective, m)
  GROUP BY collective)
SELECT c.id, c.name, c.region,
       COALESCE(a.activities, 0) AS activities, COALESCE(a.open_week, 0) AS open_week,
       COALESCE(a.drill, 0) AS drill, COALESCE(a.training, 0) AS training,
       COALESCE(a.pairing, 0) AS pairing, COALESCE(a.enterprise, 0) AS enterprise,
       COALESCE(a.study, 0) AS study, COALESCE(a.volunteer, 0) AS volunteer,
       COALESCE(a.benchmark, 0) AS benchmark, COALESCE(a.contest, 0) AS contest,
       COALESCE(a.other, 0) AS other, COALESCE(a.participants, 0) AS participants,
       COALESCE(a.served, 0) AS served, m.ms AS open_week_months,
       (SELECT cycle FROM cyc) AS cycle
FROM data_collectives c
LEFT JOIN agg a ON a.collective = c.id
LEFT JOIN months m ON m.collective = c.id
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
-- collective's 编号, an activity, a region), its name, and the detail.
WITH p AS (
  SELECT (SELECT CAST(value AS REAL) FROM data_params WHERE key = 'quota_ratio') AS ratio,
         (SELECT CAST(value AS INTEGER) FROM data_params WHERE key = 'review_years') AS review_years,
         (SELECT CAST(value AS INTEGER) FROM data_params WHERE key = 'min_deeds') AS min_deeds,
         (SELECT value FROM data_params WHERE key = 'build_date') AS today),
cyc AS (
  SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                  (SELECT MAX(cycle) FROM data_assessments),
                  (SELECT MAX(cycle) FROM data_quotas)) AS cycle),
win AS (SELECT substr(cycle, 1, 4) || '-01' AS m0, substr(cycle, -4) || '-12' AS m1,
               CAST(substr(cycle, 1, 4) AS INTEGER) AS y0 FROM cyc),
months(m, i) AS (
  SELECT m0, 0 FROM win WHERE m0 <= substr((SELECT today FROM p), 1, 7)
  UNION ALL
  SELECT strftime('%Y-%m', m || '-01', '+1 month'), i + 1 FROM months, win
  WHERE strftime('%Y-%m', m || '-01', '+1 month') <= MIN(win.m1, substr((SELECT today FROM p), 1, 7))),
live AS (SELECT * FROM data_collectives WHERE status <> '撤销'),
-- the months of the cycle with a 开放周, one bit each (a cycle has 24)
ow AS (
  SELECT collective,
         SUM(DISTINCT 1 << ((CAST(substr(date, 1, 4) AS INTEGER) - (SELECT y0 FROM win)) * 12
                            + CAST(substr(date, 6, 2) AS INTEGER) - 1)) AS mask
  FROM data_activities NOT INDEXED
  WHERE kind = '开放周' AND substr(date, 1, 7) BETWEEN (SELECT m0 FROM win) AND (SELECT m1 FROM win)
  GROUP BY collective),
quarters AS (SELECT DISTINCT quarter FROM data_surveys ORDER BY quarter DESC LIMIT 4),
findings(ord, rule, clause, subject, name, detail) AS (
  SELECT 1, 'quota_ratio', '名额分配：创建集体数应不少于名额的 ' || ratio || ' 倍',
         name, dimension, '创建集体 ' || candidates || ' 个，名额 ' || quota || '，应至少 ' || needed || ' 个'
  FROM quota_status WHERE NOT meets
  UNION ALL
  SELECT 2, 'private_candidate', '名额分配：每个地区至少推荐一个非公经济组织或社会组织',
         name, '地区', '没有非公经济组织或社会组织的创建集体'
  FROM region_without_private
  UNION ALL
  SELECT 3, 'open_week_monthly', '开放周：每月至少开展一次',
         c.id, c.name, '未开展的月份：' || group_concat(months.m, '、')
  FROM live c LEFT JOIN ow ON ow.collective = c.id CROSS JOIN months
  WHERE ((COALESCE(ow.mask, 0) >> months.i) & 1) = 0
  GROUP BY c.id
  UNION ALL
  SELECT 4, 'activity_no_photo', '活动留痕：每次活动应留存照片',
         a.id, c.name, a.date || ' ' || a.title
  FROM data_activities a JOIN live c ON c.id = a.collective
  WHERE a.photos IS NULL OR a.photos = ''
  UNION ALL
  SELECT 5, 'pairing_few_deeds', '结对帮扶：每年至少办 ' || (SELECT min_deeds FROM p) || ' 件实事',
         c.id, c.name, x.partner || '：' || x.deeds || ' 件'
  FROM data_pairings x JOIN live c ON c.id = x.collective
  WHERE x.deeds < (SELECT min_deeds FROM p)
  UNION ALL
  SELECT 6, 'survey_missing', '满意度调查：每季度开展一次',
         c.id, c.name, '缺少：' || group_concat(quarters.quarter, '、')
  FROM live c CROSS JOIN (SELECT quarter FROM quarters ORDER BY quarter) AS quarters
  WHERE NOT EXISTS (SELECT 1 FROM data_surveys v WHERE v.collective = c.id AND v.quarter = quarters.quarter)
  GROUP BY c.id
  UNION ALL
  SELECT 7, 'complaints_unresolved', '群众投诉应整改到位',
         c.id, c.name, v.quarter || ' 投诉 ' || v.complaints || ' 件，已整改 ' || COALESCE(v.resolved, 0) || ' 件'
  FROM data_surveys v JOIN live c ON c.id = v.collective
  WHERE v.complaints > COALESCE(v.resolved, 0)
  UNION ALL
  SELECT 8, 'review_due', '复核：称号每 ' || (SELECT review_years FROM p) || ' 年复核一次',
         c.id, c.name, c.level || '，' || c.awarded || ' 年授予'
  FROM live c
  WHERE c.level <> '创建' AND c.awarded IS NOT NULL
    AND CAST(c.awarded AS INTEGER) + (SELECT review_years FROM p) <= CAST(substr((SELECT today FROM p), 1, 4) AS INTEGER))
SELECT rule, clause, subject, name, detail FROM findings ORDER BY ord, subject, detail;
