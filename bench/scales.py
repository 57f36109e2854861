"""How big a benchmark run is: the main inbox, the archive for the incremental run, the profile."""

from __future__ import annotations

from dataclasses import dataclass


def months_back(last: str, n: int) -> list[str]:
    """The n months ending with `last` ('2018-08'), oldest first."""
    year, month = int(last[:4]), int(last[5:7])
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int | None  # None = all 111 current Guangxi codes
    periods: tuple[str, ...]  # one workbook per county and period
    rows_per_form: int  # ~515 gives a workbook of ~3,150 rows (six forms + layout rows)
    archive_counties: int | None  # the incremental run: small files already archived …
    archive_periods: tuple[str, ...]
    archive_rows: int
    profile_files: int  # workbooks in the single-process profiled run
    check_repeats: int  # cold `check` runs; the best counts


SCALES = {
    # CI: a handful of files, every measurement, no timing asserts
    "small": Scale("small", 4, ("2018-08",), 20, 3, ("2018-08",), 6, 1, 1),
    # the province: 111 county-level units, a multi-form workbook of ~3,150 rows each;
    # 111 × 9 months = 999 archived files + 1 new for the nightly run
    "province": Scale("province", None, ("2018-08",), 515, None, tuple(months_back("2018-08", 9)), 12, 12, 3),
    # ~2,850 county-level units nationally. The product accepts Guangxi codes only (CONTRACT:
    # county_unknown otherwise), so the same volume is 111 counties × 26 months = 2,886 workbooks.
    "national": Scale("national", None, tuple(months_back("2018-08", 26)), 515, None,
                      tuple(months_back("2018-08", 9)), 12, 12, 3),
}
