"""Synthetic county submissions for the demo, the tests and the benchmark (see `synth`)."""

from __future__ import annotations

from pathlib import Path

from pipelines.demo.synth import (FileManifest, FormManifest, PlantedError, default_counties, expected_manifest,
                                  generate_inbox, synthesize)

__all__ = ["FileManifest", "FormManifest", "PlantedError", "build_demo_inbox", "default_counties",
           "expected_manifest", "generate_inbox", "synthesize", "DEMO_PERIODS"]

DEMO_PERIODS = ["2018-07", "2018-08"]


def demo_outlier_county() -> str:
    """The demo county whose collective incomes and investment are ten times the others'."""
    return default_counties()[5]


def build_demo_inbox(root: Path) -> list[Path]:
    """The default demo: a dozen counties, July and August 2018, a few planted errors and one
    county whose collective economy figures stand out (an `outlier` for the marts)."""
    return generate_inbox(Path(root), periods=DEMO_PERIODS, outlier_county=demo_outlier_county())
