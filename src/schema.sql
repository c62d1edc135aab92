-- schema.sql — the database every stage of liang reads from.
--
-- One table per input file (data_<name>), holding every column of
-- DATA.md under its English id, private columns included, plus `line`:
-- the line of the CSV file the row came from, for diagnostics.
--
-- The public views over these tables (collectives, members, …) are in
-- views.sql.

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

-- ------------------------------------------------------------ settings

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
