-- queries.sql — named queries used by the pages of a build.
-- Each query starts with a line "-- name: NAME"; liang looks them up by
-- name (liang_query in site.c), so the same SQL feeds the page, the PDF
-- and the CLI. Figures of collectives leave out the revoked (状态 = 撤销),
-- as stats.sql does, so that the home page and /stats/ agree.

-- name: level_totals
-- Collectives by 级别, in the order of the title ladder.
SELECT level, COUNT(*) AS n,
       SUM(status <> '撤销') AS active
FROM data_collectives
GROUP BY level
ORDER BY CASE level WHEN '全国' THEN 1 WHEN '省级' THEN 2 WHEN '市级' THEN 3
                    WHEN '县级' THEN 4 ELSE 5 END;

-- name: region_totals
-- Collectives (not revoked) by 地区 and 级别: one row per region, a
-- column per level.
SELECT region,
       COUNT(*) AS total,
       SUM(level = '全国') AS national,
       SUM(level = '省级') AS provincial,
       SUM(level = '市级') AS city,
       SUM(level = '县级') AS county,
       SUM(level = '创建') AS candidates
FROM data_collectives WHERE status <> '撤销'
GROUP BY region
ORDER BY total DESC, region;

-- name: overview
-- The home page's figures: collectives and members as in stats.sql
-- totals; the activity ledger and the notices in all.
SELECT (SELECT COUNT(*) FROM data_collectives WHERE status <> '撤销') AS collectives,
       (SELECT COUNT(*) FROM data_collectives WHERE level <> '创建' AND status <> '撤销') AS titled,
       (SELECT COUNT(*) FROM data_collectives WHERE level = '创建' AND status <> '撤销') AS candidates,
       (SELECT COUNT(*) FROM data_members m JOIN data_collectives c ON c.id = m.collective
        WHERE c.status <> '撤销') AS members,
       (SELECT COUNT(*) FROM data_activities) AS activities,
       (SELECT COUNT(*) FROM data_activities WHERE kind = '开放周') AS open_weeks,
       (SELECT COUNT(*) FROM data_notices WHERE draft = 0) AS notices;

-- name: newest_date
-- The newest date anywhere in the input: the build date when neither
-- SOURCE_DATE_EPOCH nor site.yaml sets one, so that the same input
-- always gives the same site.
SELECT MAX(d) FROM (
  SELECT MAX(date) AS d FROM data_activities
  UNION ALL SELECT MAX(since) FROM data_pairings
  UNION ALL SELECT MAX(date) FROM data_notices
);

-- Indexes of each table, made by the thread that loaded it as soon as
-- its rows are in (a bulk load is faster without them), while the other
-- thread goes on reading its own file. indexes_NAME serve the loader's own
-- checks and are always made; by_collective_NAME serve whatever reads a
-- collective's rows or sums over them (pages, statistics, reports) and
-- are made unless the command is a check. None but a partial index may
-- hold every column of a public view: SQLite would then read the whole
-- view in the index's order rather than the file's (the open-data files
-- keep the file's order); a partial one serves only the queries whose
-- WHERE implies its own.

-- name: indexes_collectives
-- (with the name: what the lists, cards and pages that join a row to its
-- collective read of it, without a second search in the table)
CREATE INDEX data_collectives_id ON data_collectives(id, name);

-- name: by_collective_members
-- (not covering: collective_members lists a collective's members in the
-- order of members.csv, which is the order of this index's equal keys)
CREATE INDEX data_members_collective ON data_members(collective);

-- name: indexes_activities
-- (the write-ups of content/activities/ are looked up by 编号)
CREATE INDEX data_activities_id ON data_activities(id);

-- name: by_collective_activities
-- (each collective's activities newest first, in the index's order;
-- kind, participants and served for the statistics, read from the index)
CREATE INDEX data_activities_collective
ON data_activities(collective, date DESC, id DESC, kind, participants, served);
-- the 开放周 newest first (openweek_cards): read in order, not sorted
-- (a sort of every one of them was the peak of a build's memory), and
-- covering the columns of the cards and of the pages (openweek_pages):
-- a search in the table per row, at random, was most of the time of the
-- pages of preset L's 151,000 activities
CREATE INDEX data_activities_openweek
ON data_activities(date, id, title, collective, photos, kind, participants, served, summary)
WHERE kind = '开放周';

-- name: indexes_works
CREATE INDEX data_works_id ON data_works(id);
CREATE INDEX data_works_collective ON data_works(collective, id);

-- name: by_collective_assessments
CREATE INDEX data_assessments_collective ON data_assessments(collective);

-- name: by_collective_surveys
CREATE INDEX data_surveys_collective ON data_surveys(collective);

-- name: by_collective_pairings
CREATE INDEX data_pairings_collective ON data_pairings(collective, since, partner);

-- name: quota_shortfall
-- 名额分配表 rows whose candidates fall short (see the view quota_status).
SELECT line, dimension, name, quota, candidates, needed FROM quota_status
WHERE NOT meets ORDER BY line;

-- name: region_without_private_candidate
SELECT line, name FROM region_without_private ORDER BY line;

-- name: list_order
-- The public list (公示名单) in the order of official lists: by 级别,
-- then by the stroke order of the name (笔画). Sorted once into a
-- temporary table, with an index per facet, so that the list and every
-- filter page of it are read in order without sorting again.
CREATE TEMP TABLE list_order AS
SELECT ROW_NUMBER() OVER (
         ORDER BY CASE level WHEN '全国' THEN 1 WHEN '省级' THEN 2 WHEN '市级' THEN 3
                             WHEN '县级' THEN 4 ELSE 5 END,
                  name COLLATE zh_stroke, id) AS rank,
       id, name, org, region, industry, category, ownership, level, awarded, stars,
       status, pledge, hotline
FROM collectives;
CREATE INDEX temp.list_order_rank ON list_order(rank);
CREATE INDEX temp.list_order_region ON list_order(region, rank);
CREATE INDEX temp.list_order_industry ON list_order(industry, rank);
CREATE INDEX temp.list_order_level ON list_order(level, rank);
CREATE INDEX temp.list_order_ownership ON list_order(ownership, rank);

-- name: collectives_list
-- The whole list, in order (see list_order).
SELECT id, name, org, region, industry, category, ownership, level, awarded, stars,
       status, pledge, hotline
FROM list_order ORDER BY rank;

-- name: collectives_list_region
SELECT id, name, org, region, industry, category, ownership, level, awarded, stars,
       status, pledge, hotline
FROM list_order WHERE region = ?1 ORDER BY rank;

-- name: collectives_list_industry
SELECT id, name, org, region, industry, category, ownership, level, awarded, stars,
       status, pledge, hotline
FROM list_order WHERE industry = ?1 ORDER BY rank;

-- name: collectives_list_level
SELECT id, name, org, region, industry, category, ownership, level, awarded, stars,
       status, pledge, hotline
FROM list_order WHERE level = ?1 ORDER BY rank;

-- name: collectives_list_ownership
SELECT id, name, org, region, industry, category, ownership, level, awarded, stars,
       status, pledge, hotline
FROM list_order WHERE ownership = ?1 ORDER BY rank;

-- name: facet_values
-- The values of one facet with their counts; ?1 = region | industry |
-- level | ownership.
SELECT v, COUNT(*) FROM (
  SELECT CASE ?1 WHEN 'region' THEN region WHEN 'industry' THEN industry
                 WHEN 'level' THEN level ELSE ownership END AS v
  FROM collectives)
GROUP BY v
ORDER BY CASE ?1 WHEN 'level' THEN
           CASE v WHEN '全国' THEN 1 WHEN '省级' THEN 2 WHEN '市级' THEN 3 WHEN '县级' THEN 4 ELSE 5 END
         WHEN 'ownership' THEN
           CASE v WHEN '机关' THEN 1 WHEN '事业单位' THEN 2 WHEN '国有企业' THEN 3
                  WHEN '非公经济组织' THEN 4 ELSE 5 END
         ELSE 0 END,
         v COLLATE zh_stroke;

-- name: collective_ids
SELECT id FROM collectives ORDER BY id;

-- name: collective_page_range
-- The collectives from id ?1 to id ?2: a chunk of pages.
SELECT * FROM collectives WHERE id >= ?1 AND id <= ?2 ORDER BY id;

-- name: media_paths
-- Every file of content/ that a page shows, in a fixed order: the
-- published names (and their -2, -3 for names that spell the same) are
-- given out in this order, whichever page is rendered first.
SELECT 1, collective, photo FROM members WHERE photo IS NOT NULL AND photo <> ''
UNION ALL
SELECT 2, id, photos FROM activities WHERE photos IS NOT NULL AND photos <> ''
UNION ALL
SELECT 3, id, files FROM works WHERE files IS NOT NULL AND files <> ''
UNION ALL
SELECT 4, slug, attachments FROM data_notices
WHERE draft = 0 AND attachments IS NOT NULL AND attachments <> ''
ORDER BY 1, 2, 3;

-- The rows a collective's page shows, for the chunk of collectives from
-- id ?1 to id ?2 (as collective_page_range), by collective: the page
-- writer walks each in step with the collectives (build.c, liang_cursor),
-- one query per chunk rather than one per collective. Each is read in
-- the order of its index, without a sort; the first column is the
-- collective's id.

-- name: collective_members
-- Within a collective, in the order of members.csv (the order of
-- data_members_collective's equal keys).
SELECT collective, name, post, photo FROM members
WHERE collective >= ?1 AND collective <= ?2 ORDER BY collective;

-- name: collective_activities
-- Newest first (a page shows the newest 100).
SELECT collective, id, date, kind, title, participants, served, photos, summary FROM activities
WHERE collective >= ?1 AND collective <= ?2 ORDER BY collective, date DESC, id DESC;

-- name: collective_works
SELECT collective, id, category, title, form, summary, files FROM works
WHERE collective >= ?1 AND collective <= ?2 ORDER BY collective, id;

-- name: collective_pairings
SELECT collective, partner, partner_kind, since, deeds FROM pairings
WHERE collective >= ?1 AND collective <= ?2 ORDER BY collective, since, partner;

-- name: collective_survey
-- Satisfaction over the newest four quarters present in the data (?3 is
-- the oldest of them).
SELECT collective, SUM(responses), SUM(satisfied), SUM(complaints), SUM(COALESCE(resolved, 0)), COUNT(*)
FROM surveys WHERE collective >= ?1 AND collective <= ?2 AND quarter >= ?3
GROUP BY collective ORDER BY collective;

-- name: survey_window
SELECT MIN(quarter) FROM (SELECT DISTINCT quarter FROM data_surveys ORDER BY quarter DESC LIMIT 4);

-- name: text_of
SELECT body, path FROM data_texts WHERE kind = ?1 AND id = ?2;

-- name: texts_ids
SELECT kind, id FROM data_texts;

-- name: notices_list
SELECT slug, title, number, issuer, date, deadline, tags, attachments, body, path, body_line
FROM data_notices WHERE draft = 0 ORDER BY date DESC, slug;

-- name: pages_list
SELECT slug, title, body, path, body_line FROM data_pages ORDER BY slug;

-- name: recent_openweek
SELECT a.id, a.collective, a.date, a.title, a.photos, c.name
FROM activities a JOIN collectives c ON c.id = a.collective
WHERE a.kind = '开放周' ORDER BY a.date DESC, a.id DESC LIMIT 6;

-- name: stat_counts
-- How many are ranked: overall, per 地区 and per 行业 (stat_ranking),
-- and by satisfaction; for "第 3 名 / 共 40 个" on the collective pages.
-- {schema} is the database the statistics are kept in.
CREATE TABLE {schema}.stat_of (k TEXT NOT NULL, v TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (k, v));
INSERT INTO stat_of SELECT 'all', '', COUNT(*) FROM stat_ranking;
INSERT INTO stat_of SELECT 'region', region, COUNT(*) FROM stat_ranking GROUP BY region;
INSERT INTO stat_of SELECT 'industry', industry, COUNT(*) FROM stat_ranking GROUP BY industry;
INSERT INTO stat_of SELECT 'satisfaction', '', COUNT(rank) FROM stat_satisfaction;
CREATE INDEX {schema}.stat_ranking_id ON stat_ranking(id);
CREATE INDEX {schema}.stat_satisfaction_id ON stat_satisfaction(id);
CREATE INDEX {schema}.stat_compliance_collective ON stat_compliance(collective);

-- name: stat_collective_rank
-- The collectives' own figures, for a chunk of pages as the collective_
-- queries above: ?1 to ?2, by id.
SELECT r.id, r.score, r.rank, (SELECT n FROM stat_of WHERE k = 'all' AND v = ''),
       r.region_rank, (SELECT n FROM stat_of WHERE k = 'region' AND v = r.region),
       r.industry_rank, (SELECT n FROM stat_of WHERE k = 'industry' AND v = r.industry),
       r.cycle, r.missing, r.region, r.industry
FROM stat_ranking r WHERE r.id >= ?1 AND r.id <= ?2 ORDER BY r.id;

-- name: stat_collective_satisfaction
SELECT s.id, s.rank, (SELECT n FROM stat_of WHERE k = 'satisfaction' AND v = ''), s.rate, s.responses
FROM stat_satisfaction s WHERE s.id >= ?1 AND s.id <= ?2 ORDER BY s.id;

-- name: stat_collective_findings
-- Within a collective, in the order they were found (a page shows 50).
SELECT f.collective, f.rule, r.clause, f.detail FROM stat_compliance f
JOIN stat_rules r ON r.rule = f.rule
WHERE f.collective >= ?1 AND f.collective <= ?2 ORDER BY f.collective, f.rowid;

-- name: stat_ranking_rows
SELECT rank, id, name, region, industry, level, score, region_rank, industry_rank, missing
FROM stat_ranking ORDER BY rowid;

-- name: stat_satisfaction_rows
SELECT rank, id, name, region, industry, responses, rate, complaints, resolved_rate
FROM stat_satisfaction ORDER BY rowid;

-- name: stat_compliance_rules
-- The findings by rule, in the order of the rules (the clause of each
-- rule is kept once, in stat_rules: see statpages.c S_keep).
SELECT f.rule, r.clause, COUNT(*) FROM stat_compliance f JOIN stat_rules r ON r.rule = f.rule
GROUP BY f.rule ORDER BY MIN(f.rowid);

-- name: stat_compliance_rows
SELECT f.rule, r.clause, f.subject, f.name, f.detail, f.collective
FROM stat_compliance f JOIN stat_rules r ON r.rule = f.rule ORDER BY f.rowid;

-- name: markdown_sql_bodies
-- The Markdown bodies that may hold a sql block (drafts are not
-- published), for `liang check` to run them as a build would.
SELECT body, path, body_line FROM data_notices WHERE NOT draft AND instr(body, 'sql')
UNION ALL SELECT body, path, body_line FROM data_pages WHERE instr(body, 'sql')
UNION ALL SELECT body, path, 1 FROM data_texts WHERE instr(body, 'sql');

-- name: openweek_cards
-- /openweek/: every 开放周 activity, newest first (grouped by month).
SELECT a.id, a.date AS month, a.title, a.collective, c.name, a.date, a.photos
FROM activities a JOIN collectives c ON c.id = a.collective
WHERE a.kind = '开放周' ORDER BY a.date DESC, a.id DESC;

-- name: openweek_count
-- How many rows openweek_cards gives: every activity's collective exists
-- (the loader keeps no row that refers to a missing one), so the count
-- needs no join, and reads the partial index alone.
SELECT COUNT(*) FROM activities WHERE kind = '开放周';

-- name: openweek_pages
-- In the order of data_activities_openweek: read, not sorted (the
-- sitemap is sorted whatever the order the pages come in).
SELECT a.id, a.date, a.title, a.collective, c.name, a.participants, a.served, a.photos, a.summary
FROM activities a JOIN collectives c ON c.id = a.collective
WHERE a.kind = '开放周' ORDER BY a.date, a.id;

-- name: works_cards
-- /works/: the works by 类别 (in the order of the notice), then 编号.
SELECT w.id, w.category, w.title, w.collective, c.name, w.form, w.files
FROM works w JOIN collectives c ON c.id = w.collective
ORDER BY CASE w.category WHEN '图片作品' THEN 1 WHEN '宣传作品' THEN 2 ELSE 3 END, w.id;

-- name: works_count
-- How many rows works_cards gives (as openweek_count).
SELECT COUNT(*) FROM works;

-- name: works_pages
SELECT w.id, w.category, w.title, w.collective, c.name, w.form, w.files, w.summary
FROM works w JOIN collectives c ON c.id = w.collective ORDER BY w.id;
-- ------------------------------------------------------------ reports
-- The printed annual report and the pledge posters (report.c). The
-- rankings and compliance figures come from stats.sql, as for the site.

-- name: report_cycle
-- The cycle of the annual report: stats.cycle, else the newest in the
-- assessments or quotas, else the year of the build date.
SELECT COALESCE((SELECT value FROM data_params WHERE key = 'cycle'),
                (SELECT MAX(cycle) FROM data_assessments),
                (SELECT MAX(cycle) FROM data_quotas),
                substr((SELECT value FROM data_params WHERE key = 'build_date'), 1, 4));

-- name: report_ranking
-- The ranking as the build computed it once for the site (stats.sql
-- ranking, kept in stat_ranking).
SELECT rank, region_rank, industry_rank, id, name, region, industry, level, score, missing, cycle
FROM stat_ranking ORDER BY rowid;

-- name: report_compliance
-- The findings as the build computed them (stats.sql compliance), by rule.
SELECT f.rule, r.clause, f.subject, f.name, f.detail
FROM stat_compliance f JOIN stat_rules r ON r.rule = f.rule ORDER BY f.rowid;

-- name: report_regions
-- The regions of the directory, with the collectives listed (状态 ≠ 撤销).
SELECT region, COUNT(*) FROM collectives WHERE status <> '撤销'
GROUP BY region ORDER BY region COLLATE zh_stroke;

-- name: report_directory
-- The directory of the report: by region, then as the public list (级别,
-- then the stroke order of the name).
SELECT id, name, region, level, stars, status, pledge, hotline, org
FROM collectives WHERE status <> '撤销'
ORDER BY region COLLATE zh_stroke,
         CASE level WHEN '全国' THEN 1 WHEN '省级' THEN 2 WHEN '市级' THEN 3
                    WHEN '县级' THEN 4 ELSE 5 END,
         name COLLATE zh_stroke, id;

-- name: report_openweek
-- 开放周 highlights: the newest open-week activities of the cycle with a
-- photo, one per collective.
SELECT a.id, a.date, a.title, a.summary, a.photos, c.name, a.participants, a.served
FROM activities a JOIN collectives c ON c.id = a.collective
WHERE a.kind = '开放周' AND a.date BETWEEN ?1 AND ?2 AND a.photos IS NOT NULL AND a.photos <> ''
  AND a.id = (SELECT b.id FROM activities b
              WHERE b.collective = a.collective AND b.kind = '开放周' AND b.date BETWEEN ?1 AND ?2
                AND b.photos IS NOT NULL AND b.photos <> ''
              ORDER BY b.date DESC, b.id DESC LIMIT 1)
ORDER BY a.date DESC, a.id DESC LIMIT ?3;

-- name: report_notice_count
-- How many notices the cycle had (?1 = first day, ?2 = last).
SELECT COUNT(*) FROM notices WHERE date BETWEEN ?1 AND ?2;

-- name: report_notices
-- The notices of the cycle, oldest first.
SELECT date, number, title, issuer FROM notices
WHERE date BETWEEN ?1 AND ?2 ORDER BY date, title;

-- name: report_posters
-- A poster for every collective that is not revoked.
SELECT id FROM collectives WHERE status <> '撤销' ORDER BY id;

-- name: report_poster
-- What a poster shows of collective ?1.
SELECT id, name, org, level, stars, leader, leader_title, pledge, hotline, address, status
FROM collectives WHERE id = ?1;
