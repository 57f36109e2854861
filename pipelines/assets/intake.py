"""intake/inbox_files → intake/checked_submissions: one county × period partition at a time.

Bodies call the stage functions (`discover`, `receive`, `check_all`); what belongs to a
partition is decided in `pipelines.partitions`.
"""

from collections import Counter
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipelines.assets.constants import CHECKED_SUBMISSIONS, INBOX_FILES, INTAKE
from pipelines.partitions import county_period_partitions, partition_files, period_key, split_key
from pipelines.resources import CountyReturnsResource


class InboxFilesConfig(dg.Config):
    """Empty: every file of the county-month. The inbox sensor names the one new file."""

    sha256: list[str] = Field(default=[], description="take only these files of the county-month (by content SHA-256)")


@dg.asset(
    key=INBOX_FILES,
    partitions_def=county_period_partitions,
    group_name=INTAKE,
    kinds={"python"},
    description="The county's inbox files of this period, received: SHA-256 and size each, and which are new.",
)
def inbox_files(context: dg.AssetExecutionContext, config: InboxFilesConfig,
                county_returns: CountyReturnsResource) -> dg.Output:
    from pipelines.ingest import discover

    county, period = split_key(context.partition_key)
    paths = county_returns.config().paths
    with county_returns.open_warehouse() as con:
        selected = partition_files(con, discover(paths.inbox), county, period, config.sha256)
    return dg.Output(selected.receipts, metadata={
        "county": county,
        "period": period,
        "file_count": len(selected.receipts),
        "new_files": len(selected.new),
        "files": dg.MetadataValue.json([_relative(r.path, paths.inbox) for r in selected.receipts]),
        "other_periods_skipped": dg.MetadataValue.json(selected.other_periods),
    })


@dg.asset(
    key=CHECKED_SUBMISSIONS,
    partitions_def=county_period_partitions,
    group_name=INTAKE,
    kinds={"polars", "python"},
    description="Every file read, located, parsed and validated (`check`), in a process pool; "
                "only results whose period is this partition's go on.",
)
def checked_submissions(context: dg.AssetExecutionContext, inbox_files: list,
                        county_returns: CountyReturnsResource) -> dg.Output:
    from pipelines.ingest import check_all

    _, period = split_key(context.partition_key)
    config = county_returns.config()
    results = check_all(inbox_files, config)
    mine = [r for r in results if period_key(r.period) == period]
    elsewhere = [r for r in results if period_key(r.period) != period]
    for other in elsewhere:
        # A new file is checked before its period is known; the sensor asks for its own partition.
        context.log.info(f"{other.file}: period {period_key(other.period)}, not {period}; left to its own partition")
    return dg.Output(mine, metadata={
        "file_count": len(mine),
        "status": dg.MetadataValue.json(dict(Counter(r.status for r in mine))),
        "records": sum(len(r.records) for r in mine),
        "quarantined": sum(len(r.quarantined) for r in mine),
        "issues": sum(len(r.issues) for r in mine),
        "checked": dg.MetadataValue.json([r.file for r in results]),
        "checked_elsewhere": dg.MetadataValue.json([r.file for r in elsewhere]),
    })


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
