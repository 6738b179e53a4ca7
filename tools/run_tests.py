"""Run the test suite on SQLite and, when a server answers, on PostgreSQL too.

PostgreSQL is used when DATABASE_URL is set, or when something listens on
127.0.0.1:5432 (then as postgres://postgres@127.0.0.1:5432/test). Extra
arguments go to pytest, e.g. `python tools/run_tests.py -k people`.

With more than one CPU, each run is spread over them with pytest-xdist (each worker
has its own test database); `-n 0` among the arguments runs in one process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return LOCAL_POSTGRES
    except OSError:
        return None


def parallel(args: list[str]) -> list[str]:
    """`-n <cpus>` unless the caller chose (`-n …`, `--numprocesses`, `-p no:xdist`)."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist" for a in args)
    cpus = os.cpu_count() or 1
    if chosen or cpus < 2:
        return []
    return ["-n", str(min(cpus, 4))]


def run(label: str, env: dict[str, str], args: list[str]) -> int:
    print(f"\n=== tests on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    args = parallel(sys.argv[1:]) + sys.argv[1:]
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    failed = run("SQLite", base, args)
    url = postgres_url()
    if url:
        failed |= run("PostgreSQL", {**base, "DATABASE_URL": url}, args)
    else:
        print("\nPostgreSQL not found: skipped the PostgreSQL run.", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
