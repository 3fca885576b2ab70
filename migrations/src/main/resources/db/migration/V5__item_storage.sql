-- Item inputs and results are written once and read back whole, never queried inside. As json (text checked for
-- syntax) instead of jsonb, PostgreSQL no longer parses every number of an embedding into numeric on write
-- (measured 22 µs per 128-float result as jsonb, 3-4 µs as json) nor re-prints it on read; the api streams the
-- stored text verbatim.
-- (A lower fillfactor, for HOT updates of the outcome, measured no faster: 10k outcomes written in 180 ms at the
-- default 100, 172 ms at 30 with 79 % HOT, 246 ms at 60 — and 1.5× the table size.)
ALTER TABLE items ALTER COLUMN input TYPE json USING input::json,
                  ALTER COLUMN result TYPE json USING result::json;

-- An item row with its result passes the 2 kB TOAST threshold, and the default pglz compression of the result
-- then cost ~30 µs per item (10k results updated: pglz 565 ms, lz4 252 ms, no compression 223 ms). lz4 keeps most
-- of the saving (base64 images and float text shrink ~25 %) at a fraction of the CPU, where the server has it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE items ALTER COLUMN input SET COMPRESSION lz4, ALTER COLUMN result SET COMPRESSION lz4;
    END IF;
END
$$;
