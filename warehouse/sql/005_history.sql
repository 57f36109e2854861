-- Replaced versions: the same columns as core (derived from it so they cannot drift),
-- plus the version they were and the submission that replaced them.
CREATE TABLE history.team_staffing AS
    SELECT *, NULL::BIGINT AS version, NULL::BIGINT AS superseded_by FROM core.team_staffing LIMIT 0;
CREATE TABLE history.fund_input AS
    SELECT *, NULL::BIGINT AS version, NULL::BIGINT AS superseded_by FROM core.fund_input LIMIT 0;
CREATE TABLE history.collective_economy AS
    SELECT *, NULL::BIGINT AS version, NULL::BIGINT AS superseded_by FROM core.collective_economy LIMIT 0;
CREATE TABLE history.industry_driving AS
    SELECT *, NULL::BIGINT AS version, NULL::BIGINT AS superseded_by FROM core.industry_driving LIMIT 0;
CREATE TABLE history.poverty_incidence AS
    SELECT *, NULL::BIGINT AS version, NULL::BIGINT AS superseded_by FROM core.poverty_incidence LIMIT 0;
CREATE TABLE history.consumption_sales AS
    SELECT *, NULL::BIGINT AS version, NULL::BIGINT AS superseded_by FROM core.consumption_sales LIMIT 0;
