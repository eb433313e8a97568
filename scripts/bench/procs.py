"""Processes the benchmark measures: wall time and peak memory of a command, and a simulator
server in a process of its own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TENANT, API_KEY = "bench-agency", "bench-api-key"
# the simulated site's zone, told to the sync as a user tells theirs (--site-timezone): its
# documents' zone-less modified_date would otherwise read hours off
SITE_TIMEZONE = "Europe/Tallinn"


@dataclass
class Measured:
    seconds: float
    peak_rss_bytes: int
    returncode: int
    output: str

    def check(self, what: str) -> Measured:
        if self.returncode != 0:
            raise RuntimeError(f"{what} failed ({self.returncode}):\n{self.output[-4000:]}")
        return self


def measure(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Runs `command` from the repository; its wall time and its peak resident memory (the
    kernel's own count for that one child, as /usr/bin/time -v reports it)."""
    with tempfile.TemporaryFile(mode="w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    return Measured(seconds, usage.ru_maxrss * 1024, process.returncode, text)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def control(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """A call to the simulator's control surface (`/_sim/...`)."""
    request = urllib.request.Request(
        f"{url}{path}",
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=600) as answer:
        return json.loads(answer.read())["data"]


@contextmanager
def simulator_process(
    scale: float, *, as_of: str, rate_limit: float = 1e9, seed: int = 42
) -> Iterator[str]:
    """A simulator serving over HTTP from a process of its own; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "python"),
            "-m",
            "pipelines.simulator",
            "--port",
            str(port),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--as-of",
            as_of,
            "--rate-limit",
            str(rate_limit),
            "--tenant",
            f"{TENANT}={API_KEY}",
            "--timezone",
            SITE_TIMEZONE,
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                control(url, "/_sim/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the simulator did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
