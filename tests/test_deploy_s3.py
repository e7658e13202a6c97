"""``newsgen deploy s3://bucket/prefix`` against a real S3 API server (moto's server mode on
127.0.0.1, an ephemeral port), through boto3 over HTTP: no mocked calls."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgen.cli import main
from newsgen.config import DeploySettings
from newsgen.deploy import deploy, open_target
from newsgen.deploy.headers import IMMUTABLE, SHORT
from newsgen.errors import NewsgenError
from tests.helpers import FIXTURE, build_fixture

ARTICLE = "articles/rail-strike-north/index.html"
MANIFEST = "news/.newsgen-manifest.json"
_counter = iter(range(1_000_000))


def _start_server() -> tuple[Any, str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


@pytest.fixture(autouse=True)
def credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test credentials from the environment, as boto3 reads them; no ~/.aws on this machine
    can change the outcome."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server, url = _start_server()
    yield url
    server.stop()


@functools.cache
def _client(url: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def bucket(endpoint: str) -> str:
    name = f"site-{next(_counter)}"
    _client(endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("s3") / "project"
    shutil.copytree(FIXTURE, project)
    assert build_fixture(project / "site", project).ok
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built fixture project, for a test to edit and rebuild."""
    return Path(shutil.copytree(built, tmp_path / "project"))


def _objects(url: str, bucket: str) -> dict[str, bytes]:
    client = _client(url)
    found: dict[str, bytes] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


def _site(project: Path) -> dict[str, bytes]:
    site = project / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _deploy(project: Path, url: str, bucket: str, **options: Any) -> tuple[str, ...]:
    site = project / "site"
    target = open_target(f"s3://{bucket}/news", site, DeploySettings(endpoint_url=url))
    return deploy(site, target, **options).plan.uploads


def test_a_first_deploy_uploads_everything_with_headers(
    project: Path, endpoint: str, bucket: str
) -> None:
    uploads = _deploy(project, endpoint, bucket)
    site = _site(project)
    assert sorted(uploads) == sorted(site)
    objects = _objects(endpoint, bucket)
    assert {k.removeprefix("news/"): v for k, v in objects.items() if k != MANIFEST} == site
    manifest = json.loads(objects[MANIFEST])
    assert sorted(manifest["files"]) == sorted(site)
    client = _client(endpoint)

    def head(name: str) -> tuple[str, str]:
        found = client.head_object(Bucket=bucket, Key="news/" + name)
        return found["ContentType"], found["CacheControl"]

    assert head(ARTICLE) == ("text/html; charset=utf-8", SHORT)
    assert head("feed.xml") == ("application/atom+xml", SHORT)
    fragment = next(n for n in site if n.startswith("pagefind/fragment/"))
    assert head(fragment) == ("application/octet-stream", IMMUTABLE)


def test_an_unchanged_second_deploy_uploads_nothing(
    project: Path, endpoint: str, bucket: str
) -> None:
    _deploy(project, endpoint, bucket)
    before = _client(endpoint).head_object(Bucket=bucket, Key=MANIFEST)["ETag"]
    assert _deploy(project, endpoint, bucket) == ()
    assert _client(endpoint).head_object(Bucket=bucket, Key=MANIFEST)["ETag"] == before


def test_an_edited_article_uploads_only_the_pages_it_changed(
    project: Path, endpoint: str, bucket: str
) -> None:
    _deploy(project, endpoint, bucket)
    old = _site(project)
    record = project / "articles/06-strike.md"
    record.write_text(record.read_text().replace("on Monday", "on Tuesday"))
    assert build_fixture(project / "site", project).ok
    new = _site(project)
    changed = {name for name in new if old.get(name) != new[name]}

    uploads = set(_deploy(project, endpoint, bucket))

    assert uploads == changed
    assert ARTICLE in uploads
    # The article, its topic's feed (which carries its text; the site feed's five newest do
    # not include it), and the search index: no other page.
    pages = {n for n in uploads if not n.startswith("pagefind/")}
    assert pages == {ARTICLE, "topics/economy/feed.xml"}
    assert b"on Tuesday" in _objects(endpoint, bucket)["news/" + ARTICLE]


def test_delete_removes_stale_objects_and_only_ours(
    project: Path, endpoint: str, bucket: str
) -> None:
    client = _client(endpoint)
    client.put_object(Bucket=bucket, Key="news/uploaded-by-hand.txt", Body=b"keep me")
    _deploy(project, endpoint, bucket)
    (project / "articles/06-strike.md").unlink()
    assert build_fixture(project / "site", project).ok

    _deploy(project, endpoint, bucket)
    assert "news/" + ARTICLE in _objects(endpoint, bucket)  # kept without --delete
    _deploy(project, endpoint, bucket, delete=True)

    objects = _objects(endpoint, bucket)
    assert "news/" + ARTICLE not in objects
    assert objects["news/uploaded-by-hand.txt"] == b"keep me"  # not newsgen's to delete
    published = {k.removeprefix("news/") for k in objects} - {".newsgen-manifest.json"}
    assert published == set(_site(project)) | {"uploaded-by-hand.txt"}
    assert set(json.loads(objects[MANIFEST])["files"]) == set(_site(project))


def test_dry_run_prints_the_plan_and_changes_nothing(
    project: Path, endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project / "newsgen.yaml"
    config.write_text(config.read_text() + f"deploy:\n  endpoint_url: {endpoint}\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["deploy", f"s3://{bucket}/news", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert _objects(endpoint, bucket) == {}
    total = len(_site(project))
    assert f"  upload  {ARTICLE}\n" in result.output
    assert result.output.endswith(
        f"Dry run, nothing changed. s3://{bucket}/news/: would upload {total}, "
        "unchanged 0, would delete 0\n"
    )
    result = CliRunner().invoke(main, ["deploy", f"s3://{bucket}/news"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"upload {total}, unchanged 0, delete 0\n")


def test_an_upload_failing_midway_leaves_a_state_that_a_rerun_completes(
    project: Path, tmp_path: Path
) -> None:
    server, url = _start_server()
    name = f"site-{next(_counter)}"
    _client(url).create_bucket(Bucket=name)
    _deploy(project, url, name)
    first = _objects(url, name)
    # The next site has a changed article and no longer has another.
    record = project / "articles/06-strike.md"
    record.write_text(record.read_text().replace("on Monday", "on Tuesday"))
    (project / "articles/05-election.md").unlink()
    assert build_fixture(project / "site", project).ok
    stop_after = threading.Event()

    def stop_the_server(action: str, done: str) -> None:
        if not stop_after.is_set():  # the server dies after the first upload
            stop_after.set()
            server.stop()

    with pytest.raises(NewsgenError) as info:
        _deploy(project, url, name, delete=True, progress=stop_the_server)
    assert "run the same command again" in str(info.value)

    # S3's state lives on in this process: a new server on a new port serves it again.
    server, url = _start_server()
    try:
        now = _objects(url, name)
        assert now[MANIFEST] == first[MANIFEST]  # the record is unchanged
        assert "news/articles/election-date-set/index.html" in now  # nothing deleted

        _deploy(project, url, name, delete=True)
        done = _objects(url, name)
        assert {k.removeprefix("news/"): v for k, v in done.items() if k != MANIFEST} == _site(
            project
        )
        assert _deploy(project, url, name, delete=True) == ()
    finally:
        server.stop()


def test_a_missing_bucket_is_one_clear_line(project: Path, endpoint: str) -> None:
    with pytest.raises(NewsgenError, match="NoSuchBucket"):
        _deploy(project, endpoint, "no-such-bucket")


@pytest.mark.parametrize("url", ["s3://", "s3://b/../x", "ftp://host/x"])
def test_bad_targets_are_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(NewsgenError, match="deploy:"):
        open_target(url, tmp_path / "site", DeploySettings())


def test_a_manifest_naming_paths_outside_the_prefix_is_refused(
    project: Path, endpoint: str, bucket: str
) -> None:
    bad = {"version": 1, "files": {"../other-site/index.html": "0" * 64}}
    _client(endpoint).put_object(Bucket=bucket, Key=MANIFEST, Body=json.dumps(bad).encode())
    with pytest.raises(NewsgenError, match="is not a newsgen manifest"):
        _deploy(project, endpoint, bucket, delete=True)
