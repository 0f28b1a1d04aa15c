-- 009: sharing the year's surplus: the surplus rulebook (versioned), runs for
-- a financial year, and the lines and class totals frozen when the members
-- approve a run. Money is integer pence; percentages are basis points
-- (1 bp = 0.01 %). docs/ARCHITECTURE.md "Surplus" gives the allocation rules.

-- The co-op's rules for sharing a surplus. A new version is a new row; old
-- rows are never edited or deleted (triggers), so every run can be
-- recomputed with the rules it named.
CREATE TABLE surplus_rulebooks (
  version       INTEGER PRIMARY KEY CHECK (version >= 1),
  reserve_bp    INTEGER NOT NULL CHECK (reserve_bp BETWEEN 0 AND 10000),   -- general reserve
  fund_bp       INTEGER NOT NULL CHECK (fund_bp BETWEEN 0 AND 10000),      -- community fund
  interest_bp   INTEGER NOT NULL CHECK (interest_bp BETWEEN 0 AND 10000),  -- a year, on share capital
  interest_cap_pence INTEGER CHECK (interest_cap_pence >= 0),              -- per member; NULL: no cap
  note          TEXT NOT NULL DEFAULT '',
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  CHECK (reserve_bp + fund_bp <= 10000)
);

-- Each class's share of the dividend pool and how it is split within the
-- class. Classes not listed get interest on their shares only.
CREATE TABLE surplus_rulebook_classes (
  version     INTEGER NOT NULL REFERENCES surplus_rulebooks(version),
  class_id    INTEGER NOT NULL REFERENCES member_classes(id),
  pool_bp     INTEGER NOT NULL CHECK (pool_bp BETWEEN 0 AND 10000),
  basis       TEXT NOT NULL
              CHECK (basis IN ('hours_worked', 'care_received', 'share_capital', 'equal')),
  PRIMARY KEY (version, class_id)
) WITHOUT ROWID;

CREATE TRIGGER surplus_rulebooks_frozen BEFORE UPDATE ON surplus_rulebooks
BEGIN SELECT RAISE(ABORT, 'a surplus rulebook version is never edited; add a new one'); END;
CREATE TRIGGER surplus_rulebooks_kept BEFORE DELETE ON surplus_rulebooks
BEGIN SELECT RAISE(ABORT, 'a surplus rulebook version is never deleted'); END;
CREATE TRIGGER surplus_rulebook_classes_frozen BEFORE UPDATE ON surplus_rulebook_classes
BEGIN SELECT RAISE(ABORT, 'a surplus rulebook version is never edited; add a new one'); END;
CREATE TRIGGER surplus_rulebook_classes_kept BEFORE DELETE ON surplus_rulebook_classes
BEGIN SELECT RAISE(ABORT, 'a surplus rulebook version is never deleted'); END;

-- A surplus run: draft (the treasurer previews and compares) -> approved
-- (linked to the carried proposal; lines frozen) -> paid. An approved run
-- is never changed: a correction is a new run.
CREATE TABLE surplus_runs (
  id            INTEGER PRIMARY KEY,
  year_start    TEXT NOT NULL,                        -- YYYY-MM-DD, first day
  year_end      TEXT NOT NULL,                        -- YYYY-MM-DD, last day
  surplus_pence INTEGER NOT NULL CHECK (surplus_pence >= 0),
  rulebook_version INTEGER NOT NULL REFERENCES surplus_rulebooks(version),
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'paid')),
  note          TEXT NOT NULL DEFAULT '',
  whatif        TEXT,                                 -- the treasurer's what-if rules, JSON
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  proposal_id   INTEGER REFERENCES proposals(id),     -- the members' decision
  approved_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  approved_at   INTEGER,
  paid_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  paid_at       INTEGER,
  -- Totals frozen at approval (NULL while draft).
  reserve_pence INTEGER,
  fund_pence    INTEGER,
  interest_pence INTEGER,
  dividend_pence INTEGER,
  CHECK (year_end > year_start),
  CHECK (status = 'draft' OR (proposal_id IS NOT NULL AND approved_at IS NOT NULL
                              AND reserve_pence IS NOT NULL)),
  CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);
-- One decision approves one distribution.
CREATE UNIQUE INDEX surplus_runs_proposal ON surplus_runs(proposal_id)
  WHERE proposal_id IS NOT NULL;

-- An approved run changes only from approved to paid, and nothing else.
CREATE TRIGGER surplus_runs_frozen BEFORE UPDATE ON surplus_runs
WHEN OLD.status <> 'draft' AND NOT (
  OLD.status = 'approved' AND NEW.status = 'paid' AND NEW.paid_at IS NOT NULL
  AND NEW.year_start IS OLD.year_start AND NEW.year_end IS OLD.year_end
  AND NEW.surplus_pence IS OLD.surplus_pence
  AND NEW.rulebook_version IS OLD.rulebook_version AND NEW.note IS OLD.note
  AND NEW.whatif IS OLD.whatif AND NEW.proposal_id IS OLD.proposal_id
  AND NEW.approved_by IS OLD.approved_by AND NEW.approved_at IS OLD.approved_at
  AND NEW.reserve_pence IS OLD.reserve_pence AND NEW.fund_pence IS OLD.fund_pence
  AND NEW.interest_pence IS OLD.interest_pence AND NEW.dividend_pence IS OLD.dividend_pence)
BEGIN SELECT RAISE(ABORT, 'an approved surplus run is never changed; make a new run'); END;
CREATE TRIGGER surplus_runs_kept BEFORE DELETE ON surplus_runs
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an approved surplus run is never deleted'); END;

-- Each member's share, written in the transaction that approves the run
-- (while it is still a draft) and never changed afterwards.
CREATE TABLE surplus_run_lines (
  run_id        INTEGER NOT NULL REFERENCES surplus_runs(id),
  membership_id INTEGER NOT NULL,                     -- memberships.id then
  person_id     INTEGER NOT NULL REFERENCES people(id),
  full_name     TEXT NOT NULL,                        -- as at approval
  class_id      INTEGER NOT NULL REFERENCES member_classes(id),
  basis         TEXT,                                 -- NULL: the class has no share
  days          INTEGER NOT NULL CHECK (days >= 1),   -- of membership in the year
  good_standing INTEGER NOT NULL CHECK (good_standing IN (0, 1)),
  worked_minutes INTEGER NOT NULL CHECK (worked_minutes >= 0),  -- visits + travel
  care_minutes  INTEGER NOT NULL CHECK (care_minutes >= 0),
  share_pence   INTEGER NOT NULL CHECK (share_pence >= 0),
  weight        INTEGER NOT NULL CHECK (weight >= 0), -- the basis figure in the class
  interest_pence INTEGER NOT NULL CHECK (interest_pence >= 0),
  dividend_pence INTEGER NOT NULL CHECK (dividend_pence >= 0),
  total_pence   INTEGER NOT NULL CHECK (total_pence = interest_pence + dividend_pence),
  PRIMARY KEY (run_id, membership_id)
) WITHOUT ROWID;
CREATE INDEX surplus_run_lines_person ON surplus_run_lines(person_id);

-- Each class's pool in an approved run (for statements: "your 600 hours of
-- the class's 9,000").
CREATE TABLE surplus_run_classes (
  run_id        INTEGER NOT NULL REFERENCES surplus_runs(id),
  class_id      INTEGER NOT NULL REFERENCES member_classes(id),
  pool_bp       INTEGER NOT NULL,
  basis         TEXT NOT NULL,
  pool_pence    INTEGER NOT NULL CHECK (pool_pence >= 0),
  paid_pence    INTEGER NOT NULL CHECK (paid_pence >= 0),
  weight_total  INTEGER NOT NULL CHECK (weight_total >= 0),
  members       INTEGER NOT NULL CHECK (members >= 0),
  PRIMARY KEY (run_id, class_id)
) WITHOUT ROWID;

CREATE TRIGGER surplus_run_lines_insert BEFORE INSERT ON surplus_run_lines
WHEN (SELECT status FROM surplus_runs WHERE id = NEW.run_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'an approved surplus run is never changed; make a new run'); END;
CREATE TRIGGER surplus_run_lines_frozen BEFORE UPDATE ON surplus_run_lines
BEGIN SELECT RAISE(ABORT, 'surplus run lines are never changed; make a new run'); END;
CREATE TRIGGER surplus_run_lines_kept BEFORE DELETE ON surplus_run_lines
WHEN (SELECT status FROM surplus_runs WHERE id = OLD.run_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'an approved surplus run is never changed; make a new run'); END;
CREATE TRIGGER surplus_run_classes_insert BEFORE INSERT ON surplus_run_classes
WHEN (SELECT status FROM surplus_runs WHERE id = NEW.run_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'an approved surplus run is never changed; make a new run'); END;
CREATE TRIGGER surplus_run_classes_frozen BEFORE UPDATE ON surplus_run_classes
BEGIN SELECT RAISE(ABORT, 'surplus run lines are never changed; make a new run'); END;
CREATE TRIGGER surplus_run_classes_kept BEFORE DELETE ON surplus_run_classes
WHEN (SELECT status FROM surplus_runs WHERE id = OLD.run_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'an approved surplus run is never changed; make a new run'); END;
