"""One config file, validated at start. Unknown keys and bad values are errors naming the key.

Every path comes from the file or an environment variable (COUNTY_RETURNS_<KEY>, e.g.
COUNTY_RETURNS_WAREHOUSE), with repo-relative defaults for the demo. Relative paths in the file
are relative to the file's own folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pipelines.limits import Limits

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "county_returns.toml"
ENV_PREFIX = "COUNTY_RETURNS_"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Paths:
    inbox: Path
    archive: Path
    outbox: Path
    warehouse: Path
    exports: Path


@dataclass(frozen=True)
class Smtp:
    host: str = "127.0.0.1"
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "county-returns@localhost"
    dry_run: bool = True  # write .eml files to outbox/_mail instead of sending
    county_addresses: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Calendar:
    due_day: int = 5  # a month's return is due on this day of the next month
    forms: tuple[str, ...] = ("team", "fund", "collective", "industry", "poverty", "sales")
    counties: tuple[str, ...] = ()  # counties expected to report; empty = those that ever did


@dataclass(frozen=True)
class Config:
    paths: Paths
    limits: Limits = Limits()
    smtp: Smtp = Smtp()
    calendar: Calendar = Calendar()
    workers: int = 0  # parallel parse processes; 0 = one per core
    source: Path | None = None


_PATH_KEYS = {f.name for f in fields(Paths)}


def _default_paths(root: Path) -> dict[str, Path]:
    return {"inbox": root / "demo" / "inbox", "archive": root / "archive", "outbox": root / "outbox",
            "warehouse": root / "warehouse" / "county_returns.duckdb", "exports": root / "exports"}


def _check_keys(section: str, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ConfigError(f"配置项未知：{section}.{sorted(unknown)[0]}（允许：{', '.join(sorted(allowed))}）")


def _typed(section: str, cls, data: dict[str, Any]):
    allowed = {f.name: f for f in fields(cls)}
    _check_keys(section, data, set(allowed))
    out = {}
    for key, value in data.items():
        default = getattr(cls(), key) if cls is not Paths else None
        expected = type(default) if default is not None else None
        if expected is tuple:
            if not isinstance(value, list):
                raise ConfigError(f"配置项 {section}.{key} 应为列表")
            value = tuple(value)
        elif expected is not None and expected is not type(value) and not (expected is float and isinstance(value, int)):
            raise ConfigError(f"配置项 {section}.{key} 类型错误：应为 {expected.__name__}，实际为 {type(value).__name__}")
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ConfigError(f"配置项 {section}.{key} 不能为负数")
        out[key] = value
    return out


def load_config(path: Path | str | None = None, **overrides: Any) -> Config:
    """Config from a TOML file (default county_returns.toml), env vars, then explicit overrides."""
    path = Path(path or os.environ.get(ENV_PREFIX + "CONFIG", DEFAULT_CONFIG))
    data: dict[str, Any] = {}
    base = REPO_ROOT
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"配置文件 {path} 格式错误：{exc}") from exc
        base = path.resolve().parent
    elif path != DEFAULT_CONFIG:
        raise ConfigError(f"找不到配置文件：{path}")
    _check_keys("", data, {"paths", "limits", "smtp", "calendar", "workers"})

    paths = _default_paths(REPO_ROOT)
    section = data.get("paths", {})
    _check_keys("paths", section, _PATH_KEYS)
    for key, value in section.items():
        if not isinstance(value, str):
            raise ConfigError(f"配置项 paths.{key} 应为路径字符串")
        paths[key] = base / value
    for key in _PATH_KEYS:
        if env := os.environ.get(ENV_PREFIX + key.upper()):
            paths[key] = Path(env)
    for key, value in overrides.items():
        if key not in _PATH_KEYS:
            raise ConfigError(f"未知参数：{key}")
        if value is not None:
            paths[key] = Path(value)

    smtp = _typed("smtp", Smtp, data.get("smtp", {}))
    if "county_addresses" in smtp:
        addresses = smtp["county_addresses"]
        if not isinstance(addresses, dict) or not all(isinstance(v, list) for v in addresses.values()):
            raise ConfigError("配置项 smtp.county_addresses 应为 { 县级代码 = [邮箱, …] }")
    workers = data.get("workers", 0)
    if not isinstance(workers, int) or workers < 0:
        raise ConfigError("配置项 workers 应为非负整数")
    return Config(
        paths=Paths(**{k: Path(v) for k, v in paths.items()}),
        limits=Limits(**_typed("limits", Limits, data.get("limits", {}))),
        smtp=Smtp(**smtp),
        calendar=Calendar(**_typed("calendar", Calendar, data.get("calendar", {}))),
        workers=workers,
        source=path if path.exists() else None,
    )


def with_paths(config: Config, **paths: Any) -> Config:
    current = {f.name: getattr(config.paths, f.name) for f in fields(Paths)}
    current.update({k: Path(v) for k, v in paths.items() if v is not None})
    return replace(config, paths=Paths(**current))
