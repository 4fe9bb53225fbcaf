-- A name's beginning (db/src/people.rs): LIKE '王秀%' can use a btree index
-- only in the pattern operator class when the database collation is not C.
CREATE INDEX persons_name_pattern ON persons (name text_pattern_ops);
