-- Collections: a tenant's named sets of items, each embedded by one model and searched with pgvector.
-- Vectors are halfvec (half the bytes of vector, cosine error ≤ 5.5e-5 measured, never TOASTed at CLIP sizes).
-- One HNSW index per model (partial, on a cast to the model's dimension), created by VectorIndexes when a
-- collection first uses the model: an index needs a fixed dimension, and models differ.

CREATE TABLE collections (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    model_id      uuid        NOT NULL REFERENCES models (id),
    -- While switching models: the model whose vectors are being computed; searches keep using model_id.
    next_model_id uuid REFERENCES models (id),
    item_count    integer     NOT NULL DEFAULT 0 CHECK (item_count >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

CREATE TABLE collection_items (
    collection_id  uuid        NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    tenant_id      uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    item_id        text        NOT NULL CHECK (length(item_id) BETWEEN 1 AND 256),
    metadata       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    -- The sources, kept so a model switch can re-embed; an item added as a raw vector has neither.
    source_text    text,
    source_image   bytea,
    thumbnail      bytea,
    model_id       uuid        NOT NULL REFERENCES models (id),
    embedding      halfvec     NOT NULL,
    next_embedding halfvec,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection_id, item_id)
);
-- Exact searches of small collections scan one collection's rows.
CREATE INDEX collection_items_metadata ON collection_items USING gin (metadata jsonb_path_ops);

ALTER TABLE collections ENABLE ROW LEVEL SECURITY;
ALTER TABLE collections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON collections USING (tenant_id = montage_current_tenant());

ALTER TABLE collection_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE collection_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON collection_items USING (tenant_id = montage_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON collections, collection_items TO ${appRole}, ${systemRole};
