-- Enrolment: one row per person and policy year, with the terms the policy
-- engine quoted when the office or school registered the person, and the
-- documents the registering organisation accepted. Money is integer fen,
-- times integer milliseconds. The same shapes are in ../postgres/.
--
-- UNIQUE (person_id, policy_year) is what makes "one person, one enrolment
-- a year" hold when two agents register the same person at the same moment.
CREATE TABLE enrolments (
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL REFERENCES persons(id),
    policy_year         INTEGER NOT NULL,
    category            TEXT NOT NULL CHECK (category IN ('student','child','migrant_child','elderly','disabled_adult')),
    tier                TEXT NOT NULL CHECK (tier IN ('adult_standard','adult_assisted','minor_standard','minor_assisted')),
    registrar           TEXT NOT NULL CHECK (registrar IN ('school','community_office')),
    registrar_org       TEXT NOT NULL REFERENCES org_units(code),
    total_fen           INTEGER NOT NULL CHECK (total_fen >= 0),
    personal_fen        INTEGER NOT NULL CHECK (personal_fen >= 0),
    subsidy_central_fen INTEGER NOT NULL CHECK (subsidy_central_fen >= 0),
    subsidy_region_fen  INTEGER NOT NULL CHECK (subsidy_region_fen >= 0),
    subsidy_league_fen  INTEGER NOT NULL CHECK (subsidy_league_fen >= 0),
    subsidy_county_fen  INTEGER NOT NULL CHECK (subsidy_county_fen >= 0),
    policy_version      INTEGER NOT NULL,
    -- JSON array of the evidence codes the quote asked for, sorted.
    evidence_required   TEXT NOT NULL,
    -- The quote's explanation (steps with articles), as JSON.
    explanation_json    TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('draft','submitted','approved','rejected')),
    entered_by          INTEGER NOT NULL REFERENCES users(id),
    entered_at          INTEGER NOT NULL,
    submitted_by        INTEGER REFERENCES users(id),
    submitted_at        INTEGER,
    approved_by         INTEGER REFERENCES users(id),
    approved_at         INTEGER,
    -- The last rejection, kept when the record is fixed and resubmitted.
    rejected_by         INTEGER REFERENCES users(id),
    rejected_at         INTEGER,
    rejection_reason    TEXT,
    UNIQUE (person_id, policy_year),
    CHECK (personal_fen + subsidy_central_fen + subsidy_region_fen + subsidy_league_fen + subsidy_county_fen = total_fen),
    CHECK (status = 'draft' OR (submitted_by IS NOT NULL AND submitted_at IS NOT NULL)),
    CHECK (status <> 'approved' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
    CHECK (status <> 'rejected' OR (rejected_by IS NOT NULL AND rejected_at IS NOT NULL AND length(trim(rejection_reason)) > 0))
);
CREATE INDEX enrolments_status ON enrolments(status, policy_year);
CREATE INDEX enrolments_registrar ON enrolments(registrar_org, policy_year);

-- Documents accepted for an enrolment: at most one accepted document per code.
CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments(id),
    code         TEXT NOT NULL CHECK (code IN ('dibao_certificate','disability_certificate','low_income_proof',
                                               'temporary_residence_permit','id_card','household_register','photo')),
    -- The scanned document's SHA-256 (lowercase hex); NULL until the upload store exists.
    sha256       TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    accepted_by  INTEGER NOT NULL REFERENCES users(id),
    accepted_at  INTEGER NOT NULL,
    UNIQUE (enrolment_id, code)
);
