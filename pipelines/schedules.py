"""The nightly refresh at 02:00 China time of everything that spans the whole province."""

import dagster as dg

from pipelines.assets import PARTITIONED_ASSETS
from pipelines.assets.quality import great_expectations_suites

# Intake is per county × period and runs when a file lands (sensors.inbox_sensor); the
# night rebuilds the warehouse-wide rest: reference data, every model and its SQL tests, the
# GE suites, the analyst snapshot, the Parquet exports, reminders and the province digest.
WAREHOUSE_WIDE = (dg.AssetSelection.all() - dg.AssetSelection.assets(*PARTITIONED_ASSETS)) \
    | dg.AssetSelection.checks(great_expectations_suites)

nightly_job = dg.define_asset_job(
    "nightly_job",
    selection=WAREHOUSE_WIDE,
    description="Rebuild reference data, models, checks, snapshot, exports; send reminders and the digest.",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_refresh",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 Asia/Shanghai (18:00 UTC).",
)
