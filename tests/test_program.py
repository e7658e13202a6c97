"""The ``newsgen`` program ends without the interpreter's teardown (``cli.run``), and loses
nothing by it: the status, every line printed into a pipe, and the exit handlers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURE

EPOCH = "1735603200"


def _newsgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args],
        cwd=cwd,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_build_prints_its_whole_report_into_a_pipe_and_succeeds(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURE, project)
    done = _newsgen(project, "build", "--out", "site", "--no-search")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("written to site/"), done.stdout[-300:]
    assert (project / "site" / "index.html").is_file()


def test_a_failed_build_keeps_its_status_and_message(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    done = _newsgen(tmp_path, "build", "--out", "site")
    assert done.returncode == 1
    assert "newsgen.yaml" in done.stderr


def test_a_usage_error_keeps_clicks_status(tmp_path: Path) -> None:
    done = _newsgen(tmp_path, "build", "--no-such-option")
    assert done.returncode == 2
    assert "No such option" in done.stderr


def test_exit_handlers_registered_while_a_command_runs_still_run(tmp_path: Path) -> None:
    # Registered after ``run`` registered its own, so run before it, as the interpreter's
    # would: what a library leaves to its exit handler (a pool's workers, a temporary folder)
    # is still done. A message given to SystemExit is printed and the status is 1.
    mark = tmp_path / "ran"
    script = (
        "import atexit, sys\n"
        "from pathlib import Path\n"
        "from newsgen import cli\n"
        "@cli.main.command()\n"
        "def probe():\n"
        f"    atexit.register(Path({str(mark)!r}).write_text, 'handler ran')\n"
        "    print('said before the end')\n"
        "    sys.exit('the message')\n"
        "sys.argv = ['newsgen', 'probe']\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stdout == "said before the end\n"
    assert "the message" in done.stderr
    assert mark.read_text() == "handler ran"


def test_a_build_whose_bodies_are_plain_imports_no_renderer_it_does_not_need(
    tmp_path: Path,
) -> None:
    # rich (the ingest's progress bar) and Python-Markdown with nh3 (bodies with Markdown
    # syntax) cost 50 ms of imports, 5% of a one-article edit's build at 10,000 articles.
    project = tmp_path / "p"
    (project / "articles").mkdir(parents=True)
    (project / "articles" / "one.md").write_text(
        "---\ntitle: One plain story\nslug: one\nid: a1\ndate: 2024-03-01\n---\n"
        "A plain paragraph.\n\n"
        "## A heading\n\nAnother plain paragraph.\n",
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from newsgen.cli import main\n"
        "args = ['build', '--out', 'site', '--no-search', '--jobs', '1']\n"
        "result = CliRunner().invoke(main, args)\n"
        "print(result.exit_code, *sorted({'rich', 'markdown', 'nh3'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["0"], done.stdout + done.stderr
