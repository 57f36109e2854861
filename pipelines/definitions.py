"""Everything Dagster knows about county-returns, assembled in one place.

`dagster dev -m pipelines.definitions` (or `make serve`). Nothing runs at import: the SQL
model files are read and the resource configured only when Dagster loads `defs`.
"""

import dagster as dg

from pipelines.resources import RESOURCE_KEY, CountyReturnsResource
from pipelines.schedules import nightly_job, nightly_schedule
from pipelines.sensors import county_month_job, inbox_sensor, run_failure_alert


@dg.definitions
def defs() -> dg.Definitions:
    from pipelines.assets import build_asset_checks, build_assets

    return dg.Definitions(
        assets=build_assets(),
        asset_checks=build_asset_checks(),
        jobs=[county_month_job, nightly_job],
        schedules=[nightly_schedule],
        sensors=[inbox_sensor, run_failure_alert],
        # Paths from county_returns.toml / $COUNTY_RETURNS_CONFIG and $COUNTY_RETURNS_<KEY>.
        resources={RESOURCE_KEY: CountyReturnsResource()},
    )
