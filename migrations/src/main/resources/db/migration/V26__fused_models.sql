-- A second model kind (issue 12): 'fused' models take an image and a text together and answer one prediction
-- (class probabilities or a score). They have no embedding space, so no embedding_dim; a clip model always has one.
ALTER TABLE models ALTER COLUMN embedding_dim DROP NOT NULL;
ALTER TABLE models ADD CONSTRAINT models_kind_check CHECK (kind IN ('clip', 'fused'));
ALTER TABLE models ADD CONSTRAINT models_embedding_dim_by_kind CHECK ((kind = 'clip') = (embedding_dim IS NOT NULL));
