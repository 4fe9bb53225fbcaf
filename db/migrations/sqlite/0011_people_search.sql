-- Finding a person (db/src/people.rs): by the last six characters of the
-- identity number, as people read them off a card, and by a name's beginning.
CREATE INDEX persons_id_tail ON persons (substr(id_number, 13));
CREATE INDEX persons_name ON persons (name);
