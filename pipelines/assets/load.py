"""ops/submission and the tables the loader writes with it, for one county × period.

The loader (`warehouse.load`) is the single writer, run serially under the warehouse lock;
each file is atomic (a few files share a transaction, retried file by file on failure). It writes ops.submission, ops.submission_form,
the six core tables (history for replaced versions) and quality.issue / quality.quarantine in
that transaction, so they are one multi-asset; core tables depend on ops/submission.
"""

from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from pipelines.assets.constants import (CHECKED_SUBMISSIONS, CORE, CORE_TABLES, ISSUE, QUALITY, QUARANTINE,
                                        SUBMISSION, SUBMISSION_FORM)
from pipelines.partitions import county_period_partitions, period_value, split_key
from pipelines.resources import CountyReturnsResource
from warehouse.db import FORM_TABLES

_KINDS = {"duckdb", "polars"}
LOAD_SPECS = [
    dg.AssetSpec(SUBMISSION, deps=[CHECKED_SUBMISSIONS], group_name=CORE, kinds=_KINDS,
                 description="One row per file received (rejected ones too): status, version, archive path."),
    dg.AssetSpec(SUBMISSION_FORM, deps=[SUBMISSION], group_name=CORE, kinds=_KINDS,
                 description="One row per file × form: the version it loaded and what superseded it."),
    *(dg.AssetSpec(key, deps=[SUBMISSION], group_name=CORE, kinds=_KINDS,
                   description=f"Current rows of the {form} form (earlier versions in history.{key.path[-1]}).")
      for form, key in CORE_TABLES.items()),
    dg.AssetSpec(ISSUE, deps=[SUBMISSION], group_name=QUALITY, kinds=_KINDS,
                 description="Every finding of the validator, with the cell the county sees."),
    dg.AssetSpec(QUARANTINE, deps=[SUBMISSION], group_name=QUALITY, kinds=_KINDS,
                 description="Rows refused by an error rule, with their raw cells."),
]


def ingest_report(results: list):
    """The `IngestReport` of a run's checked files, shaped as `run_ingest` builds it."""
    from pipelines.flow import county_folder_of
    from pipelines.ingest import FileOutcome, IngestReport

    files = []
    for r in results:
        path = Path(r.path)
        files.append(FileOutcome(path, r.county_code or county_folder_of(path), r.status, len(r.records),
                                 len(r.quarantined), len(r.issues), result=r))
    return IngestReport(files=files)


@dg.multi_asset(
    name="load_submissions",
    specs=LOAD_SPECS,
    partitions_def=county_period_partitions,
    ins={"checked_submissions": dg.AssetIn(CHECKED_SUBMISSIONS)},
    description="Archive each checked file once by SHA-256 and load it (each file atomic).",
)
def load_submissions(context: dg.AssetExecutionContext, checked_submissions: list,
                     county_returns: CountyReturnsResource):
    from pipelines.ingest import load_checked

    county, period = split_key(context.partition_key)
    outcomes: dict[str, int] = {}
    rows_loaded: dict[str, int] = {}
    with county_returns.open_warehouse() as con:
        for f in load_checked(con, checked_submissions, county_returns.config(), datetime.now(timezone.utc)):
            outcomes[f.status] = outcomes.get(f.status, 0) + 1
            for r in f.result.records:
                rows_loaded[r.form] = rows_loaded.get(r.form, 0) + 1
        counts = partition_counts(con, county, period_value(period))
    context.log.info(f"{county} {period}: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))

    yield dg.MaterializeResult(asset_key=SUBMISSION, metadata={
        "this_run": dg.MetadataValue.json(outcomes),
        "dagster/partition_row_count": counts["ops.submission"],
    })
    yield dg.MaterializeResult(asset_key=SUBMISSION_FORM,
                               metadata={"dagster/partition_row_count": counts["ops.submission_form"]})
    for form, key in CORE_TABLES.items():
        yield dg.MaterializeResult(asset_key=key, metadata={
            "dagster/partition_row_count": counts[f"core.{FORM_TABLES[form]}"],
            "rows_loaded_this_run": rows_loaded.get(form, 0),
        })
    yield dg.MaterializeResult(asset_key=ISSUE, metadata={"dagster/partition_row_count": counts["quality.issue"]})
    yield dg.MaterializeResult(asset_key=QUARANTINE, metadata={"dagster/partition_row_count": counts["quality.quarantine"]})


def partition_counts(con, county: str, period: str | None) -> dict[str, int]:
    """Rows of each loaded table that belong to one county × period (NULL period = unknown)."""
    tables = ["ops.submission", "ops.submission_form", *(f"core.{t}" for t in FORM_TABLES.values()),
              "quality.issue", "quality.quarantine"]
    # table names are constants of this module; county and period are bound
    return {t: con.execute(f"SELECT count(*) FROM {t} WHERE county_code = ? AND period IS NOT DISTINCT FROM ?",
                           [county, period]).fetchone()[0]
            for t in tables}
