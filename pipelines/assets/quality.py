"""Quality beyond the row rules: cross-county warnings, and the GE suites as asset checks.

`pipelines.cross_county.record_cross_county_warnings` turns the marts' robust z-scores and
year-on-year changes into `outlier` / `yoy_change` warnings in quality.issue (recomputed
after every model build), which the nightly alerts ask counties to confirm or explain.

Great Expectations suites (`warehouse.quality_suites.run_suites`) run as asset checks: one
suite per core table and one for marts.county_comparison; each becomes the check
`great_expectations_suite` on that asset, with the failing expectations and row ids in its
metadata. The suites run together in one step (one GE context, one connection).
"""

import dagster as dg

from pipelines.assets.constants import CORE_TABLES, CROSS_COUNTY_WARNINGS, GE_CHECK, GE_MART, QUALITY
from pipelines.assets.models import json_safe
from pipelines.resources import CountyReturnsResource

GE_TARGETS = [*CORE_TABLES.values(), GE_MART]
CROSS_COUNTY_SOURCES = [dg.AssetKey(["marts", "county_comparison"]), dg.AssetKey(["marts", "county_yoy"])]


@dg.asset(key=CROSS_COUNTY_WARNINGS, deps=CROSS_COUNTY_SOURCES, group_name=QUALITY, kinds={"duckdb"},
          description="outlier (robust z > 3.5 against the province) and yoy_change (> 50 %) warnings "
                      "in quality.issue, recomputed from the marts.")
def cross_county_warnings(county_returns: CountyReturnsResource) -> dg.MaterializeResult:
    from pipelines.cross_county import record_cross_county_warnings

    with county_returns.open_warehouse() as con:
        written = record_cross_county_warnings(con)
    return dg.MaterializeResult(metadata={"dagster/row_count": written})


@dg.multi_asset_check(
    name="great_expectations_suites",
    specs=[dg.AssetCheckSpec(GE_CHECK, asset=key, description=f"GE suite {'.'.join(key.path)}")
           for key in GE_TARGETS],
    can_subset=True,
)
def great_expectations_suites(context: dg.AssetCheckExecutionContext, county_returns: CountyReturnsResource):
    from pipelines.runtime import allow_pandas

    allow_pandas()  # in case this process keeps pandas out (`runtime.own_process`)
    import great_expectations  # noqa: F401  (~3 s of import, paid before the warehouse lock is taken)

    from warehouse.quality_suites import run_suites

    selected = [key for key in GE_TARGETS if dg.AssetCheckKey(key, GE_CHECK) in context.selected_asset_check_keys]
    try:
        with county_returns.open_warehouse() as con:
            suites = {dg.AssetKey(s.name.split(".")): s for s in run_suites(con)}
    except LookupError as missing:
        # The suites run together and one reads marts.county_comparison: in a county-month run
        # on a warehouse whose models were never built there is nothing to validate yet.
        for key in selected:
            yield dg.AssetCheckResult(asset_key=key, check_name=GE_CHECK, passed=False,
                                      severity=dg.AssetCheckSeverity.WARN,
                                      metadata={"not_evaluated": f"{missing} — the nightly job builds the models"})
        return
    for key in selected:
        suite = suites.get(key)
        if suite is None:
            yield dg.AssetCheckResult(asset_key=key, check_name=GE_CHECK, passed=False,
                                      metadata={"error": "run_suites returned no suite for this table"})
            continue
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name=GE_CHECK,
            passed=suite.success,
            metadata={"rows": suite.rows, "failing_expectations": len(suite.failing),
                      "failing": dg.MetadataValue.json(json_safe(suite.failing))},
        )
