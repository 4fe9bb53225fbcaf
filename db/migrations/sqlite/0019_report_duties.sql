-- Reports as the league runs them (issue 17; 信息统计管理规定 T4-T6, T14,
-- T15). Same shapes in ../postgres/.

-- The league's consolidated report says which county versions it used:
-- [{"county_code", "report_id", "version"}, ...]; '[]' for a county's own.
ALTER TABLE statistical_reports ADD COLUMN sources_json TEXT NOT NULL DEFAULT '[]';

-- T4-T6: which reports the league asks for in a year, and how many days
-- after its period each falls due. A frequency without a row is not asked.
CREATE TABLE report_schedules (
    year        INTEGER NOT NULL,
    frequency   TEXT NOT NULL CHECK (frequency IN ('weekly','monthly','quarterly','half_yearly','yearly')),
    due_days    INTEGER NOT NULL CHECK (due_days >= 0 AND due_days <= 90),
    set_by      INTEGER NOT NULL REFERENCES users(id),
    set_at      INTEGER NOT NULL,
    PRIMARY KEY (year, frequency)
);

-- T5: the person a county agency charges with its weekly return; a missed
-- return counts against them.
CREATE TABLE weekly_preparers (
    county_code TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    set_by      INTEGER NOT NULL REFERENCES users(id),
    set_at      INTEGER NOT NULL
);

-- T15: which role may read which section of a report. No row, no access:
-- the league's administrator grants it. Both agency roles read every
-- section to begin with.
CREATE TABLE report_access (
    section TEXT NOT NULL CHECK (section IN ('persons','premiums','claims','fund','subsidy')),
    role    TEXT NOT NULL CHECK (role IN ('agency_reviewer','agency_admin')),
    PRIMARY KEY (section, role)
);
INSERT INTO report_access (section, role) VALUES
    ('persons','agency_reviewer'), ('premiums','agency_reviewer'), ('claims','agency_reviewer'),
    ('fund','agency_reviewer'), ('subsidy','agency_reviewer'),
    ('persons','agency_admin'), ('premiums','agency_admin'), ('claims','agency_admin'),
    ('fund','agency_admin'), ('subsidy','agency_admin');

-- T14: figures given to a body outside the scheme, asked by one person and
-- approved by the agency's statistics head (another, an administrator).
CREATE TABLE data_releases (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES statistical_reports(id),
    recipient    TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 200),
    purpose      TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
    requested_by INTEGER NOT NULL REFERENCES users(id),
    requested_at INTEGER NOT NULL,
    approved_by  INTEGER REFERENCES users(id),
    approved_at  INTEGER,
    CHECK (approved_by IS NULL OR approved_by <> requested_by),
    CHECK ((approved_by IS NULL) = (approved_at IS NULL))
);

-- T14, T15: every reading of a report: who, when, which version, how.
CREATE TABLE report_reads (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES statistical_reports(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('view','csv','xlsx','release')),
    release_id INTEGER REFERENCES data_releases(id)
);
CREATE INDEX report_reads_report ON report_reads(report_id, at);
