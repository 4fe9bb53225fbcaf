-- A county's statistical report reads its own persons' rows (issue 17):
-- the county's persons by this index, then each one's enrolment, premium
-- and interruption by their (person, year) keys, instead of every row of
-- the year joined to its person. Same in the other engine's folder.
CREATE INDEX persons_county ON persons(county_code, id);
