-- Current version of every county × period × form. Canonical fields per the CONTRACT's
-- "six forms" table; money DECIMAL(18,2), counts BIGINT, measures DOUBLE.
-- Required fields are NOT NULL so a validator gap fails the load loudly instead of
-- storing a half row (collective income is a band: either bound may be open).
CREATE TABLE core.team_staffing (
    submission_id                BIGINT NOT NULL,
    county_code                  VARCHAR NOT NULL,
    period                       VARCHAR NOT NULL,
    township                     VARCHAR,
    work_team_members            BIGINT NOT NULL,
    township_professionals       BIGINT,
    professional_team_total      BIGINT,
    village_cadres               BIGINT,
    assistance_cadres            BIGINT,
    poor_households              BIGINT,
    villages                     BIGINT,
    e_bikes                      BIGINT,
    meal_allowance_yuan_per_day  DECIMAL(18,2),
    source_sheet                 VARCHAR,
    source_row                   BIGINT NOT NULL
);

CREATE TABLE core.fund_input (
    submission_id     BIGINT NOT NULL,
    county_code       VARCHAR NOT NULL,
    period            VARCHAR NOT NULL,
    project_name      VARCHAR NOT NULL,
    village           VARCHAR,
    fund_source       VARCHAR,
    amount_yuan       DECIMAL(18,2) NOT NULL,
    amount_qualifier  VARCHAR,           -- approx, at_least, ... (from 近700万元, 5万元以上)
    source_sheet      VARCHAR,
    source_row        BIGINT NOT NULL
);

CREATE TABLE core.collective_economy (
    submission_id    BIGINT NOT NULL,
    county_code      VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    village          VARCHAR NOT NULL,
    is_poor_village  BOOLEAN,
    industry         VARCHAR,
    area_mu          DOUBLE,
    investment_yuan  DECIMAL(18,2),
    income_min_yuan  DECIMAL(18,2),
    income_max_yuan  DECIMAL(18,2),
    year             BIGINT,
    source_sheet     VARCHAR,
    source_row       BIGINT NOT NULL
);

CREATE TABLE core.industry_driving (
    submission_id           BIGINT NOT NULL,
    county_code             VARCHAR NOT NULL,
    period                  VARCHAR NOT NULL,
    org_name                VARCHAR NOT NULL,
    org_type                VARCHAR,
    industry                VARCHAR,
    households_driven       BIGINT NOT NULL,
    poor_households_driven  BIGINT,
    leader_is_party_member  BOOLEAN,
    source_sheet            VARCHAR,
    source_row              BIGINT NOT NULL
);

CREATE TABLE core.poverty_incidence (
    submission_id    BIGINT NOT NULL,
    county_code      VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    township         VARCHAR,
    year             BIGINT NOT NULL,
    poor_population  BIGINT,
    rural_population BIGINT,
    incidence_pct    DOUBLE,
    source_sheet     VARCHAR,
    source_row       BIGINT NOT NULL
);

CREATE TABLE core.consumption_sales (
    submission_id  BIGINT NOT NULL,
    county_code    VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    product        VARCHAR NOT NULL,
    channel        VARCHAR,
    quantity       DOUBLE,
    unit           VARCHAR,
    quantity_kg    DOUBLE,
    sales_yuan     DECIMAL(18,2) NOT NULL,
    villages       BIGINT,
    households     BIGINT,
    source_sheet   VARCHAR,
    source_row     BIGINT NOT NULL
);
