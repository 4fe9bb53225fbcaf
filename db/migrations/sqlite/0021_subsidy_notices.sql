-- The public notice of those who receive the increased subsidy (张榜公布;
-- issue 17, T16): a county agency's list of a policy year, frozen when put
-- forward, published when the agency head (another person) approves. It
-- holds each person's name, masked ID number and office, never the reason
-- (dibao, disability) nor any condition. Same shapes in ../postgres/.
CREATE TABLE subsidy_notices (
    id           INTEGER PRIMARY KEY,
    county_code  TEXT NOT NULL,
    policy_year  INTEGER NOT NULL,
    -- [{"office": "...", "name": "...", "id": "152201********1234"}, ...]
    rows_json    TEXT NOT NULL,
    proposed_by  INTEGER NOT NULL REFERENCES users(id),
    proposed_at  INTEGER NOT NULL,
    approved_by  INTEGER REFERENCES users(id),
    published_at INTEGER,
    CHECK (approved_by IS NULL OR approved_by <> proposed_by),
    CHECK ((approved_by IS NULL) = (published_at IS NULL))
);
CREATE INDEX subsidy_notices_published ON subsidy_notices(published_at);
