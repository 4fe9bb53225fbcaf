-- Statistical reports (issue 17; 信息统计管理规定 T7-T10): a county agency's
-- report of a period, drafted from its ledgers, checked against the previous
-- period, signed by three different people and then frozen. A correction is
-- a new version naming the one it corrects and why; the old one stays.
-- Same shapes in ../postgres/.
CREATE TABLE statistical_reports (
    id                INTEGER PRIMARY KEY,
    county_code       TEXT NOT NULL,
    frequency         TEXT NOT NULL CHECK (frequency IN ('weekly','monthly','quarterly','half_yearly','yearly')),
    year              INTEGER NOT NULL,
    period_index      INTEGER NOT NULL CHECK (period_index >= 1),
    version           INTEGER NOT NULL CHECK (version >= 1),
    status            TEXT NOT NULL CHECK (status IN ('draft','submitted')),
    -- [[key, value], ...] in the order the report shows them.
    figures_json      TEXT NOT NULL,
    -- policy::reports::Change for each figure against the previous period.
    changes_json      TEXT NOT NULL,
    -- [[key, text], ...]: the written explanation of each flagged change.
    explanations_json TEXT NOT NULL,
    corrects          INTEGER REFERENCES statistical_reports(id),
    correction_reason TEXT,
    drafted_by        INTEGER NOT NULL REFERENCES users(id),
    drafted_at        INTEGER NOT NULL,
    preparer          INTEGER REFERENCES users(id),
    prepared_at       INTEGER,
    section_head      INTEGER REFERENCES users(id),
    section_signed_at INTEGER,
    agency_head       INTEGER REFERENCES users(id),
    agency_signed_at  INTEGER,
    submitted_at      INTEGER,
    UNIQUE (county_code, frequency, year, period_index, version),
    CHECK (status = 'draft' OR submitted_at IS NOT NULL),
    CHECK (corrects IS NULL OR correction_reason IS NOT NULL)
);
