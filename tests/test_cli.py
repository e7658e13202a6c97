"""The ``newsgen`` command through Click's CliRunner, in a scratch project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgen import __version__
from newsgen.cli import main
from tests.helpers import FIXTURE


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture project as the current folder, at a fixed build time."""
    shutil.copytree(FIXTURE, tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735603200")  # 2024-12-31
    return tmp_path / "p"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", ["build", "init"])
def test_help_has_examples(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output


def test_build_writes_the_site_and_a_report(project: Path) -> None:
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (project / "site/index.html").is_file()
    assert "article" in result.output and "Archive health" in result.output
    assert "2 undated" in result.output and "1 with no topic" in result.output
    assert "left out: 1 drafts, 1 future" in result.output


def test_drafts_and_future_flags_include_them(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--drafts", "--future", "--out", "preview"])
    assert result.exit_code == 0, result.output
    assert (project / "preview/articles/unpublished-draft/index.html").is_file()
    assert (project / "preview/articles/story-from-the-future/index.html").is_file()


def test_bad_record_is_located_and_the_rest_still_builds(project: Path) -> None:
    (project / "articles/99-bad.md").write_text("---\nslug: bad\ntitle: a: b\n---\nx\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "articles/99-bad.md:3:9: invalid YAML" in result.output
    assert (project / "site/articles/leaders-meet-in-vladivostok/index.html").is_file()


def test_strict_keeps_the_previous_site_when_anything_is_wrong(project: Path) -> None:
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    before = (project / "site/index.html").read_bytes()
    (project / "articles/99-bad.md").write_text("---\ntitle: x\n")
    result = CliRunner().invoke(main, ["build", "--strict"])
    assert result.exit_code == 1
    assert "front matter not closed" in result.output
    assert (project / "site/index.html").read_bytes() == before


def test_config_errors_are_all_reported(project: Path) -> None:
    (project / "newsgen.yaml").write_text("titel: x\nper_page: many\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "newsgen.yaml:1: unknown key 'titel'; did you mean 'title'?" in result.output
    assert "newsgen.yaml:2: 'per_page' must be a whole number" in result.output
    assert not (project / "site").exists()


def test_base_url_option_is_validated(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--base-url", "javascript:alert(1)"])
    assert result.exit_code == 1 and "--base-url" in result.output


def test_refuses_an_output_folder_that_holds_the_project(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", ".."])
    assert result.exit_code == 1 and "refusing" in result.output
    assert (project / "articles").is_dir()


def test_init_scaffolds_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    for name in ["newsgen.yaml", "templates/README.md", ".gitignore"]:
        assert (tmp_path / "new" / name).is_file()
    assert (tmp_path / "new/seeds").is_dir() and (tmp_path / "new/articles").is_dir()
    again = runner.invoke(main, ["init", str(tmp_path / "new")])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output


def test_a_new_archive_builds_with_its_default_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path)]).exit_code == 0
    shutil.copy(FIXTURE / "articles/01-summit.md", tmp_path / "articles")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "http://localhost:8000/" in (tmp_path / "site/index.html").read_text()


def test_messages_with_brackets_are_printed_verbatim(project: Path) -> None:
    (project / "articles/99-bad.md").write_text("---\nslug: x\ntitle: [unclosed\n---\nx\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "articles/99-bad.md:4:1: invalid YAML: did not find expected ',' or ']'" in result.output
