-- Residents who sign up on their own phone (issue 16): the message outbox
-- with one-time codes, a resident's own phone and identity number on the
-- account, and the pre-registration of a whole new household. Same shapes
-- in ../postgres/.

-- Every text the portal sends (a code by SMS) is written here first, in the
-- recipient's language, then delivered by the configured Messenger
-- (server/src/messenger.rs); a failed delivery is retried and stays visible.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    to_phone        TEXT NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('signup','reset')),
    lang            TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- The county whose administrators may read it (the account's); NULL when
    -- no household is known yet: the league's administrators only.
    county_code     TEXT,
    created_at      INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT
);
CREATE INDEX messages_due ON messages(status, next_attempt_at);

-- A one-time code: six digits, kept only as SHA-256 of a random salt and the
-- code; single-use, a few attempts, a short life. The browser holds a random
-- handle (its SHA-256 here) to the row.
CREATE TABLE one_time_codes (
    id           INTEGER PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('signup','reset')),
    phone        TEXT NOT NULL,
    address      TEXT NOT NULL,
    handle_hash  TEXT NOT NULL UNIQUE,
    salt         TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    -- Reset: the account, or NULL when none matched (the answer is the same).
    user_id      INTEGER REFERENCES users(id),
    -- Sign-up: what the resident typed (the password already hashed).
    payload_json TEXT,
    message_id   INTEGER REFERENCES messages(id),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);
CREATE INDEX one_time_codes_phone ON one_time_codes(phone, created_at);
CREATE INDEX one_time_codes_address ON one_time_codes(address, created_at);

-- A resident's own phone and identity number: the member of the household
-- the account holder is, and where a reset code goes.
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN id_number TEXT;
CREATE INDEX users_phone ON users(phone);

-- A whole new household pre-registered by a resident who has none yet, for
-- the office they chose. Completing it opens the household (its number from
-- the household series), moves the members into an ordinary
-- pre-registration and binds the account.
CREATE TABLE household_applications (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL UNIQUE REFERENCES users(id),
    office_code  TEXT NOT NULL REFERENCES org_units(code),
    county_code  TEXT NOT NULL,
    address      TEXT NOT NULL,
    policy_year  INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','completed')),
    household_id INTEGER REFERENCES households(id),
    created_at   INTEGER NOT NULL,
    completed_by INTEGER REFERENCES users(id),
    completed_at INTEGER,
    CHECK (status = 'pending' OR household_id IS NOT NULL)
);
CREATE INDEX household_applications_office ON household_applications(office_code, status);

CREATE TABLE household_application_members (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES household_applications(id),
    id_number      TEXT NOT NULL,
    name           TEXT NOT NULL,
    -- To the head: head, spouse, child, parent, grandchild, other.
    relation       TEXT NOT NULL,
    facts_json     TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (application_id, id_number)
);

CREATE TABLE household_application_documents (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES household_application_members(id),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0),
    evidence_code TEXT NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users(id),
    uploaded_at   INTEGER NOT NULL
);
CREATE INDEX household_application_documents_sha ON household_application_documents(sha256);

-- Household numbers of households opened from such a pre-registration
-- (`household`, per year): the series takes one more kind.
CREATE TABLE number_series_new (
    kind TEXT NOT NULL CHECK (kind IN ('notice','receipt','declaration','card_list','claim','payment_run','household')),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (kind, year)
);
INSERT INTO number_series_new (kind, year, last) SELECT kind, year, last FROM number_series;
DROP TABLE number_series;
ALTER TABLE number_series_new RENAME TO number_series;
