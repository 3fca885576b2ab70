-- Labelled datasets for evaluation runs (issue 11): a dataset is a name in a tenant or in the shared admin space
-- (tenant_id NULL), its versions are immutable imports identified by a content hash, and a version's entries are
-- the images with their label and caption(s).
--
-- Row-level security as on every tenant table, plus one read-only policy (ADR 0013): rows of the shared space are
-- readable inside every tenant's transaction, so a tenant's evaluation run reads a shared dataset with the same
-- statements as its own; only the system role (BYPASSRLS) writes them, since no tenant's policy admits a NULL
-- tenant_id on INSERT or UPDATE.

CREATE TABLE datasets (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid REFERENCES tenants (id) ON DELETE CASCADE,
    name       text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    -- classification: every entry has a label; retrieval: every entry has one caption or more
    kind       text        NOT NULL CHECK (kind IN ('classification', 'retrieval')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (tenant_id, name)
);

CREATE TABLE dataset_versions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dataset_id     uuid        NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    tenant_id      uuid REFERENCES tenants (id) ON DELETE CASCADE,
    number         integer     NOT NULL CHECK (number >= 1),
    -- SHA-256 over the sorted per-entry hashes (label, captions, image bytes): the same content imported again,
    -- in any order or packaging of the same files, is this version
    content_sha256 bytea       NOT NULL CHECK (length(content_sha256) = 32),
    entry_count    integer     NOT NULL CHECK (entry_count >= 1),
    class_count    integer     NOT NULL CHECK (class_count >= 0),
    rejected_count integer     NOT NULL CHECK (rejected_count >= 0),
    image_bytes    bigint      NOT NULL CHECK (image_bytes >= 0),
    -- what it was imported from ("zip fashion.zip"), for people: never read by code
    source         text        NOT NULL CHECK (length(source) <= 500),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dataset_id, number),
    UNIQUE (dataset_id, content_sha256)
);

-- An import streams its entries in before it knows the content hash, the version's counts, or whether the same
-- content is an existing version: the version row comes last, in the same transaction, so these references are
-- checked at commit (a rolled-back duplicate leaves nothing behind).
CREATE TABLE dataset_entries (
    version_id   uuid     NOT NULL REFERENCES dataset_versions (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    seq          integer  NOT NULL CHECK (seq >= 0),
    tenant_id    uuid REFERENCES tenants (id) ON DELETE CASCADE,
    -- the class (classification) or the category it came from (retrieval, optional)
    label        text CHECK (length(label) BETWEEN 1 AND 200),
    captions     text[]   NOT NULL DEFAULT '{}',
    -- where in the source it came from (a path in the zip, "line 12", "image 345"), for reports and people
    origin       text     NOT NULL CHECK (length(origin) <= 1000),
    image        bytea    NOT NULL,
    image_format text     NOT NULL CHECK (image_format IN ('png', 'jpeg', 'gif', 'bmp', 'webp')),
    width        integer  NOT NULL CHECK (width > 0),
    height       integer  NOT NULL CHECK (height > 0),
    PRIMARY KEY (version_id, seq)
);
-- the entries of one class, in import order (samples per class, an evaluation's slices)
CREATE INDEX dataset_entries_label ON dataset_entries (version_id, label, seq);

CREATE TABLE dataset_classes (
    version_id  uuid    NOT NULL REFERENCES dataset_versions (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
    label       text    NOT NULL,
    -- the class's index (0-based) in the source's class order (an IDX pair's label numbers), else in label order:
    -- the number an evaluation's confusion matrix uses
    ordinal     integer NOT NULL CHECK (ordinal >= 0),
    entry_count integer NOT NULL CHECK (entry_count >= 1),
    PRIMARY KEY (version_id, label),
    UNIQUE (version_id, ordinal)
);

ALTER TABLE datasets ENABLE ROW LEVEL SECURITY;
ALTER TABLE datasets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON datasets USING (tenant_id = montage_current_tenant());
CREATE POLICY shared_space_read ON datasets FOR SELECT USING (tenant_id IS NULL);

ALTER TABLE dataset_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dataset_versions USING (tenant_id = montage_current_tenant());
CREATE POLICY shared_space_read ON dataset_versions FOR SELECT USING (tenant_id IS NULL);

ALTER TABLE dataset_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dataset_entries USING (tenant_id = montage_current_tenant());
CREATE POLICY shared_space_read ON dataset_entries FOR SELECT USING (tenant_id IS NULL);

ALTER TABLE dataset_classes ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_classes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dataset_classes USING (tenant_id = montage_current_tenant());
CREATE POLICY shared_space_read ON dataset_classes FOR SELECT USING (tenant_id IS NULL);

GRANT SELECT, INSERT, UPDATE, DELETE ON datasets, dataset_versions, dataset_entries, dataset_classes
    TO ${appRole}, ${systemRole};
