"""A user's clone has only this repository: nothing may read a folder beside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# `../shared`, `parent / "shared"`, `parents[3] / "shared"`: any way out of the clone to it
OUTSIDE = re.compile(r"\.\./shared|parents?(\[\d+\])?\s*/\s*[\"']shared[\"']")
CHECKED_SUFFIXES = {".py", ".sh", ".yml", ".yaml", ".toml", ".sql", ".cfg", ""}


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return [REPO / name for name in listed if (REPO / name).suffix in CHECKED_SUFFIXES]


def test_nothing_reads_outside_the_repository() -> None:
    files = tracked_files()
    assert len(files) > 50, "git ls-files found too few files to check"
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in files
        if path.is_file()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line) and path.name != "test_self_contained.py"
    ]
    assert not offenders, "reads outside the clone:\n" + "\n".join(offenders)


def test_specs_are_the_projects_own() -> None:
    for name in ("scoro_columns.csv", "unified_properties.csv"):
        lines = (REPO / "spec" / name).read_text().splitlines()
        assert len(lines) > 300, f"spec/{name} looks truncated ({len(lines)} lines)"
    documented_relationships = [
        line
        for line in (REPO / "spec" / "scoro_columns.csv").read_text().splitlines()[1:]
        if line.rstrip().split(",")[-1]
    ]
    assert len(documented_relationships) == 99
