-- Every finding of the validator, with the cell the county sees (资金投入!C9).
-- explained is set when the county answers the issue in its 问题清单 (quality.explanation).
CREATE TABLE quality.issue (
    submission_id  BIGINT NOT NULL,
    county_code    VARCHAR,
    period         VARCHAR,
    severity       VARCHAR NOT NULL CHECK (severity IN ('reject', 'error', 'warning')),
    rule           VARCHAR NOT NULL,
    form           VARCHAR,
    sheet          VARCHAR,
    cell           VARCHAR,
    "row"          BIGINT,
    raw_value      VARCHAR,
    message        VARCHAR NOT NULL,
    explained      BOOLEAN NOT NULL DEFAULT false
);

-- Rows refused by an error rule, with their cells exactly as the county wrote them.
CREATE TABLE quality.quarantine (
    submission_id  BIGINT NOT NULL,
    county_code    VARCHAR,
    period         VARCHAR,
    form           VARCHAR NOT NULL,
    sheet          VARCHAR,
    "row"          BIGINT NOT NULL,
    raw            JSON NOT NULL,
    rules          VARCHAR[] NOT NULL
);

-- 合计/小计/总计 rows: checked against their detail rows, never loaded as data.
CREATE TABLE quality.total_row (
    submission_id  BIGINT NOT NULL,
    county_code    VARCHAR,
    period         VARCHAR,
    form           VARCHAR NOT NULL,
    sheet          VARCHAR,
    "row"          BIGINT NOT NULL,
    label          VARCHAR
);

-- What changed between version n and n+1 of a county × period × form, per field and
-- natural key. change is 'changed', 'added' (key only in n+1) or 'removed' (only in n).
CREATE TABLE quality.version_diff (
    county_code        VARCHAR NOT NULL,
    period             VARCHAR NOT NULL,
    form               VARCHAR NOT NULL,
    old_version        BIGINT NOT NULL,
    new_version        BIGINT NOT NULL,
    old_submission_id  BIGINT NOT NULL,
    new_submission_id  BIGINT NOT NULL,
    "key"              VARCHAR NOT NULL,
    change             VARCHAR NOT NULL CHECK (change IN ('changed', 'added', 'removed')),
    field              VARCHAR NOT NULL,
    old_value          VARCHAR,
    new_value          VARCHAR
);

-- A county's 上报说明 for an issue, read back from the 说明 column of its 问题清单.
CREATE TABLE quality.explanation (
    county_code    VARCHAR NOT NULL,
    period         VARCHAR,
    sheet          VARCHAR,
    cell           VARCHAR,
    rule           VARCHAR,
    text           VARCHAR NOT NULL,
    received_at    TIMESTAMP NOT NULL,
    submission_id  BIGINT
);
