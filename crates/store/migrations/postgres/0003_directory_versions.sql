-- The published directory, version by version: every data file of every version, so that a
-- publish is one transaction (a process killed during it leaves the old version or the new,
-- never a mix) and any version can be exported again. Staff changes wait as proposals until
-- a second person approves them.
CREATE TABLE directory_versions (
    version BIGINT PRIMARY KEY,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    -- 'release': the data built into the binary; 'proposal': an approved change.
    origin TEXT NOT NULL,
    proposal_id BIGINT,
    -- For a release: the hash of the built-in files, to tell a newer release on start.
    release_hash TEXT NOT NULL
);

CREATE TABLE directory_files (
    version BIGINT NOT NULL REFERENCES directory_versions (version),
    path TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version, path)
);

CREATE TABLE proposals (
    id BIGSERIAL PRIMARY KEY,
    subject TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    diff TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    reviewer TEXT,
    reviewed_at TEXT,
    review_reason TEXT,
    published_version BIGINT
);

-- A proposal's files, each with the hash of the text it replaces ('' for a new file): the
-- optimistic version check at approval.
CREATE TABLE proposal_files (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    path TEXT NOT NULL,
    base_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (proposal_id, path)
);
