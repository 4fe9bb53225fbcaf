-- School rosters: the class a pupil is in, and every roster file a school
-- checked or imported, with its report, so the report can be shown again,
-- its bad rows downloaded, and a checked file imported without uploading it
-- twice. The same shapes are in ../postgres/.
ALTER TABLE persons ADD COLUMN school_class TEXT;

CREATE TABLE roster_imports (
    id            INTEGER PRIMARY KEY,
    school_code   TEXT NOT NULL REFERENCES org_units(code),
    policy_year   INTEGER NOT NULL,
    -- 'dry_run' writes nothing but this row; 'import' wrote the good rows.
    mode          TEXT NOT NULL CHECK (mode IN ('dry_run','import')),
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL CHECK (length(file_sha256) = 64),
    rows_total    INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_already  INTEGER NOT NULL,
    rows_bad      INTEGER NOT NULL,
    -- The header and the bad rows with their reason codes, as JSON.
    report_json   TEXT NOT NULL,
    -- A dry run keeps the file's rows (header and cells, as JSON) for the import that follows.
    rows_json     TEXT,
    -- The dry run an import was made from.
    from_run      INTEGER REFERENCES roster_imports(id),
    actor_id      INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX roster_imports_school ON roster_imports(school_code, id);
