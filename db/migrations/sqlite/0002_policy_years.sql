-- Parameter sets published by the agency. A published (year, version) is
-- never edited: a correction is a new version. The shipped files are
-- version 1 of their years; the newest version of a year is in force.
CREATE TABLE policy_years (
    year         INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    params_toml  TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    published_by INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (year, version)
);
CREATE TRIGGER policy_years_no_update BEFORE UPDATE ON policy_years
BEGIN SELECT RAISE(ABORT, 'a published policy year is not edited'); END;
CREATE TRIGGER policy_years_no_delete BEFORE DELETE ON policy_years
BEGIN SELECT RAISE(ABORT, 'a published policy year is not deleted'); END;
