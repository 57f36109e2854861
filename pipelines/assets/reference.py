"""ref/*: the county code list and the reporting calendar the marts compare against."""

import dagster as dg

from pipelines.assets.constants import CORE, REF_CALENDAR, REF_COUNTY, REF_COUNTY_FORM, SUBMISSION
from pipelines.resources import CountyReturnsResource


@dg.asset(key=REF_COUNTY, group_name=CORE, kinds={"duckdb", "csv"},
          description="Guangxi county codes, current and historical (warehouse/ref CSVs).")
def ref_county(county_returns: CountyReturnsResource) -> dg.MaterializeResult:
    from warehouse.db import load_reference

    with county_returns.open_warehouse() as con:
        rows = load_reference(con)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


@dg.multi_asset(
    name="reporting_calendar",
    specs=[
        dg.AssetSpec(REF_CALENDAR, deps=[SUBMISSION], group_name=CORE, kinds={"duckdb"},
                     description="Due date per period × form (config [calendar])."),
        dg.AssetSpec(REF_COUNTY_FORM, deps=[SUBMISSION], group_name=CORE, kinds={"duckdb"},
                     description="Which county owes which form: the configured counties, else every sender."),
    ],
)
def reporting_calendar(county_returns: CountyReturnsResource):
    from pipelines.calendar import fill_reporting_calendar

    config = county_returns.config()
    with county_returns.open_warehouse() as con:
        fill_reporting_calendar(con, config.calendar)
        calendar_rows = con.execute("SELECT count(*) FROM ref.reporting_calendar").fetchone()[0]
        county_form_rows = con.execute("SELECT count(*) FROM ref.county_form").fetchone()[0]
    yield dg.MaterializeResult(asset_key=REF_CALENDAR, metadata={"dagster/row_count": calendar_rows})
    yield dg.MaterializeResult(asset_key=REF_COUNTY_FORM, metadata={"dagster/row_count": county_form_rows})
