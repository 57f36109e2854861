"""County × period partitions of the intake assets.

A partition is one county's returns for one reporting period: `MultiPartitionKey` with the
dimensions `county` (the current 6-digit code of the inbox folder, which is the sender's
identity) and `period` (`YYYY-MM`, `YYYY` or `YYYY-Qn`, as `check` finds it). Both are dynamic:
the inbox sensor adds a key the first time a county or a period turns up, so the UI shows a
county × period grid of exactly the returns that exist, and annual or quarterly returns fit
as well as monthly ones (a MonthlyPartitionsDefinition could not hold `2018` or `2018-Q3`).

A file whose folder is no 6-digit code, or whose period cannot be found (it is rejected), goes
to the `unknown` key of that dimension: it is still recorded and its county still told why.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

COUNTY = "county"
PERIOD = "period"
UNKNOWN = "unknown"

county_partitions = dg.DynamicPartitionsDefinition(name=COUNTY)
period_partitions = dg.DynamicPartitionsDefinition(name=PERIOD)
county_period_partitions = dg.MultiPartitionsDefinition({COUNTY: county_partitions, PERIOD: period_partitions})


def county_key_of(path: Path) -> str:
    """The county dimension of an inbox file: its folder, historical codes mapped to current ones."""
    from pipelines.flow import county_folder_of
    from pipelines.intake.counties import county_index

    folder = county_folder_of(path)
    if folder is None:
        return UNKNOWN
    county = county_index().resolve(folder)
    return county.code if county else folder


def period_key(period: str | None) -> str:
    return period or UNKNOWN


def partition_key(county: str, period: str | None) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({COUNTY: county, PERIOD: period_key(period)})


def split_key(key: str | dg.MultiPartitionKey) -> tuple[str, str]:
    """(county, period) of a partition key as Dagster hands it over ("450224|2018-08")."""
    if not isinstance(key, dg.MultiPartitionKey):
        key = county_period_partitions.get_partition_key_from_str(key)
    dims = key.keys_by_dimension
    return dims[COUNTY], dims[PERIOD]


def period_value(key: str) -> str | None:
    """The warehouse's period for a period key (`unknown` is NULL)."""
    return None if key == UNKNOWN else key


@dataclass(frozen=True)
class PartitionFiles:
    """The files one county-month run checks (see `partition_files`)."""

    receipts: list  # list[pipelines.flow.Receipt], in inbox order
    new: list[str]  # SHA-256 of the receipts the warehouse has never seen
    other_periods: list[str]  # the county's files already recorded under another period


def known_periods(con) -> dict[str, str]:
    """SHA-256 → period key of every file the warehouse has recorded (rejected ones included)."""
    return {sha: period_key(period)
            for sha, period in con.execute("SELECT sha256, period FROM ops.submission").fetchall()}


def partition_files(con, files: Iterable[Path], county: str, period: str,
                    only: Collection[str] = ()) -> PartitionFiles:
    """What a run for (county, period) checks: the county's files recorded under this period,
    and its files not recorded yet (their period is known only once they are read). Other
    counties' files are not even hashed; a file recorded under another period is left alone.
    `only` (SHA-256s) narrows the run to those files, as the inbox sensor's runs do.
    """
    from pipelines.flow import receive

    known = known_periods(con)
    receipts, new, elsewhere, seen = [], [], [], set()
    for path in files:
        if county_key_of(path) != county:
            continue
        receipt = receive(path)
        if receipt.sha256 in seen or (only and receipt.sha256 not in only):
            continue
        seen.add(receipt.sha256)
        recorded = known.get(receipt.sha256)
        if recorded is not None and recorded != period:
            elsewhere.append(path.name)
            continue
        receipts.append(receipt)
        if recorded is None:
            new.append(receipt.sha256)
    return PartitionFiles(receipts, new, elsewhere)
