"""``newsgen deploy FOLDER``: only files whose content changed are copied; ``--delete`` removes
what the site no longer has; ``--dry-run`` changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgen.cli import main
from newsgen.config import DeploySettings
from newsgen.deploy import deploy, open_target
from newsgen.errors import NewsgenError
from tests.helpers import FIXTURE, build_fixture

ARTICLE = "articles/rail-strike-north/index.html"


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time: a file rewritten has a new time."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    # Without the index: Pagefind's filter files differ from run to run (Pagefind #638).
    assert build_fixture(project / "site", project, search=False).ok
    return project


def _deploy(project: Path, dest: Path, delete: bool = False) -> tuple[str, ...]:
    site = project / "site"
    result = deploy(site, open_target(str(dest), site, DeploySettings()), delete=delete)
    return result.plan.uploads


def test_a_first_deploy_copies_the_whole_site(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    uploads = _deploy(project, dest)
    assert {k: v[0] for k, v in _tree(dest).items()} == {
        k: v[0] for k, v in _tree(project / "site").items()
    }
    assert len(uploads) == len(_tree(dest))


def test_a_second_deploy_copies_nothing(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    _deploy(project, dest)
    before = _tree(dest)
    assert _deploy(project, dest) == ()
    assert _tree(dest) == before  # not one file rewritten


def test_an_edited_article_copies_only_what_it_changed(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    _deploy(project, dest)
    old_site = {k: v[0] for k, v in _tree(project / "site").items()}
    before = _tree(dest)
    record = project / "articles/06-strike.md"
    record.write_text(record.read_text().replace("on Monday", "on Tuesday"))
    assert build_fixture(project / "site", project, search=False).ok
    new_site = {k: v[0] for k, v in _tree(project / "site").items()}
    changed = {k for k in new_site if old_site.get(k) != new_site[k]}

    uploads = _deploy(project, dest)

    assert ARTICLE in changed and len(changed) < 6  # the page and the feeds with its text
    assert set(uploads) == changed
    after = _tree(dest)
    assert b"on Tuesday" in after[ARTICLE][0]
    assert {k for k in after if after[k] != before[k]} == changed


def test_delete_removes_only_with_the_flag(project: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    _deploy(project, dest)
    (dest / "articles/gone").mkdir()
    (dest / "articles/gone/index.html").write_text("an old page")
    _deploy(project, dest)
    assert (dest / "articles/gone/index.html").exists()
    _deploy(project, dest, delete=True)
    assert not (dest / "articles/gone").exists()  # the emptied folder too
    assert {k: v[0] for k, v in _tree(dest).items()} == {
        k: v[0] for k, v in _tree(project / "site").items()
    }


def test_dry_run_prints_the_plan_and_changes_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "public"
    _deploy(project, dest)
    (dest / ARTICLE).write_text("edited on the server")
    (dest / "stale.html").write_text("stale")
    before = _tree(dest)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["deploy", str(dest), "--dry-run", "--delete"])
    assert result.exit_code == 0, result.output
    assert _tree(dest) == before
    assert f"  upload  {ARTICLE}\n" in result.output
    assert "  delete  stale.html\n" in result.output
    total = len(_tree(project / "site"))
    assert result.output.endswith(
        f"Dry run, nothing changed. {dest}: would upload 1, unchanged {total - 1}, would delete 1\n"
    )


def test_the_target_comes_from_the_config_when_not_named(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "from-config"
    config = project / "newsgen.yaml"
    config.write_text(config.read_text() + f"deploy:\n  target: {dest}\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["deploy"])
    assert result.exit_code == 0, result.output
    assert (dest / ARTICLE).is_file()
    config.write_text(config.read_text().replace("  target:", "  targte:"))
    result = CliRunner().invoke(main, ["deploy"])
    assert result.exit_code == 1
    assert "has an unknown key 'targte'; did you mean 'target'?" in result.stderr
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["deploy", "--site", str(project / "site")])
    assert result.exit_code == 1
    assert result.stderr == "error: deploy: name a TARGET, or set deploy.target in newsgen.yaml\n"


@pytest.mark.parametrize("where", ["site", "site/inner", "."])
def test_refuses_a_destination_overlapping_the_site(project: Path, where: str) -> None:
    site = project / "site"
    with pytest.raises(NewsgenError, match="overlap"):
        open_target(str(project / where), site, DeploySettings())


def test_a_missing_site_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["deploy", str(tmp_path / "out"), "--site", str(tmp_path / "nothing")]
    )
    assert result.exit_code == 1
    assert "no built site at" in result.stderr and "run newsgen build first" in result.stderr
