-- 002: the co-op's register: member classes, people, memberships, carers,
-- people receiving care and their care teams.

CREATE TABLE member_classes (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,                 -- e.g. 'worker', 'recipient'
  name        TEXT NOT NULL,
  position    INTEGER NOT NULL DEFAULT 0            -- display order
);

CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  full_name   TEXT NOT NULL,
  known_as    TEXT NOT NULL,                        -- first name shown to others
  email       TEXT,
  phone       TEXT,
  address     TEXT,
  area        TEXT,                                 -- neighbourhood, safe to show
  lat         REAL CHECK (lat BETWEEN -90 AND 90),
  lon         REAL CHECK (lon BETWEEN -180 AND 180),
  user_id     INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE memberships (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  class_id    INTEGER NOT NULL REFERENCES member_classes(id),
  joined_on   TEXT NOT NULL,                        -- YYYY-MM-DD
  left_on     TEXT,                                 -- NULL while a member
  share_pence INTEGER NOT NULL DEFAULT 0 CHECK (share_pence >= 0),
  good_standing INTEGER NOT NULL DEFAULT 1 CHECK (good_standing IN (0, 1)),
  CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX memberships_person ON memberships(person_id);

CREATE TABLE carers (
  person_id         INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  contract_minutes  INTEGER NOT NULL CHECK (contract_minutes >= 0),
  max_week_minutes  INTEGER NOT NULL DEFAULT 2880 CHECK (max_week_minutes > 0)
);

CREATE TABLE recipients (
  person_id   INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE
);

-- The small team of regular carers a person receiving care has chosen, in
-- order of preference (rank 1 first).
CREATE TABLE care_team (
  recipient_id INTEGER NOT NULL REFERENCES recipients(person_id) ON DELETE CASCADE,
  carer_id     INTEGER NOT NULL REFERENCES carers(person_id) ON DELETE CASCADE,
  rank         INTEGER NOT NULL CHECK (rank >= 1),
  PRIMARY KEY (recipient_id, carer_id)
) WITHOUT ROWID;
