"""One config file, validated at start: unknown keys and bad values are errors naming the key."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipelines.config import ConfigError, load_config
from tests.conftest import REPO


def _write(tmp_path, text):
    path = tmp_path / "cr.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repo_config_loads_with_relative_paths():
    config = load_config(REPO / "county_returns.toml")
    assert config.paths.warehouse == REPO / "warehouse" / "county_returns.duckdb"
    assert config.limits.max_file_bytes == 50 * 1024 * 1024 and config.calendar.due_day == 5


@pytest.mark.parametrize("text,key", [
    ("[paths]\ninbx = 'x'\n", "paths.inbx"),
    ("[smtp]\nport = 'twenty-five'\n", "smtp.port"),
    ("[limits]\nmax_rows_per_sheet = -1\n", "limits.max_rows_per_sheet"),
    ("colour = 'red'\n", "colour"),
    ("[calendar]\nforms = 'team'\n", "calendar.forms"),
])
def test_bad_keys_and_values_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text))
    assert key in str(err.value)


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    path = _write(tmp_path, "[paths]\ninbox = 'in'\nwarehouse = 'w.duckdb'\n")
    monkeypatch.setenv("COUNTY_RETURNS_WAREHOUSE", str(tmp_path / "elsewhere.duckdb"))
    config = load_config(path)
    assert config.paths.inbox == tmp_path / "in"
    assert config.paths.warehouse == tmp_path / "elsewhere.duckdb"


def test_cli_reports_a_bad_config_without_a_traceback(tmp_path):
    path = _write(tmp_path, "[paths]\ninbx = 'x'\n")
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "ingest", "--config", str(path)],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 2 and "paths.inbx" in out.stderr and "Traceback" not in out.stderr
