"""Asset keys, group names, tags and check names: the names the UI, jobs and tests share."""

import dagster as dg

from warehouse.db import FORM_TABLES

# groups, by domain
INTAKE = "intake"
CORE = "core"
MARTS = "marts"
QUALITY = "quality"
ALERTS = "alerts"

INBOX_FILES = dg.AssetKey(["intake", "inbox_files"])
CHECKED_SUBMISSIONS = dg.AssetKey(["intake", "checked_submissions"])
SUBMISSION = dg.AssetKey(["ops", "submission"])
SUBMISSION_FORM = dg.AssetKey(["ops", "submission_form"])
CORE_TABLES = {form: dg.AssetKey(["core", table]) for form, table in FORM_TABLES.items()}
ISSUE = dg.AssetKey(["quality", "issue"])
QUARANTINE = dg.AssetKey(["quality", "quarantine"])
REF_COUNTY = dg.AssetKey(["ref", "county"])
REF_CALENDAR = dg.AssetKey(["ref", "reporting_calendar"])
REF_COUNTY_FORM = dg.AssetKey(["ref", "county_form"])
CROSS_COUNTY_WARNINGS = dg.AssetKey(["quality", "cross_county_warnings"])
ANALYST_SNAPSHOT = dg.AssetKey(["ops", "analyst_snapshot"])
EXPORTS = dg.AssetKey(["exports"])
COUNTY_FEEDBACK = dg.AssetKey(["alerts", "county_feedback"])
PROVINCE_DIGEST = dg.AssetKey(["alerts", "province_digest"])

# Great Expectations suites (warehouse.quality_suites) run as one check per table.
GE_CHECK = "great_expectations_suite"
GE_MART = dg.AssetKey(["marts", "county_comparison"])

# Run config of a run that takes only some files of a county-month (the inbox sensor's runs).
INBOX_FILES_OP = INBOX_FILES.to_python_identifier()
SHA256_TAG = "county_returns/sha256"
FILE_TAG = "county_returns/file"
