-- Opening a household at the office desk, and the family's own account (#16).
-- Same shapes in ../postgres/.

-- 本地城镇 local_urban, 本地农业 local_agricultural, 外地 non_local; NULL for
-- households opened before the desk asked (demo, school rosters).
ALTER TABLE households ADD COLUMN hukou_type TEXT
    CHECK (hukou_type IS NULL OR hukou_type IN ('local_urban','local_agricultural','non_local'));

-- Household numbers are gap-free per office and policy year
-- (`<office>-2027-0001`): the series row is taken by an upsert inside the
-- transaction that opens the household, so a refused opening gives its
-- number back (db/src/numbering.rs).
CREATE TABLE household_number_series (
    office_code TEXT NOT NULL REFERENCES org_units(code),
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (office_code, year)
);

-- A person's place in a household opened at the desk: relation to the
-- head and a contact phone. Its own table, so persons keep their shape.
CREATE TABLE household_members (
    person_id    INTEGER PRIMARY KEY REFERENCES persons(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    relation     TEXT NOT NULL CHECK (relation IN ('head','spouse','child','parent','grandchild','grandparent','sibling','other')),
    phone        TEXT
);
CREATE INDEX household_members_household ON household_members(household_id);
CREATE INDEX household_members_phone ON household_members(phone);

-- One-time activation codes printed on the registration form: only the
-- SHA-256 of the code is kept; a code expires, is used once, and a new one
-- revokes the old (db/src/household_open.rs).
CREATE TABLE activation_codes (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    code_hash    TEXT NOT NULL UNIQUE,
    issued_by    INTEGER NOT NULL,
    issued_at    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    used_by      INTEGER REFERENCES users(id),
    revoked_at   INTEGER,
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX activation_codes_household ON activation_codes(household_id);

-- Paged lists of an office's households, newest first.
CREATE INDEX households_office ON households(office_code, id);
