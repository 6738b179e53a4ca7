"""`closeknit serve` for real: a fresh data directory, gunicorn, real HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("closeknit")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "closeknit.cli"]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _wait_until_it_answers(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"closeknit serve exited early:\n{log.read_text()}")
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"closeknit serve did not answer in time:\n{log.read_text()}")


def test_serve_migrates_and_serves_pages_and_static_files(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CLOSEKNIT_ENCRYPTION_KEYS"}
    }
    env.update(CLOSEKNIT_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*_command(), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(f"{base}/help/", process, log)
        status, body = _get(f"{base}/help/?country=GB")
        assert status == 200
        assert b"Samaritans" in body
        status, css = _get(f"{base}/static/closeknit/site.css")
        assert status == 200
        assert b"{" in css
        assert (tmp_path / "data" / "closeknit.sqlite3").exists()
        assert (tmp_path / "data" / "static" / "closeknit" / "site.css").exists()
        vapid_key = tmp_path / "data" / "vapid_private.pem"  # the Web Push key, made on first run
        assert vapid_key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
        assert vapid_key.stat().st_mode & 0o777 == 0o600
        assert f"http://127.0.0.1:{port}/" in log.read_text()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, log.read_text()
