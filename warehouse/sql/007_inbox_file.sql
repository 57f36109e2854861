-- What the inbox held at each ingest. A file whose size and modification time (ns) are what
-- they were is known by its recorded sha256 without being read again: a nightly run stats the
-- files it has already received instead of hashing them all. A file rewritten in place gets a
-- new modification time and is hashed (and, if its content changed, received) again.
CREATE TABLE ops.inbox_file (
    path        VARCHAR PRIMARY KEY,  -- absolute, as the ingest found it
    size_bytes  BIGINT NOT NULL,
    mtime_ns    BIGINT NOT NULL,
    sha256      VARCHAR NOT NULL,
    hashed_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
