-- 006: rota weeks, their visits and assignments, and the changes made after
-- a week is published (they reach carers' calendars).

CREATE TABLE rota_weeks (
  id            INTEGER PRIMARY KEY,
  week_start    TEXT NOT NULL UNIQUE,                 -- the Monday, local date
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  version       INTEGER NOT NULL DEFAULT 0,           -- raised by each publish
  published_at  INTEGER,
  published_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  solve_status  TEXT NOT NULL DEFAULT 'idle'
                CHECK (solve_status IN ('idle', 'running', 'done', 'failed')),
  solve_cost    INTEGER,
  solve_uncovered INTEGER,
  solve_message TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL
);

CREATE TABLE visits (
  id            INTEGER PRIMARY KEY,
  week_id       INTEGER NOT NULL REFERENCES rota_weeks(id) ON DELETE CASCADE,
  plan_line_id  INTEGER REFERENCES plan_lines(id) ON DELETE SET NULL,
  recipient_id  INTEGER NOT NULL REFERENCES recipients(person_id) ON DELETE CASCADE,
  local_start   TEXT NOT NULL,                        -- 'YYYY-MM-DDTHH:MM', co-op zone
  starts_at     INTEGER NOT NULL,                     -- UTC seconds
  minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  carers_needed INTEGER NOT NULL CHECK (carers_needed IN (1, 2)),
  skills        TEXT NOT NULL DEFAULT '',             -- codes, comma-separated
  tasks         TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
  uid           TEXT NOT NULL UNIQUE,                 -- stable across rebuilds (iCal UID)
  sequence      INTEGER NOT NULL DEFAULT 0,           -- raised when time, place or carer change
  updated_at    INTEGER NOT NULL,
  UNIQUE (week_id, plan_line_id, local_start)
);
CREATE INDEX visits_week ON visits(week_id, starts_at);

CREATE TABLE visit_carers (
  visit_id      INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
  carer_id      INTEGER NOT NULL REFERENCES carers(person_id) ON DELETE CASCADE,
  pinned        INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  PRIMARY KEY (visit_id, carer_id)
) WITHOUT ROWID;
CREATE INDEX visit_carers_carer ON visit_carers(carer_id);

CREATE TABLE rota_changes (
  id            INTEGER PRIMARY KEY,
  week_id       INTEGER NOT NULL REFERENCES rota_weeks(id) ON DELETE CASCADE,
  at            INTEGER NOT NULL,
  user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  visit_id      INTEGER REFERENCES visits(id) ON DELETE SET NULL,
  detail        TEXT NOT NULL
);
