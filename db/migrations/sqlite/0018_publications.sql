-- Published statistical tables (issue 17; T16): a table of counts frozen
-- when the statistics head puts it forward, published only when the agency
-- head (another person) approves it, and shown to the public with its
-- small counts and their complements suppressed at the league's threshold.
-- Same shapes in ../postgres/.
CREATE TABLE publications (
    id           INTEGER PRIMARY KEY,
    -- What the table counts: enrolled_by_tier_and_county (the title comes
    -- from the catalogue, in the reader's language).
    kind         TEXT NOT NULL CHECK (kind IN ('enrolled_by_tier_and_county')),
    policy_year  INTEGER NOT NULL,
    -- {"rows": [...], "columns": [...], "counts": [[...]]}: the true counts.
    table_json   TEXT NOT NULL,
    threshold    INTEGER NOT NULL CHECK (threshold >= 1),
    proposed_by  INTEGER NOT NULL REFERENCES users(id),
    proposed_at  INTEGER NOT NULL,
    approved_by  INTEGER REFERENCES users(id),
    published_at INTEGER,
    CHECK (approved_by IS NULL OR approved_by <> proposed_by),
    CHECK ((approved_by IS NULL) = (published_at IS NULL))
);
