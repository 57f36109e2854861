"""Typed hand-offs between the stages of the flow (see DESIGN.md).

Every stage takes and returns these plain dataclasses, so each can be called and tested
without Dagster, and `check` and `ingest` share one code path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["reject", "error", "warning"]
Status = Literal["accepted", "accepted_with_warnings", "rejected"]


@dataclass(frozen=True)
class Issue:
    """One finding, named by its CONTRACT rule code, located at a sheet cell."""

    severity: Severity
    rule: str
    message: str  # one line of Chinese a county clerk understands
    form: str | None = None
    sheet: str | None = None  # None for CSV (the file is the sheet)
    cell: str | None = None  # A1 address in the county's own file, e.g. "C9"
    row: int | None = None  # 1-based sheet row (CSV: 1-based line)
    raw_value: str | None = None

    def __reduce__(self):  # checked files cross a process boundary: pickle as arguments
        return (Issue, (self.severity, self.rule, self.message, self.form, self.sheet, self.cell,
                        self.row, self.raw_value))

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "form": self.form,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "raw_value": self.raw_value,
            "message": self.message,
        }


@dataclass
class Record:
    """A clean row: canonical field values, plus where it came from."""

    form: str
    sheet: str | None
    row: int
    values: dict[str, Any]

    def __reduce__(self):  # a file's thousands of records: 5× faster to unpickle than a __dict__
        return (Record, (self.form, self.sheet, self.row, self.values))

    def to_json(self) -> dict[str, Any]:
        return {"form": self.form, "sheet": self.sheet, "row": self.row, "values": self.values}


@dataclass
class RecordBlock:
    """The clean rows of one table, column by column: a polars frame with one column per
    field the table carries, in the order of a Record's values, and the sheet row of each.

    Validation builds this frame anyway, so a file's thousands of rows cross the process
    boundary as a few Arrow buffers and reach DuckDB without a loop over rows; a Record is
    made only for whoever iterates (the JSON of `check`, tests)."""

    form: str
    sheet: str | None
    rows: list[int]
    frame: Any  # polars.DataFrame (this module stays free of polars)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Record]:
        form, sheet = self.form, self.sheet
        for row, values in zip(self.rows, self.frame.iter_rows(named=True)):
            yield Record(form, sheet, row, values)

    def __reduce__(self):
        return (RecordBlock, (self.form, self.sheet, self.rows, self.frame))


class Records(Sequence[Record]):
    """A file's clean rows in file order: blocks from validation and single hand-made
    Records, read as one sequence of Records."""

    def __init__(self, items: Iterable[Record | RecordBlock] = ()):
        self.parts: list[Record | RecordBlock] = []
        self._count = 0
        self._listed: list[Record] | None = None
        self.extend(items)

    def extend(self, items: Iterable[Record | RecordBlock]) -> None:
        for part in (items.parts if isinstance(items, Records) else items):
            if not isinstance(part, (Record, RecordBlock)):
                raise TypeError(f"not a Record or RecordBlock: {type(part).__name__}")
            self.parts.append(part)
            self._count += len(part) if isinstance(part, RecordBlock) else 1
        self._listed = None

    def __iadd__(self, items: Iterable[Record | RecordBlock]) -> Records:
        self.extend(items)
        return self

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Record]:
        for part in self.parts:
            if isinstance(part, Record):
                yield part
            else:
                yield from part

    def __getitem__(self, index):
        if self._listed is None:
            self._listed = list(self)
        return self._listed[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Records, list, tuple)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Records({len(self)} rows in {len(self.parts)} parts)"

    def __reduce__(self):
        return (Records, (self.parts,))


@dataclass
class Quarantined:
    """A row refused by an error rule; `raw` keeps its cells as the county wrote them."""

    form: str
    sheet: str | None
    row: int
    raw: dict[str, str]
    rules: list[str] = field(default_factory=list)

    def __reduce__(self):
        return (Quarantined, (self.form, self.sheet, self.row, self.raw, self.rules))

    def to_json(self) -> dict[str, Any]:
        return {"form": self.form, "sheet": self.sheet, "row": self.row, "raw": self.raw}


@dataclass
class TotalRow:
    """A 合计/小计/总计 row: checked against its detail rows, never loaded as data."""

    form: str
    sheet: str | None
    row: int
    label: str

    def __reduce__(self):
        return (TotalRow, (self.form, self.sheet, self.row, self.label))

    def to_json(self) -> dict[str, Any]:
        return {"form": self.form, "sheet": self.sheet, "row": self.row, "label": self.label}


@dataclass
class CheckResult:
    """Everything `check` learns about one file; `ingest` loads exactly this."""

    file: str  # file name as received
    path: str  # where it was read from
    sha256: str
    size: int
    county_code: str | None  # current code (historical codes mapped)
    period: str | None  # YYYY-MM, YYYY or YYYY-Qn
    records: Records = field(default_factory=Records)  # a list of Records is wrapped
    quarantined: list[Quarantined] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)  # forms found, in sheet order
    input_rows: int = 0  # data + total rows seen; = records + quarantined + totals
    file_type: str | None = None  # xlsx, xlsm, xls, csv
    sheets: list[str] = field(default_factory=list)  # every sheet read, forms or not

    def __post_init__(self) -> None:
        if not isinstance(self.records, Records):
            self.records = Records(self.records)

    @property
    def rejected(self) -> bool:
        return any(i.severity == "reject" for i in self.issues)

    @property
    def status(self) -> Status:
        if self.rejected:
            return "rejected"
        return "accepted_with_warnings" if self.issues else "accepted"

    @property
    def exit_code(self) -> int:
        return {"accepted": 0, "accepted_with_warnings": 1, "rejected": 2}[self.status]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "county_code": self.county_code,
            "period": self.period,
            "status": self.status,
            "records": [r.to_json() for r in self.records],
            "quarantined": [q.to_json() for q in self.quarantined],
            "issues": [i.to_json() for i in self.issues],
            "totals_rows": [t.to_json() for t in self.totals],
        }
