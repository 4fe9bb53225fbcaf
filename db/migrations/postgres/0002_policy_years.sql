-- Parameter sets published by the agency. A published (year, version) is
-- never edited: a correction is a new version. The shipped files are
-- version 1 of their years; the newest version of a year is in force.
CREATE TABLE policy_years (
    year         BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    params_toml  TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (year, version)
);
CREATE FUNCTION policy_years_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published policy year is not edited or deleted';
END;
$$;
CREATE TRIGGER policy_years_no_change BEFORE UPDATE OR DELETE ON policy_years
    FOR EACH ROW EXECUTE FUNCTION policy_years_frozen();
