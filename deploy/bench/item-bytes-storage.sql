-- Where an item's image lives (ADR 0014): 300 incompressible 136 KB "images" (a camera JPEG's size) stored as
-- base64 in json (before V18), in a bytea column of the item, or in a side table of blobs; inserted and read back
-- whole. Run it twice in a scratch database and read the second run (the first warms the cache):
--   createdb scratch && psql -d scratch -f deploy/bench/item-bytes-storage.sql && dropdb scratch
DROP TABLE IF EXISTS s_json, s_col, s_blob, s_main, img, b64;
CREATE TABLE img AS SELECT i, string_agg(sha256((i * 100000 + j)::text::bytea), ''::bytea) AS b
  FROM generate_series(1, 300) i, generate_series(1, 4250) j GROUP BY i;
CREATE TABLE b64 AS SELECT i, json_build_object('image', translate(encode(b, 'base64'), E'\n', ''))::text AS j FROM img;
CREATE TABLE s_json (id bigserial PRIMARY KEY, input json);
ALTER TABLE s_json ALTER COLUMN input SET COMPRESSION lz4;
CREATE TABLE s_col (id bigserial PRIMARY KEY, input json, input_bytes bytea);
ALTER TABLE s_col ALTER COLUMN input_bytes SET STORAGE EXTERNAL;
CREATE TABLE s_main (id bigserial PRIMARY KEY, input json);
CREATE TABLE s_blob (item_id bigint PRIMARY KEY REFERENCES s_main (id) ON DELETE CASCADE, bytes bytea);
ALTER TABLE s_blob ALTER COLUMN bytes SET STORAGE EXTERNAL;
\timing on
\echo insert: base64 in json
INSERT INTO s_json (input) SELECT j::json FROM b64;
\echo insert: bytea column
INSERT INTO s_col (input, input_bytes) SELECT json_build_object('image_bytes', length(b)), b FROM img;
\echo insert: side table
WITH m AS (INSERT INTO s_main (input) SELECT json_build_object('image_bytes', 136000) FROM img RETURNING id)
INSERT INTO s_blob SELECT m.id, img.b FROM (SELECT id, row_number() OVER (ORDER BY id) r FROM m) m JOIN img ON img.i = m.r;
\echo read: base64 in json
SELECT sum(length(input::text)) FROM s_json;
\echo read: bytea column
SELECT sum(length(input::text) + length(input_bytes || '\x00'::bytea)) FROM s_col;
\echo read: side table
SELECT sum(length(m.input::text) + length(b.bytes || '\x00'::bytea)) FROM s_main m LEFT JOIN s_blob b ON b.item_id = m.id;
\timing off
SELECT 'bytes per row: json', avg(pg_column_size(input)) FROM s_json
UNION ALL SELECT 'bytes per row: column', avg(pg_column_size(input) + pg_column_size(input_bytes)) FROM s_col
UNION ALL SELECT 'bytes per row: side table', (SELECT avg(pg_column_size(input)) FROM s_main)
    + (SELECT avg(pg_column_size(bytes)) FROM s_blob);
DROP TABLE s_json, s_col, s_blob, s_main, img, b64;
