-- Claims (RULES.md §5–7): emergency reports, prior approvals, claims with
-- their two reviews, payment runs, fraud suspensions. Times integer
-- milliseconds, days TEXT 'YYYY-MM-DD' (Beijing), money integer fen. Same
-- shapes in ../postgres/.

CREATE TABLE number_series_new (
    kind TEXT NOT NULL CHECK (kind IN ('notice','receipt','declaration','card_list','claim','payment_run')),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (kind, year)
);
INSERT INTO number_series_new (kind, year, last) SELECT kind, year, last FROM number_series;
DROP TABLE number_series;
ALTER TABLE number_series_new RENAME TO number_series;

-- A resident reports an emergency at a non-designated hospital, or an
-- outpatient emergency rescue, within 3 days (M21, M22). A late report is
-- refused, so every row here was filed in time; `days_after` is what the
-- benefit rule reads (`filed_within_days`).
CREATE TABLE emergency_reports (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL CHECK (kind IN ('nondesignated_emergency','outpatient_emergency')),
    occurred_on  TEXT NOT NULL,
    hospital     TEXT NOT NULL,
    note         TEXT NOT NULL,
    reported_by  INTEGER NOT NULL REFERENCES users(id),
    reported_at  INTEGER NOT NULL,
    reported_on  TEXT NOT NULL,
    days_after   INTEGER NOT NULL CHECK (days_after >= 0)
);
CREATE INDEX emergency_reports_person ON emergency_reports(person_id);

-- Approvals that must come before the care (M18, M19, M23, M14): a transfer
-- out of the area, a special-disease treatment, a special item over the
-- threshold. The resident asks; an agency reviewer answers.
CREATE TABLE prior_approvals (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons(id),
    kind          TEXT NOT NULL CHECK (kind IN ('transfer','special_disease','special_item')),
    disease       TEXT,
    hospital      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    amount_fen    INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),
    -- An emergency transfer or item done first, approved afterwards within 3 days (M19, M14).
    emergency     INTEGER NOT NULL CHECK (emergency IN (0, 1)),
    care_on       TEXT NOT NULL,
    requested_by  INTEGER NOT NULL REFERENCES users(id),
    requested_at  INTEGER NOT NULL,
    requested_on  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('requested','approved','refused')),
    decided_by    INTEGER REFERENCES users(id),
    decided_at    INTEGER,
    decision_note TEXT,
    CHECK ((status = 'requested') = (decided_by IS NULL))
);
CREATE INDEX prior_approvals_person ON prior_approvals(person_id, kind);
CREATE INDEX prior_approvals_status ON prior_approvals(status, id);

-- A payment run (B19): the approved claims of one type paid in one window.
-- Prepared by one agency user, released by another; release marks its
-- claims paid and opens the bank file.
CREATE TABLE payment_runs (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('special_outpatient','others')),
    window_start TEXT NOT NULL,
    window_end   TEXT NOT NULL,
    total_fen    INTEGER NOT NULL CHECK (total_fen >= 0),
    claims       INTEGER NOT NULL CHECK (claims >= 0),
    prepared_by  INTEGER NOT NULL REFERENCES users(id),
    prepared_at  INTEGER NOT NULL,
    released_by  INTEGER REFERENCES users(id),
    released_at  INTEGER,
    UNIQUE (kind, window_start),
    CHECK ((released_by IS NULL) = (released_at IS NULL)),
    CHECK (released_by IS NULL OR released_by <> prepared_by)
);

-- A claim the resident files, paying first and claiming back (B16–B18).
-- The review writes the facts the decision used (`facts_json`, the RULES-API
-- `claim` object) next to its payout, so an auditor recomputes it.
CREATE TABLE claims (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    person_id          INTEGER NOT NULL REFERENCES persons(id),
    household_id       INTEGER NOT NULL REFERENCES households(id),
    county_code        TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('transfer','nondesignated_emergency','outpatient_emergency','special_outpatient','student_accident')),
    care_from          TEXT NOT NULL,
    care_to            TEXT NOT NULL,
    hospital           TEXT NOT NULL,
    hospital_grade     INTEGER NOT NULL CHECK (hospital_grade IN (1, 2, 3)),
    billed_fen         INTEGER NOT NULL CHECK (billed_fen > 0),
    disease            TEXT,
    emergency_report_id INTEGER REFERENCES emergency_reports(id),
    approval_id        INTEGER REFERENCES prior_approvals(id),
    -- 经办人: who files on the resident's behalf, with their identity number.
    agent_name         TEXT NOT NULL,
    agent_id_number    TEXT NOT NULL,
    agent_relation     TEXT NOT NULL,
    bank_account       TEXT NOT NULL,
    account_name       TEXT NOT NULL,
    request_key        TEXT NOT NULL UNIQUE,
    filed_by           INTEGER NOT NULL REFERENCES users(id),
    filed_at           INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('filed','first_review','second_review','approved','refused','paid')),
    -- First review (初审): the checked amounts and facts, and what it proposes.
    first_reviewer     INTEGER REFERENCES users(id),
    first_reviewed_at  INTEGER,
    in_catalogue_fen   INTEGER CHECK (in_catalogue_fen IS NULL OR in_catalogue_fen >= 0),
    cause              TEXT,
    minor_blood_disease INTEGER CHECK (minor_blood_disease IN (0, 1)),
    earlier_admissions INTEGER CHECK (earlier_admissions >= 0),
    documents_false    INTEGER CHECK (documents_false IN (0, 1)),
    first_note         TEXT,
    -- Second review (复审): confirms, and the decision is taken.
    second_reviewer    INTEGER REFERENCES users(id),
    second_reviewed_at INTEGER,
    decided_on         TEXT,
    facts_json         TEXT,
    payout_fen         INTEGER CHECK (payout_fen IS NULL OR payout_fen >= 0),
    reason             TEXT,
    explanation_json   TEXT,
    -- The window its run starts in (B19), fixed at approval.
    run_window_start   TEXT,
    payment_run_id     INTEGER REFERENCES payment_runs(id),
    paid_at            INTEGER,
    CHECK (care_from <= care_to),
    CHECK (second_reviewer IS NULL OR second_reviewer <> first_reviewer),
    CHECK (status NOT IN ('approved','paid') OR payout_fen IS NOT NULL),
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX claims_person ON claims(person_id, care_to);
-- The review queue pages through a stage oldest first, in a county or (the
-- league) in all: each index holds every column a queue row shows, so the
-- rows a page skips are read from the index alone.
CREATE INDEX claims_queue ON claims(status, county_code, id, person_id, number, kind, care_to, billed_fen, filed_at, first_reviewer);
CREATE INDEX claims_queue_league ON claims(status, id, person_id, number, kind, care_to, billed_fen, filed_at, first_reviewer);
CREATE INDEX claims_run ON claims(status, kind, run_window_start);
CREATE INDEX claims_payment_run ON claims(payment_run_id);

-- Every step of a claim, for its timeline: who, when, what, why.
CREATE TABLE claim_events (
    id        INTEGER PRIMARY KEY,
    claim_id  INTEGER NOT NULL REFERENCES claims(id),
    step      TEXT NOT NULL,
    by_user   INTEGER REFERENCES users(id),
    at_ms     INTEGER NOT NULL,
    note      TEXT
);
CREATE INDEX claim_events_claim ON claim_events(claim_id, id);

-- Suspensions of benefits for fraud (M29). `until_on` is the first day
-- benefits resume; NULL while the money is not repaid.
CREATE TABLE suspensions (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons(id),
    claim_id      INTEGER NOT NULL REFERENCES claims(id),
    fraud_case    TEXT NOT NULL CHECK (fraud_case IN ('found_at_review','refunded','not_refunded')),
    from_on       TEXT NOT NULL,
    until_on      TEXT,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0),
    fraud_on      TEXT,
    repaid_on     TEXT,
    interest_fen  INTEGER,
    interest_rate TEXT,
    explanation_json TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX suspensions_person ON suspensions(person_id);
CREATE UNIQUE INDEX suspensions_one_per_claim ON suspensions(claim_id);

-- Settings the administrator changes: the bank deposit rate of M29 interest.
CREATE TABLE portal_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    set_by     INTEGER REFERENCES users(id),
    set_at     INTEGER NOT NULL
);

-- Claim documents: the same table, tied to a claim. Only the household and
-- the agency open them (not the office or school, who see enrolment papers).
ALTER TABLE documents ADD COLUMN claim_id INTEGER REFERENCES claims(id);
CREATE INDEX documents_claim ON documents(claim_id);
DROP INDEX documents_once;
CREATE UNIQUE INDEX documents_once ON documents(sha256, household_id, COALESCE(pre_registration_member_id, 0),
                                                COALESCE(person_id, 0), COALESCE(evidence_code, ''), COALESCE(claim_id, 0));
