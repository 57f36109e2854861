"""alerts/*: feedback to each county after its returns load, reminders and the digest nightly.

`county-returns ingest` sends both halves in one batch. Here a county-month is loaded whenever a
file lands, so the county half runs per partition and the province half once a night.
"""

from collections import Counter

import dagster as dg

from pipelines.assets.constants import (ALERTS, ANALYST_SNAPSHOT, CHECKED_SUBMISSIONS, COUNTY_FEEDBACK,
                                        PROVINCE_DIGEST, SUBMISSION)
from pipelines.assets.load import ingest_report
from pipelines.partitions import county_period_partitions
from pipelines.resources import CountyReturnsResource


@dg.asset(
    key=COUNTY_FEEDBACK,
    partitions_def=county_period_partitions,
    ins={"checked_submissions": dg.AssetIn(CHECKED_SUBMISSIONS)},
    deps=[SUBMISSION],
    group_name=ALERTS,
    kinds={"email", "excel"},
    description="For each file of the run with issues: the county's workbook back with cells marked "
                "and a 问题清单 (outbox/<county>/<period>/), and one email per county × period.",
)
def county_feedback(context: dg.AssetExecutionContext, checked_submissions: list,
                    county_returns: CountyReturnsResource) -> dg.MaterializeResult:
    from pipelines.alerts.dispatch import send_county_alerts

    outcomes = send_county_alerts(ingest_report(checked_submissions), county_returns.config(), context.log.info)
    return dg.MaterializeResult(metadata={"mail": dg.MetadataValue.json(dict(Counter(o.status for o in outcomes)))})


@dg.asset(
    key=PROVINCE_DIGEST,
    deps=[ANALYST_SNAPSHOT],
    group_name=ALERTS,
    kinds={"email"},
    description="Reminders for missing and late returns, and the province office's digest "
                "(from marts.reporting_status in the analyst snapshot).",
)
def province_digest(context: dg.AssetExecutionContext, county_returns: CountyReturnsResource) -> dg.MaterializeResult:
    from pipelines.alerts.dispatch import send_province_alerts
    from pipelines.ingest import IngestReport

    outcomes = send_province_alerts(IngestReport(), county_returns.config(), context.log.info)
    return dg.MaterializeResult(metadata={"mail": dg.MetadataValue.json(dict(Counter(o.status for o in outcomes)))})
