"""The county-returns asset graph. Each asset body is a call to a stage function.

    intake/inbox_files → intake/checked_submissions → ops/submission (+ ops/submission_form,
    core/<six tables>, quality/issue, quality/quarantine) → alerts/county_feedback
                                                  [partitioned: county × period]
    ref/county, ref/reporting_calendar, ref/county_form → staging/* → core/county_period_measure
    → marts/* → quality/cross_county_warnings → ops/analyst_snapshot → exports,
    alerts/province_digest                                              [warehouse-wide]

Checks: each model's SQL tests (`<model>.test.sql`) and the GE suites on core and marts.
"""

import dagster as dg

from pipelines.assets.alerts import county_feedback, province_digest
from pipelines.assets.intake import checked_submissions, inbox_files
from pipelines.assets.load import load_submissions
from pipelines.assets.models import build_model_assets, build_sql_test_checks, model_key
from pipelines.assets.publish import build_publish_assets
from pipelines.assets.quality import cross_county_warnings, great_expectations_suites
from pipelines.assets.reference import ref_county, reporting_calendar

# The county × period part of the graph: what the inbox sensor and backfills run.
PARTITIONED_ASSETS = [inbox_files, checked_submissions, load_submissions, county_feedback]


def build_assets() -> list[dg.AssetsDefinition]:
    """Every asset; reads the SQL model files, so call it when the definitions load."""
    from warehouse.models import list_models

    models = list_models()
    return [
        *PARTITIONED_ASSETS,
        ref_county,
        reporting_calendar,
        *build_model_assets(models),
        cross_county_warnings,
        *build_publish_assets([model_key(m) for m in models]),
        province_digest,
    ]


def build_asset_checks() -> list[dg.AssetChecksDefinition]:
    return [*build_sql_test_checks(), great_expectations_suites]
