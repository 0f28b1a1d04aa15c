-- 007: calendar feeds. Each subscriber (a carer, a person receiving care or
-- a family viewer, a coordinator) has a secret 256-bit token per feed; the
-- feed is served at /ical/TOKEN.ics to calendar apps that cannot log in.
--
-- The token is kept (not only its hash) because the link is shown again on
-- the feed page and printed by `carecoop feeds`; lookups go through its
-- SHA-256 so the secret is never compared byte by byte in the B-tree.

CREATE TABLE feed_tokens (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('carer', 'recipient', 'coordinator')),
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  person_id     INTEGER REFERENCES people(id) ON DELETE CASCADE, -- whose visits (not for coordinator)
  token         TEXT NOT NULL,                        -- 64 hex digits
  token_sha256  TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  CHECK ((kind = 'coordinator') = (person_id IS NULL))
);
-- At most one live feed per subscriber and subject.
CREATE UNIQUE INDEX feed_tokens_live ON feed_tokens(user_id, kind, ifnull(person_id, 0))
  WHERE revoked_at IS NULL;

-- What the feeds show: a co-op setting, shown on the feed page. By default
-- a first name and an area, never the full address or the visit's tasks
-- (which can carry health details).
CREATE TABLE feed_settings (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  location         TEXT NOT NULL DEFAULT 'area' CHECK (location IN ('none', 'area', 'address')),
  include_tasks    INTEGER NOT NULL DEFAULT 0 CHECK (include_tasks IN (0, 1)),
  refresh_minutes  INTEGER NOT NULL DEFAULT 60 CHECK (refresh_minutes BETWEEN 15 AND 1440),
  updated_at       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO feed_settings (id) VALUES (1);

-- Raised by every change that can alter a feed; the server's feed cache
-- keeps a generated feed only while this number is unchanged.
CREATE TABLE feed_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  generation  INTEGER NOT NULL
);
INSERT INTO feed_state (id, generation) VALUES (1, 1);

CREATE TRIGGER feed_gen_visit_ins AFTER INSERT ON visits
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_visit_upd AFTER UPDATE ON visits
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_visit_del AFTER DELETE ON visits
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_vc_ins AFTER INSERT ON visit_carers
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_vc_del AFTER DELETE ON visit_carers
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_week AFTER UPDATE OF status, version ON rota_weeks
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_week_del AFTER DELETE ON rota_weeks
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_settings AFTER UPDATE ON feed_settings
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_coop AFTER UPDATE OF name, timezone ON coop
BEGIN UPDATE feed_state SET generation = generation + 1; END;

-- Who may read which feed: a revoked or regenerated link, a disabled
-- account, a lost role or a family viewer removed must end the old feed at
-- once, so these also drop every cached feed.
CREATE TRIGGER feed_gen_token AFTER UPDATE ON feed_tokens
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_user AFTER UPDATE OF disabled ON users
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_user_del AFTER DELETE ON users
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_role_ins AFTER INSERT ON user_roles
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_role_del AFTER DELETE ON user_roles
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_viewer_ins AFTER INSERT ON recipient_viewers
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_viewer_del AFTER DELETE ON recipient_viewers
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_carer_del AFTER DELETE ON carers
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_recipient_del AFTER DELETE ON recipients
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_gen_person_user AFTER UPDATE OF user_id ON people
BEGIN UPDATE feed_state SET generation = generation + 1; END;

-- A person's first name, area or address is part of other people's feeds.
-- A change of address or area is a change of place: the person's visits
-- still to come get a higher SEQUENCE so calendar apps take the new
-- LOCATION (RFC 5545 section 3.8.7.4).
CREATE TRIGGER feed_gen_person AFTER UPDATE OF known_as, area, address ON people
BEGIN UPDATE feed_state SET generation = generation + 1; END;
CREATE TRIGGER feed_place_change AFTER UPDATE OF area, address ON people
WHEN ifnull(OLD.area, '') <> ifnull(NEW.area, '') OR ifnull(OLD.address, '') <> ifnull(NEW.address, '')
BEGIN
  UPDATE visits SET sequence = sequence + 1, updated_at = unixepoch()
   WHERE recipient_id = NEW.id AND status = 'planned' AND starts_at > unixepoch();
END;

-- When a visit was cancelled: cancelled visits stay in feeds (STATUS:CANCELLED)
-- for 14 days after this.
ALTER TABLE visits ADD COLUMN cancelled_at INTEGER;

-- Who may subscribe to what: a carer to their own visits, a person
-- receiving care and each of their family viewers to that person's visits,
-- a coordinator to every visit. Disabled accounts are entitled to nothing.
-- A feed whose subscriber has lost the entitlement stops working (404).
CREATE VIEW feed_entitlements (user_id, kind, person_id, person_name) AS
  SELECT u.id, 'carer', p.id, p.known_as
    FROM users u JOIN people p ON p.user_id = u.id JOIN carers c ON c.person_id = p.id
   WHERE u.disabled = 0
     AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'carer')
  UNION
  SELECT u.id, 'recipient', p.id, p.known_as
    FROM users u JOIN people p ON p.user_id = u.id JOIN recipients rc ON rc.person_id = p.id
   WHERE u.disabled = 0
  UNION
  SELECT u.id, 'recipient', p.id, p.known_as
    FROM recipient_viewers v JOIN users u ON u.id = v.user_id JOIN people p ON p.id = v.recipient_id
   WHERE u.disabled = 0
  UNION
  SELECT u.id, 'coordinator', NULL, ''
    FROM users u
   WHERE u.disabled = 0
     AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'coordinator');
