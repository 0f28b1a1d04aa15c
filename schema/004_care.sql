-- 004: the care model: skills, carers' availability and leave, recipients'
-- sensitive notes, excluded carers, family viewers, care plans, audit log.

CREATE TABLE skills (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,                 -- 'meds', 'hoist' ...
  name        TEXT NOT NULL
);

CREATE TABLE carer_skills (
  carer_id    INTEGER NOT NULL REFERENCES carers(person_id) ON DELETE CASCADE,
  skill_id    INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  PRIMARY KEY (carer_id, skill_id)
) WITHOUT ROWID;

-- The weekly pattern: minutes after local midnight, Monday = 1.
CREATE TABLE availability (
  id          INTEGER PRIMARY KEY,
  carer_id    INTEGER NOT NULL REFERENCES carers(person_id) ON DELETE CASCADE,
  weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
  end_min     INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
  CHECK (end_min > start_min)
);
CREATE INDEX availability_carer ON availability(carer_id, weekday);

-- Dated exceptions: leave (requested, then approved or refused), sickness,
-- extra availability. Local date-times 'YYYY-MM-DDTHH:MM'.
CREATE TABLE availability_exceptions (
  id          INTEGER PRIMARY KEY,
  carer_id    INTEGER NOT NULL REFERENCES carers(person_id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('leave', 'sickness', 'extra')),
  starts_at   TEXT NOT NULL,
  ends_at     TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'refused')),
  note        TEXT NOT NULL DEFAULT '',
  created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decided_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER,
  CHECK (ends_at > starts_at)
);
CREATE INDEX exceptions_carer ON availability_exceptions(carer_id, starts_at);

ALTER TABLE recipients ADD COLUMN notes TEXT NOT NULL DEFAULT '';      -- health: sensitive
ALTER TABLE recipients ADD COLUMN key_safe TEXT NOT NULL DEFAULT '';   -- access: sensitive

CREATE TABLE recipient_excluded (
  recipient_id INTEGER NOT NULL REFERENCES recipients(person_id) ON DELETE CASCADE,
  carer_id     INTEGER NOT NULL REFERENCES carers(person_id) ON DELETE CASCADE,
  PRIMARY KEY (recipient_id, carer_id)
) WITHOUT ROWID;

-- Family members or representatives who may see the person's schedule.
CREATE TABLE recipient_viewers (
  recipient_id INTEGER NOT NULL REFERENCES recipients(person_id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  relationship TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (recipient_id, user_id)
) WITHOUT ROWID;

-- A care plan is a set of recurring visits, each valid over a date range;
-- a change over time ends one line and starts another.
CREATE TABLE plan_lines (
  id           INTEGER PRIMARY KEY,
  recipient_id INTEGER NOT NULL REFERENCES recipients(person_id) ON DELETE CASCADE,
  days         INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127), -- bit 0 = Monday
  start_min    INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
  minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
  carers       INTEGER NOT NULL CHECK (carers IN (1, 2)),
  tasks        TEXT NOT NULL DEFAULT '',
  valid_from   TEXT NOT NULL,
  valid_to     TEXT,                                 -- NULL: open-ended
  replaces     INTEGER REFERENCES plan_lines(id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX plan_lines_recipient ON plan_lines(recipient_id);

CREATE TABLE plan_line_skills (
  line_id     INTEGER NOT NULL REFERENCES plan_lines(id) ON DELETE CASCADE,
  skill_id    INTEGER NOT NULL REFERENCES skills(id),
  PRIMARY KEY (line_id, skill_id)
) WITHOUT ROWID;

-- Who saw or changed which care record, and when.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
  action      TEXT NOT NULL CHECK (action IN ('view', 'create', 'update', 'delete', 'import')),
  object      TEXT NOT NULL,                        -- 'recipient', 'carer', 'membership' ...
  object_id   INTEGER,
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_object ON audit_log(object, object_id);

-- One current membership per person.
CREATE UNIQUE INDEX memberships_one_current ON memberships(person_id) WHERE left_on IS NULL;
