"""An S3 target (AWS or any S3-compatible host) through boto3. The remote state is a manifest
of content hashes stored beside the site (``prefix/.newsgen-manifest.json``), so a deploy
needs one GET, not a listing of every object, and deletes touch only what newsgen uploaded."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsgen.config import DeploySettings
from newsgen.deploy.headers import cache_control, content_type
from newsgen.deploy.plan import MANIFEST
from newsgen.errors import NewsgenError
from newsgen.fs import safe_relative


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str  # "" or "news/": every key starts with it

    def key(self, name: str) -> str:
        return self.prefix + name

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def parse_s3_url(url: str) -> S3Location:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise NewsgenError(f"deploy: not an S3 target: {url!r} (expected s3://bucket/prefix)")
    segments = [s for s in parts.path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise NewsgenError(f"deploy: the S3 prefix may not contain '.' or '..': {url!r}")
    return S3Location(parts.netloc, "".join(s + "/" for s in segments))


def _reason(exc: Exception) -> str:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return str(exc)


class S3Target:
    def __init__(self, location: S3Location, settings: DeploySettings) -> None:
        import boto3
        from botocore.config import Config

        self.location = location
        try:
            session = boto3.session.Session(
                profile_name=settings.profile, region_name=settings.region
            )
            self.client: Any = session.client(
                "s3",
                endpoint_url=settings.endpoint_url,
                # Few quick retries: a dead host is reported in seconds, and the deploy can
                # simply be run again.
                config=Config(
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=10,
                    read_timeout=60,
                ),
            )
        except Exception as exc:  # botocore raises many kinds for a bad profile or region
            raise NewsgenError(f"deploy: cannot set up S3 access: {_reason(exc)}") from None

    def __str__(self) -> str:
        return str(self.location)

    def remote_hashes(self) -> dict[str, str]:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self.location.key(MANIFEST)
        try:
            body = self.client.get_object(Bucket=self.location.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404"):
                return {}  # a first deploy
            where = f"{self.location}{MANIFEST}"
            raise NewsgenError(f"deploy: cannot read {where}: {_reason(exc)}") from None
        except BotoCoreError as exc:
            raise NewsgenError(f"deploy: cannot reach S3 ({self.location}): {exc}") from None
        return _parse_manifest(body, f"{self.location}{MANIFEST}")

    def put(self, name: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(
                Bucket=self.location.bucket,
                Key=self.location.key(name),
                Body=data,
                ContentType=content_type(name),
                CacheControl=cache_control(name),
            )
        except (BotoCoreError, ClientError) as exc:
            raise NewsgenError(f"deploy: upload of {name} failed: {_reason(exc)}") from None

    def remove(self, name: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.location.bucket, Key=self.location.key(name))
        except (BotoCoreError, ClientError) as exc:
            raise NewsgenError(f"deploy: delete of {name} failed: {_reason(exc)}") from None

    def commit(self, manifest: Mapping[str, str]) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        body = json.dumps({"version": 1, "files": dict(manifest)}, indent=0, sort_keys=True)
        try:
            self.client.put_object(
                Bucket=self.location.bucket,
                Key=self.location.key(MANIFEST),
                Body=body.encode("utf-8"),
                ContentType="application/json",
                CacheControl="no-store",
            )
        except (BotoCoreError, ClientError) as exc:
            raise NewsgenError(f"deploy: writing the manifest failed: {_reason(exc)}") from None


def _parse_manifest(body: bytes, where: str) -> dict[str, str]:
    try:
        data = json.loads(body)
        files = data["files"]
        if data.get("version") != 1 or not isinstance(files, dict):
            raise ValueError
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise ValueError
        # Names become keys to delete: only plain relative paths, like the site's own.
        for name in files:
            safe_relative(name)
    except (ValueError, KeyError, TypeError, NewsgenError):
        raise NewsgenError(
            f"deploy: {where} is not a newsgen manifest; delete it to upload everything again"
        ) from None
    return dict(files)
