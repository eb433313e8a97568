"""The CLI's own words (issue 11 §4): --version, exit codes in --help, a help text for every
flag, and dlt's progress headed by the tenant."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from hostile import REPO, HostileServer, document, sync

from pipelines.cli import parser


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version_is_printed() -> None:
    completed = _cli("--version")
    assert completed.returncode == 0
    assert (
        completed.stdout.startswith("scoro-warehouse ") and completed.stdout.strip()[-1].isdigit()
    )


def test_help_documents_the_exit_codes() -> None:
    for args in (["--help"], ["sync", "--help"]):
        completed = _cli(*args)
        assert completed.returncode == 0, completed.stderr
        text = completed.stdout
        assert "exit codes:" in text
        for code, words in (
            ("0", "completed"),
            ("1", "error"),
            ("2", "usage"),
            ("3", "daily request limit"),
            ("4", "refused"),
            ("5", "locked"),
        ):
            lines = text.splitlines()
            assert any(x.strip().startswith(code) and words in x for x in lines), (
                code,
                text,
            )


def test_every_flag_has_a_help_text() -> None:
    root = parser()
    commands = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.option_strings}: no help text"


def test_progress_names_the_tenant(tmp_path: Path) -> None:
    with HostileServer({"invoices": [document(1)]}) as server:
        outcome = sync(server, tmp_path / "w.duckdb", tenant="agency-42")
    assert outcome.code == 0, outcome.output
    assert "Load tenant agency-42" in outcome.stderr
    assert "Normalize scoro in" not in outcome.output and "Load scoro in" not in outcome.output
