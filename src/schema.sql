-- schema.sql — the database every stage of liang reads from.
--
-- One table per input file (data_<name>), holding every column of
-- DATA.md under its English id, private columns included, plus `line`:
-- the line of the CSV file the row came from, for diagnostics.
--
-- Public views carry the plain names (collectives, members, …). They are
-- the only thing that `sql` blocks in Markdown and the open-data
-- downloads may read: private columns are not in them, and a member's
-- name is masked unless the member agreed to be named.

CREATE TABLE data_collectives (
  line         INTEGER NOT NULL,
  id           TEXT NOT NULL,
  name         TEXT NOT NULL,
  org          TEXT NOT NULL,
  region       TEXT NOT NULL,
  industry     TEXT NOT NULL,
  category     TEXT NOT NULL,
  ownership    TEXT NOT NULL,
  level        TEXT NOT NULL,
  awarded      INTEGER,
  stars        INTEGER,
  decree       TEXT,
  status       TEXT NOT NULL,
  founded      TEXT,
  leader       TEXT NOT NULL,
  leader_title TEXT,
  staff        INTEGER NOT NULL,
  youth        INTEGER NOT NULL,
  avg_age      REAL,
  pledge       TEXT NOT NULL,
  hotline      TEXT NOT NULL,
  address      TEXT,
  supervisor   TEXT,
  contact      TEXT,   -- 私密
  contact_phone TEXT,  -- 私密
  wechat       TEXT    -- 私密
);

CREATE TABLE data_members (
  line         INTEGER NOT NULL,
  collective   TEXT NOT NULL,
  name         TEXT NOT NULL,  -- public only when consent = '是'
  consent      TEXT,
  post         TEXT,
  birth_year   INTEGER,        -- 私密: aggregates only
  affiliation  TEXT,           -- 私密: aggregates only
  phone        TEXT,           -- 私密
  photo        TEXT            -- public only when consent = '是'
);

CREATE TABLE data_activities (
  line         INTEGER NOT NULL,
  id           TEXT NOT NULL,
  collective   TEXT NOT NULL,
  date         TEXT NOT NULL,
  kind         TEXT NOT NULL,
  title        TEXT NOT NULL,
  participants INTEGER,
  served       INTEGER,
  photos       TEXT,
  summary      TEXT
);

CREATE TABLE data_works (
  line         INTEGER NOT NULL,
  id           TEXT NOT NULL,
  collective   TEXT NOT NULL,
  category     TEXT NOT NULL,
  title        TEXT NOT NULL,
  form         TEXT NOT NULL,
  summary      TEXT,
  files        TEXT
);

CREATE TABLE data_quotas (
  line         INTEGER NOT NULL,
  cycle        TEXT NOT NULL,
  dimension    TEXT NOT NULL,
  name         TEXT NOT NULL,
  quota        INTEGER NOT NULL
);

CREATE TABLE data_assessments (
  line         INTEGER NOT NULL,
  cycle        TEXT NOT NULL,
  collective   TEXT NOT NULL,
  item         TEXT NOT NULL,
  score        REAL NOT NULL
);

CREATE TABLE data_surveys (
  line         INTEGER NOT NULL,
  collective   TEXT NOT NULL,
  quarter      TEXT NOT NULL,
  responses    INTEGER NOT NULL,
  satisfied    INTEGER NOT NULL,
  complaints   INTEGER NOT NULL,
  resolved     INTEGER
);

CREATE TABLE data_pairings (
  line         INTEGER NOT NULL,
  collective   TEXT NOT NULL,
  partner      TEXT NOT NULL,
  partner_kind TEXT NOT NULL,
  since        TEXT NOT NULL,
  deeds        INTEGER NOT NULL
);

CREATE TABLE data_units (
  line         INTEGER NOT NULL,
  cycle        TEXT NOT NULL,
  unit         TEXT NOT NULL,
  item         TEXT NOT NULL,
  score        REAL NOT NULL
);

-- Markdown content: notices (通知) and other pages.
CREATE TABLE data_notices (
  slug         TEXT NOT NULL,   -- from the file name
  path         TEXT NOT NULL,   -- relative to the site
  title        TEXT NOT NULL,
  number       TEXT,            -- 文号
  issuer       TEXT,
  date         TEXT NOT NULL,
  deadline     TEXT,
  tags         TEXT,            -- ';'-separated
  attachments  TEXT,            -- ';'-separated paths under content/
  draft        INTEGER NOT NULL DEFAULT 0,
  body         TEXT NOT NULL,   -- Markdown, front matter removed
  body_line    INTEGER NOT NULL -- line of the file where body starts
);

CREATE TABLE data_pages (
  slug         TEXT NOT NULL,
  path         TEXT NOT NULL,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  body_line    INTEGER NOT NULL
);

-- Stories and write-ups: content/{collectives,activities,works}/<编号>.md
CREATE TABLE data_texts (
  kind         TEXT NOT NULL,   -- 'collective' | 'activity' | 'work'
  id           TEXT NOT NULL,
  path         TEXT NOT NULL,
  body         TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);

-- ------------------------------------------------------------ public views

-- Settings the statistics read (site.yaml, with their defaults), and
-- the weight of each assessment item: see liang_site_params.
CREATE TABLE data_params (
  key          TEXT PRIMARY KEY,
  value
);
CREATE TABLE data_weights (
  item         TEXT PRIMARY KEY,
  weight       REAL NOT NULL
);

-- 名额: the registered candidates (级别 = 创建, 状态 ≠ 撤销) of each row of
-- quotas.csv against quota_ratio times its quota. One definition for the
-- loader's warning, `liang stats quota` and the compliance check.
CREATE VIEW quota_status AS
SELECT q.line, q.cycle, q.dimension, q.name, q.quota, COUNT(c.id) AS candidates, p.ratio,
       CAST(q.quota * p.ratio + 0.999999 AS INTEGER) AS needed,
       COUNT(c.id) >= q.quota * p.ratio AS meets
FROM data_quotas q
CROSS JOIN (SELECT CAST(value AS REAL) AS ratio FROM data_params WHERE key = 'quota_ratio') p
LEFT JOIN data_collectives c
  ON c.level = '创建' AND c.status <> '撤销'
 AND ((q.dimension = '地区' AND c.region = q.name) OR (q.dimension = '行业' AND c.industry = q.name))
GROUP BY q.line;

-- Each region with a quota should put forward at least one candidate from
-- a 非公经济组织 or a 社会组织: the regions that do not.
CREATE VIEW region_without_private AS
SELECT MIN(q.line) AS line, q.name
FROM data_quotas q
WHERE q.dimension = '地区' AND q.quota > 0
  AND NOT EXISTS (SELECT 1 FROM data_collectives c
                  WHERE c.region = q.name AND c.level = '创建' AND c.status <> '撤销'
                    AND c.ownership IN ('非公经济组织', '社会组织'))
GROUP BY q.name;

CREATE VIEW collectives AS
SELECT id, name, org, region, industry, category, ownership, level, awarded,
       stars, decree, status, founded, leader, leader_title, staff, youth,
       avg_age, pledge, hotline, address, supervisor
FROM data_collectives;

-- 张三 → 张** unless the member agreed to be named; a photo only with
-- consent.
CREATE VIEW members AS
SELECT collective,
       CASE WHEN consent = '是' THEN name ELSE substr(name, 1, 1) || '**' END AS name,
       COALESCE(consent, '否') AS consent,
       post,
       CASE WHEN consent = '是' THEN photo END AS photo
FROM data_members;

CREATE VIEW activities AS
SELECT id, collective, date, kind, title, participants, served, photos, summary
FROM data_activities;

CREATE VIEW works AS
SELECT id, collective, category, title, form, summary, files FROM data_works;

CREATE VIEW quotas AS
SELECT cycle, dimension, name, quota FROM data_quotas;

CREATE VIEW assessments AS
SELECT cycle, collective, item, score FROM data_assessments;

CREATE VIEW surveys AS
SELECT collective, quarter, responses, satisfied, complaints, resolved
FROM data_surveys;

CREATE VIEW pairings AS
SELECT collective, partner, partner_kind, since, deeds FROM data_pairings;

CREATE VIEW units AS
SELECT cycle, unit, item, score FROM data_units;

CREATE VIEW notices AS
SELECT slug, title, number, issuer, date, deadline, tags
FROM data_notices WHERE draft = 0;
