-- Contributions: payment notices, payments, the payment provider's orders,
-- declarations of collected premiums, and the 1 May sweep. Money is integer
-- fen, times integer milliseconds, dates TEXT 'YYYY-MM-DD' in Beijing time.
-- The same shapes are in ../postgres/.

-- Gap-free numbers per document type and year (RULES.md §8). A number is
-- taken by an upsert inside the transaction that writes the document, so a
-- rolled-back document gives its number back and the series never has a hole.
CREATE TABLE number_series (
    kind TEXT NOT NULL CHECK (kind IN ('notice','receipt','declaration')),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (kind, year)
);

-- One payment notice (缴费通知单) per approved enrolment.
CREATE TABLE payment_notices (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    enrolment_id INTEGER NOT NULL UNIQUE REFERENCES enrolments(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    policy_year  INTEGER NOT NULL,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen >= 0),
    due_date     TEXT NOT NULL,
    -- Random; the QR link carries it so that a notice number alone opens nothing.
    verify_code  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open','paid')),
    issued_at    INTEGER NOT NULL
);
CREATE INDEX payment_notices_person ON payment_notices(person_id, policy_year);

-- An order at the payment provider for one notice. At most one open order
-- per notice: two phones paying the same notice share it.
CREATE TABLE payment_orders (
    id           INTEGER PRIMARY KEY,
    order_number TEXT NOT NULL UNIQUE,
    notice_id    INTEGER NOT NULL REFERENCES payment_notices(id),
    provider     TEXT NOT NULL,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    status       TEXT NOT NULL CHECK (status IN ('created','paid','closed')),
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    provider_txn TEXT UNIQUE,
    notified_at  INTEGER
);
CREATE UNIQUE INDEX payment_orders_one_open ON payment_orders(notice_id) WHERE status = 'created';

-- A declaration (核定表) of the premiums an office or school collected in cash.
CREATE TABLE declarations (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    org_code    TEXT NOT NULL REFERENCES org_units(code),
    declared_by INTEGER NOT NULL REFERENCES users(id),
    declared_at INTEGER NOT NULL,
    payments    INTEGER NOT NULL CHECK (payments > 0),
    total_fen   INTEGER NOT NULL CHECK (total_fen > 0)
);

-- Money received. A 'premium' pays a person's year; money for a year that is
-- already paid is an 'overpayment' to refund, never merged into the premium.
CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    notice_id      INTEGER NOT NULL REFERENCES payment_notices(id),
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    policy_year    INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('premium','overpayment')),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_at        INTEGER NOT NULL,
    paid_on        TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('office_cash','school_cash','online')),
    receipt_number TEXT NOT NULL UNIQUE,
    back_payment   INTEGER NOT NULL CHECK (back_payment IN (0, 1)),
    collected_by   INTEGER REFERENCES users(id),
    collected_org  TEXT REFERENCES org_units(code),
    -- The cash form's one-time key: a retried request finds its payment.
    request_key    TEXT UNIQUE,
    order_id       INTEGER UNIQUE REFERENCES payment_orders(id),
    declaration_id INTEGER REFERENCES declarations(id),
    refunded_at    INTEGER,
    CHECK (channel = 'online' OR (collected_by IS NOT NULL AND collected_org IS NOT NULL)),
    CHECK (channel <> 'online' OR order_id IS NOT NULL)
);
CREATE UNIQUE INDEX payments_one_premium ON payments(person_id, policy_year) WHERE kind = 'premium';
CREATE INDEX payments_year ON payments(policy_year, kind, person_id);
CREATE INDEX payments_undeclared ON payments(collected_org, declaration_id);

-- The 1 May sweep of a policy year, and whom it interrupted (E8(三)).
CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    policy_year INTEGER NOT NULL UNIQUE,
    sweep_date  TEXT NOT NULL,
    first_run_at INTEGER NOT NULL
);
CREATE TABLE interruptions (
    person_id        INTEGER NOT NULL REFERENCES persons(id),
    policy_year      INTEGER NOT NULL,
    interrupted_from TEXT NOT NULL,
    sweep_id         INTEGER NOT NULL REFERENCES sweeps(id),
    PRIMARY KEY (person_id, policy_year)
);

-- The payment simulator's own books: it takes money for an order once.
-- A real provider keeps these on its side; the simulator is clearly a demo.
CREATE TABLE simulator_transactions (
    txn_id       TEXT PRIMARY KEY,
    order_number TEXT NOT NULL UNIQUE,
    amount_fen   INTEGER NOT NULL,
    paid_at      INTEGER NOT NULL
);
