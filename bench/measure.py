"""One command, timed from the outside: wall time, CPU time and the peak RSS of its processes.

The command runs under a small Python runner that waits for it and reports the resource use
of everything it waited for, so each figure is one run's own (a parent's RUSAGE_CHILDREN
would mix all runs). CPU time is printed beside wall time because these machines are shared:
wall time moves with the neighbours' load, CPU time much less.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_RUNNER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(done.stderr.decode("utf-8", "replace")[-4000:])
print(json.dumps([done.returncode, use.ru_utime + use.ru_stime, use.ru_maxrss]))
"""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time, start-up included
    cpu: float  # user + system seconds of all its processes
    rss_mb: float  # peak resident memory of its largest process


def run(command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    code, cpu, rss = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stderr}")
    return Run(seconds, cpu, rss / 1024)
