-- An inline image travels as bytes beside its item's JSON input, never as base64 inside it (ADR 0014). base64 made
-- every image row 4/3 of the image and a 27 MB json value at the 20 MiB image limit, parsed on every write and read
-- back as one huge string to be decoded again by the worker.
ALTER TABLE items ADD COLUMN input_bytes bytea;

-- Encoded images (JPEG, PNG, WebP) do not compress: TOAST would spend a compression attempt on every row only to
-- store it as it was. EXTERNAL stores it out of line uncompressed at once.
ALTER TABLE items ALTER COLUMN input_bytes SET STORAGE EXTERNAL;

-- Items still waiting for a worker keep their images: the base64 moves to the bytes, and the JSON says how many.
UPDATE items
   SET input_bytes = decode(input->>'image', 'base64'),
       input = ((input::jsonb - 'image')
                || jsonb_build_object('image_bytes', length(decode(input->>'image', 'base64'))))::json
 WHERE status = 'pending' AND json_typeof(input) = 'object' AND json_typeof(input->'image') = 'string';
