"""A dbt-duckdb plugin: stop dbt before DuckDB creates an empty file at a path nothing synced.

profiles.yml loads it (`plugins: [{module: pipelines.dbt_duckdb_guard}]`). dbt-duckdb builds its
plugins when it first opens the database, before `duckdb.connect`, which would otherwise create
the missing file; the run would then fail much later, on an error about a unit test or a
missing raw table that says nothing about the path. Commands that never open the database
(`dbt parse`, `dbt ls`) are unaffected; in-memory and remote databases are not checked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

PATH_VARIABLE = "SCORO_DUCKDB_PATH"
# md:, s3://, ducklake:, ... (two letters at least, so that C:\ stays a local path)
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def missing_file_message(path: str) -> str:
    setting = os.environ.get(PATH_VARIABLE)
    named = f"{PATH_VARIABLE}={setting}" if setting else f"{PATH_VARIABLE} is unset and {path}"
    resolved = str(Path(path).resolve())
    where = "" if resolved == path else f" ({resolved})"
    return (
        f"{named} does not exist{where}. dbt stopped before DuckDB could "
        "create an empty file there. Load the warehouse first: `make demo` (the simulator's "
        f"demo company), or `.venv/bin/scoro-warehouse sync --duckdb {path} ...` for your Scoro "
        f"account (see the README); or point {PATH_VARIABLE} at the file you synced."
    )


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        path = self.creds.path if self.creds else ""
        if not path or path.startswith(":memory:") or URL_SCHEME.match(path):
            return
        if not Path(path).exists():
            raise DbtRuntimeError(missing_file_message(path))
