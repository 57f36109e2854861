"""Size limits a file must pass before it is read into memory (configurable)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_rows_per_sheet: int = 200_000
    max_uncompressed_bytes: int = 500 * 1024 * 1024
