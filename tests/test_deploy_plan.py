"""The deploy planner and the headers each published file gets: pure functions, no target."""

from __future__ import annotations

import pytest

from newsgen.deploy.headers import ASSET, IMMUTABLE, SHORT, cache_control, content_type
from newsgen.deploy.plan import make_plan


def test_a_first_deploy_uploads_everything() -> None:
    plan = make_plan({"a.html": "1", "b.css": "2"}, {}, delete=False)
    assert plan.uploads == ("a.html", "b.css")
    assert plan.unchanged == plan.deletes == plan.kept == ()
    assert dict(plan.manifest) == {"a.html": "1", "b.css": "2"}


def test_only_changed_content_is_uploaded() -> None:
    plan = make_plan({"a.html": "1", "b.css": "3"}, {"a.html": "1", "b.css": "2"}, delete=False)
    assert plan.uploads == ("b.css",)
    assert plan.unchanged == ("a.html",)
    assert plan.changes


def test_an_unchanged_site_changes_nothing() -> None:
    local = {"a.html": "1"}
    plan = make_plan(local, dict(local), delete=True)
    assert not plan.changes and plan.manifest == local


def test_files_gone_from_the_site_are_deleted_only_with_delete() -> None:
    local, remote = {"a.html": "1"}, {"a.html": "1", "old.html": "9"}
    kept = make_plan(local, remote, delete=False)
    assert kept.deletes == () and kept.kept == ("old.html",)
    # Still recorded as ours, so a later --delete knows to remove it.
    assert dict(kept.manifest) == remote
    deleted = make_plan(local, remote, delete=True)
    assert deleted.deletes == ("old.html",) and deleted.kept == ()
    assert dict(deleted.manifest) == local


@pytest.mark.parametrize(
    ("path", "kind", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", SHORT),
        ("articles/x/index.html", "text/html; charset=utf-8", SHORT),
        ("404.html", "text/html; charset=utf-8", SHORT),
        ("feed.xml", "application/atom+xml", SHORT),
        ("topics/economy/feed.xml", "application/atom+xml", SHORT),
        ("sitemap-1.xml", "application/xml", SHORT),
        ("robots.txt", "text/plain; charset=utf-8", SHORT),
        (".nojekyll", "application/octet-stream", SHORT),
        ("assets/style.css", "text/css; charset=utf-8", ASSET),
        ("assets/search.js", "text/javascript; charset=utf-8", ASSET),
        ("pagefind/pagefind.js", "text/javascript; charset=utf-8", SHORT),
        ("pagefind/pagefind-ui.js", "text/javascript; charset=utf-8", SHORT),
        ("pagefind/pagefind-ui.css", "text/css; charset=utf-8", SHORT),
        ("pagefind/pagefind-entry.json", "application/json", SHORT),
        ("pagefind/wasm.en.pagefind", "application/octet-stream", SHORT),
        ("pagefind/shard-3/pagefind-entry.json", "application/json", SHORT),
        ("pagefind/shard-3/pagefind.js", "text/javascript; charset=utf-8", SHORT),
        ("pagefind/shard-3/wasm.en.pagefind", "application/octet-stream", SHORT),
        ("pagefind/shard-3/fragment/en_1b44f1e.pf_fragment", "application/octet-stream", IMMUTABLE),
        ("pagefind/fragment/en_1b44f1e.pf_fragment", "application/octet-stream", IMMUTABLE),
        ("pagefind/index/en_1c4a53e.pf_index", "application/octet-stream", IMMUTABLE),
        ("pagefind/filter/en_29dccfb.pf_filter", "application/octet-stream", IMMUTABLE),
        ("pagefind/pagefind.en_5b2e142376.pf_meta", "application/octet-stream", IMMUTABLE),
        ("assets/logo.3f9a2c1d.png", "image/png", IMMUTABLE),
        ("assets/logo.png", "image/png", ASSET),
    ],
)
def test_headers_by_kind_of_file(path: str, kind: str, cache: str) -> None:
    assert (content_type(path), cache_control(path)) == (kind, cache)
