"""The theme: project overrides, ``default/`` extends, strict variables, safe bodies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgen import markup
from newsgen.errors import NewsgenError
from newsgen.markup import body_html
from tests.helpers import FIXTURE, build_fixture


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "p")
    return tmp_path / "p"


def test_override_can_extend_the_default_and_replace_one_block(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/article.html").write_text(
        '{% extends "default/article.html" %}\n'
        '{% block kicker %}<p class="kicker">OVERRIDDEN {{ article.slug }}</p>{% endblock %}\n'
    )
    result = build_fixture(project / "site", project)
    assert result.ok
    html = (project / "site/articles/election-date-set/index.html").read_text()
    assert "OVERRIDDEN election-date-set" in html
    assert "Who said what" in html  # the rest of the default page is still there


def test_override_replaces_a_whole_file(project: Path) -> None:
    (project / "templates/static").mkdir(parents=True)
    (project / "templates/static/style.css").write_text("body { color: red; }\n")
    build_fixture(project / "site", project)
    assert (project / "site/assets/style.css").read_text() == "body { color: red; }\n"


def test_a_missing_variable_names_the_template_and_line(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/404.html").write_text(
        '{% extends "default/404.html" %}\n{% block main %}{{ no_such_thing }}{% endblock %}\n'
    )
    with pytest.raises(NewsgenError) as info:
        build_fixture(project / "site", project)
    message = str(info.value)
    assert "'no_such_thing' is undefined" in message
    assert "templates/404.html:2:" in message
    assert not (project / "site").exists()


def test_a_missing_template_says_where_it_looked(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/article.html").write_text('{% extends "nowhere.html" %}\n')
    with pytest.raises(NewsgenError, match=r"template 'nowhere.html' not found; looked in .*"):
        build_fixture(project / "site", project)


def test_a_template_symlinked_out_of_the_folder_is_refused(project: Path) -> None:
    (project / "templates").mkdir()
    (project.parent / "outside.html").write_text("secret")
    (project / "templates/404.html").symlink_to(project.parent / "outside.html")
    with pytest.raises(NewsgenError, match="resolves outside"):
        build_fixture(project / "site", project)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="vbscript:msgbox(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)></svg>",
        "<style>body{display:none}</style>",
        '```"><script>alert(1)</script>\ncode\n```',
        "<![ <div><p>unclosed",
    ],
)
def test_nothing_in_a_body_can_run(body: str) -> None:
    html = body_html(body).lower()
    for bad in ["<script", "onerror", "onload", "javascript:", "data:", "vbscript:", "<iframe"]:
        assert bad not in html
    assert "<style" not in html and "<svg" not in html


def test_body_headings_stay_under_the_title() -> None:
    assert body_html("# Big\n\n## Small\n") == "<h2>Big</h2>\n<h3>Small</h3>"
    assert body_html("## Small\n") == "<h2>Small</h2>"


# Each body leaves state in a converter: link references, abbreviations, footnotes, raw HTML.
STATEFUL_BODIES = [
    "See [the report][r] on HTML.[^1]\n\n[r]: https://example.org/r\n*[HTML]: Hypertext\n\n"
    "[^1]: A footnote.\n\n<div>raw</div>\n",
    "The [report][r] again, HTML again, a footnote ref[^1] without its note.\n",
    "Term\n: Definition\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n",
    '1. one\n2. two\n\n* three\n\n<div markdown="1">*inner*</div>\n',
]


def _fresh_html(body: str) -> str:
    markup._IDLE.__dict__.pop("md", None)  # a converter made for this body alone
    return body_html(body)


def test_a_reused_converter_renders_every_body_as_a_fresh_one_would() -> None:
    fresh = [_fresh_html(body) for body in STATEFUL_BODIES]
    assert "example.org/r" not in fresh[1] and "<abbr" not in fresh[1]  # no state crossed
    for _ in range(2):
        assert [body_html(body) for body in STATEFUL_BODIES] == fresh
        assert [body_html(body) for body in reversed(STATEFUL_BODIES)] == fresh[::-1]


def test_a_converter_stopped_half_way_is_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _fresh_html(STATEFUL_BODIES[0])
    monkeypatch.setattr(markup, "RENDER_SECONDS", 0.0)
    monkeypatch.setattr(markup, "RENDER_SECONDS_PER_MB", 0.0)
    with pytest.raises(NewsgenError, match="longer than"):
        body_html("*emphasis* and [a link](https://example.org) " * 20_000)
    assert "md" not in markup._IDLE.__dict__
    monkeypatch.undo()
    assert body_html(STATEFUL_BODIES[0]) == expected


def test_a_name_on_a_mapping_is_its_method_else_its_key() -> None:
    """``a.b`` on a plain mapping: Jinja's rule, an attribute first (a method), else the key."""
    import datetime as dt
    from types import MappingProxyType

    from newsgen.archive import make_archive
    from newsgen.config import Config
    from newsgen.render import make_environment

    env = make_environment(Config(), make_archive([], dt.UTC), None)
    template = env.from_string("{{ m.people }} {{ m.items is callable }} {{ m.get('x', 3) }}")
    for kind in (dict, MappingProxyType):
        assert template.render(m=kind({"people": "P", "items": "I"})) == "P True 3"
    env.tracer.start()
    assert env.from_string("{{ 2 }} {{ 0.25 }} {{ m.n }}").render(m={"n": 1.5}) == "2 0.25 1.5"
    assert env.tracer.stop() == set()
    with pytest.raises(Exception, match="has no attribute 'missing'"):
        template.environment.from_string("{{ m.missing }}").render(m={"people": 1})
