-- Insurance cards (E13, E19): the office or school takes the card fee, sends
-- the card list to the information centre within 2 working days, and the
-- centre makes the cards within 7 working days of the list. Times integer
-- milliseconds, days TEXT 'YYYY-MM-DD' (Beijing). Same shapes in ../postgres/.

-- Card lists are numbered like the other documents: widen the series kinds.
-- SQLite cannot change a CHECK in place, so the small table is rebuilt.
CREATE TABLE number_series_new (
    kind TEXT NOT NULL CHECK (kind IN ('notice','receipt','declaration','card_list')),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (kind, year)
);
INSERT INTO number_series_new (kind, year, last) SELECT kind, year, last FROM number_series;
DROP TABLE number_series;
ALTER TABLE number_series_new RENAME TO number_series;

CREATE TABLE card_lists (
    id        INTEGER PRIMARY KEY,
    number    TEXT NOT NULL UNIQUE,
    org_code  TEXT NOT NULL REFERENCES org_units(code),
    sent_by   INTEGER NOT NULL REFERENCES users(id),
    sent_at   INTEGER NOT NULL,
    sent_on   TEXT NOT NULL,
    cards     INTEGER NOT NULL CHECK (cards > 0),
    made_by   INTEGER REFERENCES users(id),
    made_at   INTEGER,
    CHECK ((made_by IS NULL) = (made_at IS NULL))
);

-- One open card request per person: a new card only after the last is made.
CREATE TABLE card_requests (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    org_code     TEXT NOT NULL REFERENCES org_units(code),
    fee_taken_by INTEGER NOT NULL REFERENCES users(id),
    fee_taken_at INTEGER NOT NULL,
    fee_taken_on TEXT NOT NULL,
    list_id      INTEGER REFERENCES card_lists(id)
);
CREATE INDEX card_requests_org ON card_requests(org_code, list_id);
CREATE INDEX card_requests_person ON card_requests(person_id);
CREATE UNIQUE INDEX card_requests_one_pending ON card_requests(person_id) WHERE list_id IS NULL;
