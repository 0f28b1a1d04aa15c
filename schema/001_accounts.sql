-- 001: accounts, roles, sessions and login throttling.
-- Times are UTC seconds since the Unix epoch (INTEGER).

CREATE TABLE coop (
  id          INTEGER PRIMARY KEY CHECK (id = 1),   -- one co-op per database
  name        TEXT NOT NULL,
  timezone    TEXT NOT NULL DEFAULT 'Europe/London',
  created_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name        TEXT NOT NULL,
  pwhash      TEXT NOT NULL,                        -- argon2id encoded form
  disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at  INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL
);

CREATE TABLE user_roles (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'treasurer', 'carer', 'member')),
  PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

-- Server-side sessions: the cookie carries a random 256-bit token; only its
-- SHA-256 is stored, so a copy of the database does not hand out sessions.
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins, per account (scope 'account', key = lower-cased email) and
-- per client address (scope 'ip').
CREATE TABLE login_failures (
  scope       TEXT NOT NULL CHECK (scope IN ('account', 'ip')),
  key         TEXT NOT NULL,
  failures    INTEGER NOT NULL,
  last_at     INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
