-- Account life cycle and a lock-out a stranger cannot aim at someone else.
-- Same shape in ../sqlite/.

-- Failed log-ins are counted per name as typed and client address, so five
-- wrong passwords from one address lock that address out of that name only:
-- the account's owner elsewhere still gets in, and a name that does not
-- exist locks exactly like one that does (no telling them apart). The
-- columns users.failed_logins and users.locked_until are no longer read.
CREATE TABLE login_failures (
    username     TEXT NOT NULL,
    address      TEXT NOT NULL,
    failures     BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_at      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (username, address)
);
CREATE INDEX login_failures_last ON login_failures(last_at);

-- Set when an administrator resets the password: the next log-in must
-- choose a new one before anything else.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
