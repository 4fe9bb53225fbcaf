-- Foundation: organisations, accounts, sessions, the audit chain, task leases,
-- and the household/person records every later issue hangs off.
-- Times are integer milliseconds since the Unix epoch (UTC); dates are TEXT YYYY-MM-DD;
-- money is integer fen. The same shapes are in ../postgres/.

CREATE TABLE org_units (
    code        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('league_agency','county_agency','office','school')),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    county_code TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE households (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    office_code TEXT NOT NULL REFERENCES org_units(code),
    county_code TEXT NOT NULL,
    address     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER NOT NULL
);

CREATE TABLE persons (
    id           INTEGER PRIMARY KEY,
    id_number    TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    household_id INTEGER REFERENCES households(id),
    school_code  TEXT REFERENCES org_units(code),
    county_code  TEXT NOT NULL,
    facts_json   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   INTEGER NOT NULL
);
CREATE INDEX persons_household ON persons(household_id);
CREATE INDEX persons_school ON persons(school_code);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('resident','office_agent','school_agent','agency_reviewer','agency_admin')),
    org_code        TEXT REFERENCES org_units(code),
    household_id    INTEGER REFERENCES households(id),
    active          INTEGER NOT NULL DEFAULT 1,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- The head of the chain: one row, updated in the same transaction as each entry,
-- which serialises writers so the chain never forks.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- A scheduled task runs on one instance at a time: the instance holding an unexpired lease.
CREATE TABLE task_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
