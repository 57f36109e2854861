"""`make serve`: the Dagster UI, daemon and code server for this repo, on 127.0.0.1 only.

    python -m pipelines.serve            # http://127.0.0.1:3000
    COUNTY_RETURNS_PORT=3999 python -m pipelines.serve

DAGSTER_HOME is the repo's .dagster_home/ (COUNTY_RETURNS_DAGSTER_HOME overrides it), with a
dagster.yaml that turns telemetry off and runs one run at a time (every run writes the one
DuckDB file). `dagster dev` starts in its own session so that Ctrl-C / SIGTERM here stop it
and its four children cleanly even when this is launched from a script (TOOLCHAIN G9).
The UI has no login: read docs/operations.md before exposing it beyond this machine.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never 0.0.0.0: put an authenticating reverse proxy in front instead
DEFAULT_PORT = 3000
READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 30.0

INSTANCE_YAML = """\
# Dagster instance for county-returns, written by `python -m pipelines.serve` when missing.
# Edit freely; serve never overwrites it.
telemetry:
  enabled: false
concurrency:
  runs:
    # Every run writes the one DuckDB warehouse (one writer per file): run them one at a time.
    max_concurrent_runs: 1
"""


def dagster_home() -> Path:
    return Path(os.environ.get("COUNTY_RETURNS_DAGSTER_HOME") or REPO / ".dagster_home").resolve()


def port_from_env() -> int:
    raw = os.environ.get("COUNTY_RETURNS_PORT", str(DEFAULT_PORT))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SystemExit(f"COUNTY_RETURNS_PORT 应为 1–65535 之间的端口号，实际为 {raw!r}")
    return int(raw)


def prepare_home(home: Path) -> Path:
    """Create DAGSTER_HOME with its dagster.yaml (only if there is none yet)."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        tmp = config.with_name(".dagster.yaml.tmp")
        tmp.write_text(INSTANCE_YAML, encoding="utf-8")
        os.replace(tmp, config)
    return config


def command(port: int) -> list[str]:
    dagster = Path(sys.executable).with_name("dagster")
    base = [str(dagster)] if dagster.exists() else [sys.executable, "-m", "dagster"]
    return [*base, "dev", "-m", "pipelines.definitions", "-h", HOST, "-p", str(port)]


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(home)
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    return env


def wait_until_ready(proc: subprocess.Popen, url: str, stop: threading.Event,
                     timeout: float = READY_TIMEOUT_SECONDS) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None and not stop.is_set():
        try:
            with urllib.request.urlopen(url + "/server_info", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        stop.wait(0.5)
    return False


def stop_process_group(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT_SECONDS) -> int:
    """SIGTERM to `dagster dev` (it stops its children), then to the group, then SIGKILL."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if not _group_alive(proc.pid):
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
    return proc.wait()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> int:
    port = port_from_env()
    home = dagster_home()
    prepare_home(home)
    url = f"http://{HOST}:{port}"
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # A new session: the terminal's Ctrl-C reaches only us, and we stop the whole group.
    proc = subprocess.Popen(command(port), cwd=REPO, env=environment(home), start_new_session=True)
    try:
        if wait_until_ready(proc, url, stop):
            print(f"county-returns Dagster UI: {url}  (DAGSTER_HOME={home}; Ctrl-C stops)", flush=True)
        while proc.poll() is None and not stop.is_set():
            stop.wait(0.5)
    finally:
        code = stop_process_group(proc)
    if stop.is_set():
        print("county-returns Dagster UI stopped", flush=True)
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
