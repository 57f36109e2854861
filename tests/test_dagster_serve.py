"""`python -m pipelines.serve` answers on 127.0.0.1 and stops with nothing left behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_answers_server_info_and_stops_cleanly(tmp_path):
    port = free_port()
    env = {**os.environ, "COUNTY_RETURNS_PORT": str(port), "COUNTY_RETURNS_DAGSTER_HOME": str(tmp_path / "home"),
           **{f"COUNTY_RETURNS_{k}": str(tmp_path / k.lower()) for k in ("INBOX", "ARCHIVE", "OUTBOX", "EXPORTS")},
           "COUNTY_RETURNS_WAREHOUSE": str(tmp_path / "wh" / "county_returns.duckdb")}
    log = (tmp_path / "serve.log").open("w")  # a file, not a pipe: a full pipe would block dagster
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.serve"], cwd=REPO, env=env, start_new_session=True,
                            stdout=log, stderr=subprocess.STDOUT)
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"no /server_info (serve exited {proc.poll()})"
        children = descendants(proc.pid)
        assert len(children) >= 4  # dagster dev, webserver, daemon, code server
        home = tmp_path / "home"
        assert "enabled: false" in (home / "dagster.yaml").read_text()
    finally:
        children |= descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            for pid in [proc.pid, *children]:  # only what this test started
                if running(pid):
                    os.kill(pid, signal.SIGKILL)
            raise
        finally:
            log.close()
    out = (tmp_path / "serve.log").read_text(errors="replace")
    assert proc.returncode == 0, out[-2000:]
    assert f"http://127.0.0.1:{port}" in out
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if running(pid)]
