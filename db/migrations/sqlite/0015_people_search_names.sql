-- A name's beginning (db/src/people.rs): SQLite searches the name index of
-- 0011 by a range, so it needs no new index. The file keeps the two engines'
-- migrations numbered alike.
SELECT 1;
