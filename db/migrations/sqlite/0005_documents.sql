-- Documents and residents' pre-registrations. The bytes of a document live
-- outside the database, in the document store, named by their SHA-256; a row
-- here says whose it is, what it is and who brought it. The same shapes are
-- in ../postgres/.
--
-- A pre-registration is kept apart from `enrolments` so that the
-- maker-checker flow there keeps its four statuses: a resident's entry is not
-- an enrolment until an office registers it, and completing one makes an
-- ordinary enrolment (`enrolment_id`).
CREATE TABLE pre_registrations (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    policy_year  INTEGER NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    UNIQUE (household_id, policy_year)
);

CREATE TABLE pre_registration_members (
    id                  INTEGER PRIMARY KEY,
    pre_registration_id INTEGER NOT NULL REFERENCES pre_registrations(id),
    id_number           TEXT NOT NULL,
    name                TEXT NOT NULL,
    -- The RULES-API `person` facts, as the resident gave them (and the office corrected them).
    facts_json          TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('pending','completed')),
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          INTEGER NOT NULL,
    completed_by        INTEGER REFERENCES users(id),
    completed_at        INTEGER,
    enrolment_id        INTEGER REFERENCES enrolments(id),
    UNIQUE (pre_registration_id, id_number),
    CHECK (status = 'pending' OR (completed_by IS NOT NULL AND enrolment_id IS NOT NULL))
);
CREATE INDEX pre_registration_members_status ON pre_registration_members(status);

CREATE TABLE documents (
    id                         INTEGER PRIMARY KEY,
    sha256                     TEXT NOT NULL CHECK (length(sha256) = 64),
    content_type               TEXT NOT NULL CHECK (content_type IN ('image/jpeg','image/png','image/webp','image/heic','application/pdf')),
    size_bytes                 INTEGER NOT NULL CHECK (size_bytes > 0),
    -- Every document belongs to a household: that is what scopes who may open it.
    household_id               INTEGER NOT NULL REFERENCES households(id),
    person_id                  INTEGER REFERENCES persons(id),
    pre_registration_member_id INTEGER REFERENCES pre_registration_members(id),
    -- What the uploader says it is (an evidence code of enrolment); NULL if unsaid.
    evidence_code              TEXT,
    uploaded_by                INTEGER NOT NULL REFERENCES users(id),
    uploaded_at                INTEGER NOT NULL
);
CREATE INDEX documents_sha ON documents(sha256);
CREATE INDEX documents_household ON documents(household_id);
-- The same bytes brought again for the same purpose are the same document.
CREATE UNIQUE INDEX documents_once ON documents(sha256, household_id, COALESCE(pre_registration_member_id, 0),
                                                COALESCE(person_id, 0), COALESCE(evidence_code, ''));
