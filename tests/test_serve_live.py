"""``newsgen serve`` reacting to edits on disk, over real HTTP and a real events stream:
a saved record reloads the pages, a broken one shows its error over the last good site until
the next good save, seeds are re-ingested without losing hand edits, editors' temporary files
are ignored, and a burst of thousands of changes costs a few rebuilds, not thousands."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from pathlib import Path

from tests.serve_support import (
    ARTICLE_RECORD,
    ARTICLE_URL,
    Events,
    copy_fixture,
    fetch,
    running,
)

DATA = Path(__file__).parent / "data"


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_record_reloads_and_the_page_shows_the_change(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    with running(project) as serve:
        events = Events(serve.port)
        name, hello = events.next()
        assert name == "hello" and hello["ok"]
        assert hello["version"] in fetch(serve.port, ARTICLE_URL).text

        replace_text(project / ARTICLE_RECORD, "arms talks stall", "arms talks resume")
        name, reload = events.next()
        assert name == "reload" and reload["ok"] and reload["version"] != hello["version"]

        page = fetch(serve.port, ARTICLE_URL)
        assert "Leaders meet in Vladivostok as arms talks resume" in page.text
        assert reload["version"] in page.text  # the page knows which build it is from
        assert serve.rebuilder.calls[-1] == {(project / ARTICLE_RECORD).absolute()}
        events.close()


def test_a_broken_record_shows_its_error_and_the_next_good_save_recovers(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    record = project / ARTICLE_RECORD
    good = record.read_text(encoding="utf-8")
    with running(project) as serve:
        events = Events(serve.port)
        events.next()

        record.write_text(good.replace("date: 2024-03-12", "date: [2024-03-12"), "utf-8")
        name, failed = events.next()
        assert name == "reload" and not failed["ok"]
        assert any(e.startswith("articles/01-summit.md:7:") for e in failed["errors"]), failed

        page = fetch(serve.port, ARTICLE_URL)
        assert page.status == 200
        assert 'id="newsgen-error"' in page.text and "articles/01-summit.md:7:" in page.text
        # ... over the last good build, which is still served whole, every page of it
        assert "Leaders meet in Vladivostok as arms talks stall" in page.text
        assert "articles/01-summit.md:7:" in fetch(serve.port, "/").text
        assert fetch(serve.port, "/assets/style.css").status == 200

        record.write_text(good.replace("arms talks stall", "arms talks are fixed"), "utf-8")
        name, fixed = events.next()
        assert name == "reload" and fixed["ok"] and fixed["errors"] == []
        page = fetch(serve.port, ARTICLE_URL)
        assert "newsgen-error" not in page.text
        assert "arms talks are fixed" in page.text
        events.close()


def test_a_broken_config_or_template_keeps_the_last_good_site(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    config = project / "newsgen.yaml"
    with running(project) as serve:
        events = Events(serve.port)
        events.next()
        config.write_text(config.read_text() + "titel: typo\n")
        _, failed = events.next()
        assert not failed["ok"] and any("newsgen.yaml:" in e for e in failed["errors"])
        assert "Leaders meet in Vladivostok" in fetch(serve.port, ARTICLE_URL).text

        (project / "templates").mkdir()
        (project / "templates" / "404.html").write_text(
            '{% extends "default/404.html" %}{% block main %}Lost at sea{% endblock %}'
        )
        config.write_text(config.read_text().replace("titel: typo\n", ""))
        # the config fix and the new template may come as one batch or two
        while True:
            _, state = events.next()
            page = fetch(serve.port, "/no/such/page/")
            if state["ok"] and "Lost at sea" in page.text:
                break
        assert page.status == 404 and "newsgen-error" not in page.text
        events.close()


def test_with_no_good_build_yet_every_page_is_the_error_page_until_fixed(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    config = project / "newsgen.yaml"
    good = config.read_text()
    config.write_text(good + "per_page_typo: 3\n")
    with running(project) as serve:
        page = fetch(serve.port, ARTICLE_URL)
        assert page.status == 500
        assert re.search(r"newsgen\.yaml:\d+:", page.text) and 'id="newsgen-error"' in page.text
        events = Events(serve.port)
        events.next()
        config.write_text(good)
        _, state = events.next()
        assert state["ok"]
        page = fetch(serve.port, ARTICLE_URL)
        assert page.status == 200 and "Leaders meet in Vladivostok" in page.text
        events.close()


def test_a_changed_seed_is_re_ingested_and_hand_edits_are_kept(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    (project / "seeds" / "politics").mkdir(parents=True)
    seed = project / "seeds" / "politics" / "byline.txt"
    with running(project) as serve:
        events = Events(serve.port)
        events.next()
        seed.write_text((DATA / "raw" / "byline_date.txt").read_text())
        record = project / "articles" / "byline-and-date-lines.md"
        while not events.next()[1]["ok"] or not record.exists():
            pass
        page = fetch(serve.port, "/articles/byline-and-date-lines/")
        assert page.status == 200 and "Byline and date lines" in page.text
        assert "Politics" in page.text  # the folder under seeds/ is its topic

        # an editor improves the record by hand; then the seed changes again
        replace_text(record, "title: Byline and date lines", "title: Edited by hand")
        events.next()
        seed.write_text(seed.read_text() + "\nOne more paragraph from the scraper.\n")
        state = events.next()[1]
        while "Edited by hand" not in fetch(serve.port, "/articles/byline-and-date-lines/").text:
            state = events.next()[1]
        assert state["ok"]
        assert "title: Edited by hand" in record.read_text()
        assert any("edited by hand" in line for line in serve.said)
        events.close()


def test_editor_temporary_files_are_ignored_and_atomic_saves_rebuild(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    articles = project / "articles"
    record = articles / "01-summit.md"
    good = record.read_text(encoding="utf-8")
    with running(project) as serve:
        events = Events(serve.port)
        events.next()
        before = len(serve.rebuilder.calls)

        # vim with backup: probe file, backup by rename, write anew, swap file all along
        (articles / ".01-summit.md.swp").write_bytes(b"b0VIM 9.0")
        (articles / "4913").write_text("")
        (articles / "4913").unlink()
        os.rename(record, articles / "01-summit.md~")
        record.write_text(good.replace("title: Leaders", "title: [Leaders"), "utf-8")
        (articles / "01-summit.md~").unlink()
        (articles / ".01-summit.md.swp").unlink()
        _, failed = events.next()
        while failed["ok"]:
            _, failed = events.next()
        assert re.search(r"articles/01-summit\.md:\d+:", fetch(serve.port, ARTICLE_URL).text)

        # JetBrains safe-write: write a temporary, rename the old away, rename the new in
        temporary = articles / "01-summit.md___jb_tmp___"
        temporary.write_text(good.replace("arms talks stall", "arms talks end"), "utf-8")
        os.rename(record, articles / "01-summit.md___jb_old___")
        os.rename(temporary, record)
        (articles / "01-summit.md___jb_old___").unlink()
        _, state = events.next()
        while not state["ok"]:
            _, state = events.next()
        page = fetch(serve.port, ARTICLE_URL)
        assert "arms talks end" in page.text and "newsgen-error" not in page.text

        calls = serve.rebuilder.calls[before:]
        assert 2 <= len(calls) <= 4
        assert all(call == {record.absolute()} for call in calls), calls
        events.close()


def git(project: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=project,
        input=stdin,
        check=True,
        capture_output=True,
    )


def big_change(record: str) -> bytes:
    """A ``git fast-import`` stream for a commit on ``big``: 4,999 new template partials and
    a changed record (made without writing them all to the work tree first)."""
    lines = [
        "commit refs/heads/big",
        "committer t <t@example.org> 1700000000 +0000",
        "data 5",
        "after",
        "from refs/heads/main",
    ]
    for n in range(4_999):
        body = f"{n}\n".encode()
        lines += [f"M 100644 inline templates/partials/part-{n}.html", f"data {len(body)}"]
        lines.append(body.decode().rstrip("\n"))
    data = record.encode()
    lines += [f"M 100644 inline {ARTICLE_RECORD}", f"data {len(data)}", record]
    return ("\n".join(lines) + "\n").encode()


def test_a_git_checkout_of_thousands_of_files_costs_a_few_rebuilds(tmp_path: Path) -> None:
    """A real ``git checkout`` that writes 5,000 files (4,999 template partials, one record)."""
    project = copy_fixture(tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "README.md").write_text("Theme overrides.\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "before")
    record = (project / ARTICLE_RECORD).read_text(encoding="utf-8")
    changed = record.replace("arms talks stall", "arms talks checked out")
    git(project, "fast-import", "--quiet", stdin=big_change(changed))
    with running(project) as serve:
        events = Events(serve.port)
        events.next()
        before = len(serve.rebuilder.calls)
        git(project, "checkout", "-q", "big")
        while "arms talks checked out" not in fetch(serve.port, ARTICLE_URL).text:
            events.next()
        # until the watcher has been quiet for longer than its longest batching delay
        with contextlib.suppress(TimeoutError):
            while True:
                events.next(timeout=2.5)
        rebuilds = len(serve.rebuilder.calls) - before
        assert 1 <= rebuilds <= 3, f"{rebuilds} rebuilds for one checkout"
        assert (project / ARTICLE_RECORD).absolute() in set().union(*serve.rebuilder.calls[before:])
        events.close()


def test_drafts_are_served_only_when_asked_for(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    with running(project, drafts=True) as serve:
        page = fetch(serve.port, "/articles/unpublished-draft/")
        assert page.status == 200 and "A draft that must not be published" in page.text
