"""A throwaway Postgres server: Debian's binaries, a data directory in a temporary folder, its
own port on 127.0.0.1, stopped and deleted afterwards.

Postgres refuses to run as root, so when the tests run as root the server runs as the
``postgres`` OS user (created by Debian's package) through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "scoro"
PASSWORD = "scoro-throwaway"
DATABASE = "scoro"


def postgres_bin_dir() -> Path:
    """The newest Debian Postgres install (/usr/lib/postgresql/<major>/bin), or PG_BIN_DIR."""
    if os.environ.get("PG_BIN_DIR"):
        return Path(os.environ["PG_BIN_DIR"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if not found:
        raise RuntimeError(
            "no Postgres server binaries (initdb): install Debian's postgresql "
            "(make warehouse-deps does)"
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ThrowawayPostgres:
    host: str
    port: int
    user: str
    password: str
    database: str
    root: Path
    bin_dir: Path
    os_user: str | None

    @property
    def url(self) -> str:
        return self.url_of(self.database)

    def url_of(self, database: str) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database on this server (one per test); its URL."""
        self._psql(f'create database "{name}"')
        return self.url_of(name)

    def _psql(self, sql: str) -> None:
        env = {**os.environ, "PGPASSWORD": self.password}
        subprocess.run(
            [
                str(self.bin_dir / "psql"),
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    @property
    def env(self) -> dict[str, str]:
        """libpq's variables, which the profile's postgres target reads."""
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.database,
        }

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        if self.os_user:
            command = ("runuser", "-u", self.os_user, "--", *command)
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        data = self.root / "data"
        password_file = self.root / "password"
        password_file.write_text(self.password + "\n")
        if self.os_user:
            account = pwd.getpwnam(self.os_user)
            for path in (self.root, password_file):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run(
            str(self.bin_dir / "initdb"),
            "--pgdata",
            str(data),
            "--username",
            self.user,
            "--pwfile",
            str(password_file),
            "--auth",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        )
        # a test server: no durability needed, and no socket in /var/run
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses={self.host} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "--pgdata",
            str(data),
            "--log",
            str(self.root / "server.log"),
            "--options",
            options,
            "--wait",
            "start",
        )
        self._psql(f'create database "{self.database}"')

    def stop(self) -> None:
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                pg_ctl = str(self.bin_dir / "pg_ctl")
                self._run(pg_ctl, "--pgdata", str(self.root / "data"), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_throwaway_postgres() -> ThrowawayPostgres:
    os_user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="scoro-pg-"))
    server = ThrowawayPostgres(
        host="127.0.0.1",
        port=free_port(),
        user=USER,
        password=PASSWORD,
        database=DATABASE,
        root=root,
        bin_dir=postgres_bin_dir(),
        os_user=os_user,
    )
    try:
        server.start()
    except subprocess.CalledProcessError as error:
        log = server.root / "server.log"
        detail = log.read_text()[-2000:] if log.exists() else ""
        server.stop()
        raise RuntimeError(f"Postgres did not start: {error.stderr}\n{detail}") from error
    return server
