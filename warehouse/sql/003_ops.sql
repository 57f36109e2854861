CREATE SEQUENCE ops.submission_id_seq START 1;

-- One row per file received (rejected files included). sha256 is unique: an identical
-- file re-sent changes nothing. version/superseded_by summarise ops.submission_form:
-- version is the highest form version in the file, superseded_by is set once every
-- form of the file has been replaced (the submission that replaced the last one).
CREATE TABLE ops.submission (
    submission_id     BIGINT PRIMARY KEY,
    county_code       VARCHAR,           -- NULL or unknown for some rejected files
    period            VARCHAR,           -- YYYY-MM, YYYY or YYYY-Qn
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL UNIQUE,
    received_at       TIMESTAMP NOT NULL, -- China local time (UTC+8), naive
    status            VARCHAR NOT NULL CHECK (status IN ('accepted', 'accepted_with_warnings', 'rejected')),
    version           BIGINT,
    superseded_by     BIGINT,
    forms             VARCHAR[],
    file_type         VARCHAR,
    size_bytes        BIGINT,
    archive_path      VARCHAR,
    input_rows        BIGINT,
    rows_loaded       BIGINT,
    rows_quarantined  BIGINT,
    total_rows        BIGINT
);

-- Versions are per county × period × form: a file may carry several forms, and a later
-- file may replace only some of them.
CREATE TABLE ops.submission_form (
    submission_id  BIGINT NOT NULL,
    county_code    VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    form           VARCHAR NOT NULL,
    version        BIGINT NOT NULL,
    rows_loaded    BIGINT NOT NULL,
    superseded_by  BIGINT,
    PRIMARY KEY (submission_id, form)
);
