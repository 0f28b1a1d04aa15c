-- 003: proposals put to the members.

CREATE TABLE proposals (
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('ordinary', 'special', 'election', 'poll')),
  status      TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'decided')),
  author_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
  opens_at    INTEGER,
  closes_at   INTEGER,
  CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
);
