"""One command, timed from the outside: wall time, CPU time and the peak memory of its processes.

The command runs under a small Python runner that waits for it and reports the resource use
of everything it waited for, so each figure is one run's own (a parent's RUSAGE_CHILDREN
would mix all runs). CPU time is printed beside wall time because these machines are shared:
wall time moves with the neighbours' load, CPU time much less.

Memory comes in three figures. ``rss_mb`` is the kernel's peak RSS of the *largest single*
process (``ru_maxrss`` of RUSAGE_CHILDREN is a maximum over processes, never a sum): the
build's own process, a render worker, or Pagefind. The runner also samples the whole process
tree every 0.2 s (``/proc``): ``rss_sum_mb`` is the largest sum of RSS seen, which counts a
page a forked worker shares with its parent once per process, and ``pss_sum_mb`` the largest
sum of PSS (shared pages divided among the processes sharing them): the memory the build
really occupies. Sampling can miss a peak shorter than 0.2 s; ``rss_mb`` cannot.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_RUNNER = """
import json, os, resource, subprocess, sys, threading

def tree(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parents[int(name)] = int(handle.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(p for p, parent in parents.items() if parent == pid)
    return found

def kib(path, key):
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

peak = [0, 0]
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
stop = threading.Event()

def sample():
    while not stop.wait(0.2):
        pids = tree(child.pid)
        rss = sum(kib(f"/proc/{p}/status", "VmRSS:") for p in pids)
        pss = sum(kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
        peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)

sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
err = child.stderr.read()
child.wait()
stop.set()
sampler.join()
use = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(err.decode("utf-8", "replace")[-4000:])
print(json.dumps([child.returncode, use.ru_utime + use.ru_stime, use.ru_maxrss, *peak]))
"""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time, start-up included
    cpu: float  # user + system seconds of all its processes
    rss_mb: float  # peak resident memory of its largest process
    rss_sum_mb: float = 0.0  # largest sum of its processes' RSS sampled (shared pages per process)
    pss_sum_mb: float = 0.0  # largest sum of its processes' PSS sampled (shared pages divided)


def run(command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    started = time.perf_counter()
    # As on a user's machine, where Python caches compiled modules: a shell that forbids it
    # (PYTHONDONTWRITEBYTECODE) has every newsgen module compiled from source in every
    # build, about 0.1 s of a rebuild that has nothing or one page to do.
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *command],
        cwd=cwd,
        env={**inherited, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    code, cpu, rss, rss_sum, pss_sum = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stderr}")
    return Run(seconds, cpu, rss / 1024, rss_sum / 1024, pss_sum / 1024)


# Where a benchmark puts the output it clears between runs (``set_aside``).
TRASH = ".bench-trash"


def set_aside(path: Path) -> None:
    """Clear ``path`` (a build's output, cache or spare) for the next run by moving it into a
    trash folder beside it; ``empty_trash`` deletes it once the runs are done.

    Deleting it instead would slow the next run's own file creation on these machines: their
    disk is ext4 without a journal, where for 60 s (300 s while the inode table is unwritten)
    after an inode is freed the kernel steps over it, one by one, each time it allocates a new
    inode (fs/ext4/ialloc.c, ``recently_deleted``). Creating 17,000 empty files, each in a
    folder of its own, took 0.7-0.9 s of system time on a quiet disk and 3-6 s right after
    the same tree was deleted; a clean build at 10,000 articles right after the last run's
    output was deleted spent 6 to 50 s in the kernel, growing run by run, and Hugo's the
    same way. A rename frees nothing, so each run starts on the disk as the last one left it.
    """
    if path.exists() or path.is_symlink():
        trash = path.parent / TRASH
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}-{time.time_ns()}")


def empty_trash(folder: Path) -> None:
    shutil.rmtree(folder / TRASH, ignore_errors=True)
