-- Counties of Guangxi, current and historical (MCA code history). A code can be reused
-- with a new definition, so (code, valid_from) is the key. valid_from/valid_to are years;
-- valid_to IS NULL means the code is in use today. current_code maps an old code to the
-- 2023 code that succeeded it (451021 田阳县 → 451003 田阳区); NULL when it was split.
CREATE TABLE ref.county (
    code                   VARCHAR NOT NULL,
    name                   VARCHAR NOT NULL,
    prefecture_code        VARCHAR NOT NULL,
    prefecture             VARCHAR NOT NULL,
    province               VARCHAR NOT NULL,
    is_key_poverty_county  BOOLEAN NOT NULL,
    poverty_exit_year      INTEGER,
    valid_from             INTEGER NOT NULL,
    valid_to               INTEGER,
    status                 VARCHAR NOT NULL,  -- in_use, retired, redefined
    current_code           VARCHAR,
    PRIMARY KEY (code, valid_from)
);

-- Filled from the config: which forms a county owes, and when each period is due.
-- Empty tables are valid: marts.reporting_status then reports only what was received.
CREATE TABLE ref.reporting_calendar (
    period    VARCHAR NOT NULL,
    form      VARCHAR NOT NULL,
    due_date  DATE NOT NULL,
    PRIMARY KEY (period, form)
);

CREATE TABLE ref.county_form (
    county_code  VARCHAR NOT NULL,
    form         VARCHAR NOT NULL,
    PRIMARY KEY (county_code, form)
);
