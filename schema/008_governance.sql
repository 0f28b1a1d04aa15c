-- 008: governance: the rulebook (versioned), proposals' lifecycle, the
-- electorate snapshot, options and candidates, who voted (kept apart from
-- what was voted), the hash-chained ballot log, proxies and comments.
-- docs/ARCHITECTURE.md "Governance" explains the secret-ballot design.

-- The co-op's voting rules. A new version is a new row; old rows are never
-- edited (the triggers below refuse it), so a proposal's result can always
-- be recomputed with the rules it was opened under.
CREATE TABLE rulebooks (
  version         INTEGER PRIMARY KEY CHECK (version >= 1),
  ordinary_num    INTEGER NOT NULL DEFAULT 1,   -- ordinary resolution: more than 1/2
  ordinary_den    INTEGER NOT NULL DEFAULT 2,
  special_num     INTEGER NOT NULL DEFAULT 3,   -- special resolution: at least 3/4
  special_den     INTEGER NOT NULL DEFAULT 4,
  quorum_num      INTEGER NOT NULL DEFAULT 0,   -- share of the electorate that must vote
  quorum_den      INTEGER NOT NULL DEFAULT 1,
  abstain_in_quorum INTEGER NOT NULL DEFAULT 1 CHECK (abstain_in_quorum IN (0, 1)),
  abstain_as_cast INTEGER NOT NULL DEFAULT 0 CHECK (abstain_as_cast IN (0, 1)),  -- 1: abstaining weighs against
  every_class     INTEGER NOT NULL DEFAULT 0 CHECK (every_class IN (0, 1)),  -- majority in every class
  weighting       TEXT NOT NULL DEFAULT 'equal' CHECK (weighting IN ('equal', 'shares', 'capped')),
  empty_class     TEXT NOT NULL DEFAULT 'exclude'
                  CHECK (empty_class IN ('exclude', 'against')),  -- 'shares': a class with no votes cast
  cap_basis       TEXT NOT NULL DEFAULT 'cast' CHECK (cap_basis IN ('cast', 'membership')),
  proxy_limit     INTEGER NOT NULL DEFAULT 5 CHECK (proxy_limit BETWEEN 0 AND 100),
  note            TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  CHECK (ordinary_num >= 0 AND ordinary_den >= 1 AND ordinary_num <= ordinary_den),
  CHECK (special_num >= 0 AND special_den >= 1 AND special_num <= special_den),
  CHECK (quorum_num >= 0 AND quorum_den >= 1 AND quorum_num <= quorum_den)
);

-- Per class: its share of the vote (weighting 'shares', whole percent) or
-- its cap (weighting 'capped': the one class listed, at most this percent).
CREATE TABLE rulebook_classes (
  version     INTEGER NOT NULL REFERENCES rulebooks(version),
  class_id    INTEGER NOT NULL REFERENCES member_classes(id),
  percent     INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
  PRIMARY KEY (version, class_id)
) WITHOUT ROWID;

CREATE TRIGGER rulebooks_frozen BEFORE UPDATE ON rulebooks
BEGIN SELECT RAISE(ABORT, 'a rulebook version is never edited; add a new one'); END;
CREATE TRIGGER rulebooks_kept BEFORE DELETE ON rulebooks
BEGIN SELECT RAISE(ABORT, 'a rulebook version is never deleted'); END;
CREATE TRIGGER rulebook_classes_frozen BEFORE UPDATE ON rulebook_classes
BEGIN SELECT RAISE(ABORT, 'a rulebook version is never edited; add a new one'); END;
CREATE TRIGGER rulebook_classes_kept BEFORE DELETE ON rulebook_classes
BEGIN SELECT RAISE(ABORT, 'a rulebook version is never deleted'); END;

-- Proposals: draft -> open -> closed -> decided (result recorded).
-- CONTRACT (surplus): a proposal is carried exactly when
-- status = 'decided' AND outcome = 'carried'.
ALTER TABLE proposals ADD COLUMN method TEXT NOT NULL DEFAULT 'yesno'
  CHECK (method IN ('yesno', 'stv', 'approval'));
ALTER TABLE proposals ADD COLUMN seats INTEGER NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 50);
ALTER TABLE proposals ADD COLUMN secret INTEGER NOT NULL DEFAULT 1 CHECK (secret IN (0, 1));
ALTER TABLE proposals ADD COLUMN rulebook_version INTEGER REFERENCES rulebooks(version);
ALTER TABLE proposals ADD COLUMN created_at INTEGER;
ALTER TABLE proposals ADD COLUMN closed_at INTEGER;
ALTER TABLE proposals ADD COLUMN decided_at INTEGER;
ALTER TABLE proposals ADD COLUMN outcome TEXT CHECK (outcome IN ('carried', 'lost', 'elected'));
ALTER TABLE proposals ADD COLUMN result TEXT;          -- JSON of the recorded count
-- While open: a random secret that turns a voter into the tag of their
-- ballots (so a changed vote supersedes the old one); wiped at close.
ALTER TABLE proposals ADD COLUMN voter_pepper TEXT;

CREATE TRIGGER proposals_decided_has_outcome BEFORE UPDATE OF status ON proposals
WHEN NEW.status = 'decided' AND (NEW.outcome IS NULL OR NEW.result IS NULL)
BEGIN SELECT RAISE(ABORT, 'a decided proposal records its outcome and result'); END;

-- Candidates (elections) and options (approval polls), in ballot order.
CREATE TABLE proposal_options (
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position BETWEEN 1 AND 100),
  label       TEXT NOT NULL,
  PRIMARY KEY (proposal_id, position)
) WITHOUT ROWID;

-- Members in good standing when the proposal opened, with their class then.
CREATE TABLE electorate (
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  person_id   INTEGER NOT NULL REFERENCES people(id),
  class_id    INTEGER NOT NULL REFERENCES member_classes(id),
  PRIMARY KEY (proposal_id, person_id)
) WITHOUT ROWID;

-- Who has voted (turnout), never what. Keyed by person, without a rowid,
-- so the table keeps no order of arrival; voted_at is cleared at close.
CREATE TABLE voters (
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  person_id   INTEGER NOT NULL REFERENCES people(id),
  cast_by     INTEGER NOT NULL REFERENCES people(id),   -- the proxy holder, or person_id
  voted_at    INTEGER,                                  -- NULL after close
  changes     INTEGER NOT NULL DEFAULT 0,
  receipt     TEXT,                                     -- open (non-secret) ballots only
  PRIMARY KEY (proposal_id, person_id)
) WITHOUT ROWID;

-- The ballot log: append-only and hash-chained per proposal.
-- hash = SHA-256(prev_hash || canonical line), both as lower-case hex text;
-- the first entry's prev_hash is 64 zeros. A changed vote appends a new
-- entry naming the receipt it supersedes; the count takes every entry
-- that no later entry supersedes. voter_tag (SHA-256 of the proposal's
-- pepper and the voter) finds a voter's entry while open; it is not part
-- of the chain and is cleared at close.
CREATE TABLE ballots (
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL CHECK (seq >= 1),
  receipt     TEXT NOT NULL,
  class_code  TEXT NOT NULL,
  choice      TEXT NOT NULL,
  supersedes  TEXT NOT NULL DEFAULT '',
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  voter_tag   TEXT,
  PRIMARY KEY (proposal_id, seq),
  UNIQUE (proposal_id, receipt)
) WITHOUT ROWID;
CREATE INDEX ballots_tag ON ballots(proposal_id, voter_tag) WHERE voter_tag IS NOT NULL;
CREATE INDEX ballots_superseded ON ballots(proposal_id, supersedes) WHERE supersedes <> '';

-- A member who cannot vote may appoint another member for one proposal.
CREATE TABLE proxies (
  id          INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  grantor_id  INTEGER NOT NULL REFERENCES people(id),
  holder_id   INTEGER NOT NULL REFERENCES people(id),
  appointed_at INTEGER NOT NULL,
  used_at     INTEGER,
  revoked_at  INTEGER,
  CHECK (grantor_id <> holder_id)
);
CREATE UNIQUE INDEX proxies_one_live ON proxies(proposal_id, grantor_id) WHERE revoked_at IS NULL;
CREATE INDEX proxies_holder ON proxies(proposal_id, holder_id);

CREATE TABLE proxy_log (
  id          INTEGER PRIMARY KEY,
  proxy_id    INTEGER NOT NULL REFERENCES proxies(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('appointed', 'used', 'revoked')),
  user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX proxy_log_proxy ON proxy_log(proxy_id);

CREATE TABLE proposal_comments (
  id          INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  person_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
  body        TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX proposal_comments_proposal ON proposal_comments(proposal_id, at);

-- The rules every new co-op starts with (model rules of a multi-stakeholder
-- co-op: one member one vote, ordinary > 1/2, special >= 3/4, no quorum).
INSERT INTO rulebooks (version, note, created_at) VALUES (1, 'Starting rules', 0);
