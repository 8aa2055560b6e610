"""What the benchmarks share: the databases they run on, one child process per
database (settings read DATABASE_URL once, and each process's peak memory is
its own), and a description of the machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = Path(
    os.environ.get("BENCH_SQLITE_PATH", Path(tempfile.gettempdir()) / "municipia_bench.sqlite3")
)
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "municipia_bench"
DATABASES = ("sqlite", "postgresql")


def database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def setup_django() -> None:
    """Configure Django in a child process (DATABASE_URL is already set)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings")
    import django

    django.setup()


def fresh_database(database: str) -> None:
    """An empty database: a new SQLite file, or PostgreSQL's municipia_bench
    dropped and created again."""
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def run_child(script: Path, database: str, *args: str) -> dict:
    """Run `script --child DATABASE ARGS…` with that database's URL and production's
    DEBUG=False, and return the JSON object it prints last."""
    # DEBUG off as in production: no query log, no debug-only work.
    env = {**os.environ, "DATABASE_URL": database_url(database), "DEBUG": "False"}
    completed = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, str(script), "--child", database, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"{script.name} failed on {database}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def machine() -> dict:
    """nproc, CPU model, memory, Python and database versions."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import sqlite3

    info = {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if postgres_available():
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres") as connection:
            info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    return info


def print_machine() -> None:
    info = machine()
    print(
        f"Machine: {info['cores']} cores, {info['cpu']}, {info['memory']} RAM; "
        f"Python {info['python']}, SQLite {info['sqlite']}, "
        f"PostgreSQL {info.get('postgresql', 'not available')}"
    )


def selected_databases(requested: str) -> list[str]:
    databases = [d.strip() for d in requested.split(",") if d.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown:
        raise SystemExit(f"Unknown databases: {', '.join(sorted(unknown))}")
    if "postgresql" in databases and not postgres_available():
        print(f"PostgreSQL is not reachable at {POSTGRES_SERVER}: skipped.")
        databases.remove("postgresql")
    return databases
