"""Print the built book, or one chapter, to PDF with headless Chromium (charts included), and the
findings brief a memo writer attaches.

    python tools/print_pdf.py                       -> _build/pdf/book.pdf and _build/pdf/brief.pdf
    python tools/print_pdf.py --chapter payback     -> _build/pdf/payback.pdf
    python tools/print_pdf.py --brief               -> _build/pdf/brief.pdf alone
Build the book first (make book). Uses Debian's chromium; no request leaves the local server.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import io
import os
import threading
from pathlib import Path

import yaml
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pages_in_order() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f"{f}.html" for f in files]


# A printed page must never link to the local server it was printed from: point every link into
# the site at the page's public address (its canonical link gives the version's root).
_PUBLIC_LINKS = """(base) => {
  const canonical = document.querySelector('link[rel="canonical"]');
  if (!canonical) throw new Error("page has no canonical link: build with a base address");
  const here = location.href.split("#")[0].slice(base.length);
  const root = canonical.href.slice(0, canonical.href.length - here.length);
  document.querySelectorAll("a[href]").forEach((a) => {
    if (a.href.startsWith(base)) a.href = root + a.href.slice(base.length);
  });
}"""


_HEADER = "<span></span>"


def _footer(numbered: tuple[int, int] | None = None) -> str:
    """Every printed page: the book, its version and date, the chapter and its page number
    (Chromium's own, or `numbered` = (page, of) for a page printed on its own)."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    where = ('page <span class="pageNumber"></span> of <span class="totalPages"></span>'
             if numbered is None else f"page {numbered[0]} of {numbered[1]}")
    return ('<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;'
            'justify-content:space-between;color:#555"><span>GPU Economics, Checked · version '
            f'{cff["version"]} ({cff["date-released"]})</span><span><span class="title"></span> · '
            f'{where}</span></div>')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


BOOK_MARGINS = {"top": "12mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}


@contextlib.contextmanager
def _site_page(scripts: bool = True):
    """A Chromium page on the built site, served locally; any request leaving it is aborted
    (and, with `scripts` off, every script: a page that only lends its text loads at once)."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(HTML)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run"])
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) and (
                scripts or r.request.resource_type != "script") else r.abort())
            yield page, base
            browser.close()
    finally:
        httpd.shutdown()


def _open(page, base: str, path: str) -> None:
    """A built page with its charts drawn and its links pointing at the public address."""
    page.goto(base + path, wait_until="load")
    charts = page.locator("[id^=altair-viz-]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").first.wait_for(timeout=15_000)
    page.evaluate(_PUBLIC_LINKS, base)


def _pdf(page, margins: dict = BOOK_MARGINS, numbered: tuple[int, int] | None = None) -> bytes:
    """What the page prints to, with the book's footer on every page."""
    page.emulate_media(media="print")
    return page.pdf(format="A4", print_background=True, display_header_footer=True,
                    header_template=_HEADER, footer_template=_footer(numbered), margin=margins)


def _fixed_info(pdf: bytes, title: str) -> bytes:
    """The document's own information: title, author, and the version's release date in place
    of Chromium's print time, so two prints of one version are the same file."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    released = "D:" + str(cff["date-released"]).replace("-", "") + "000000Z"
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({"/Title": title, "/Author": cff["authors"][0]["name"],
                         "/Subject": f"version {cff['version']}", "/CreationDate": released,
                         "/ModDate": released})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _require_built(pages: list[str]) -> None:
    missing = [p for p in pages if not (HTML / p).is_file()]
    if missing:
        raise SystemExit(f"not built: {missing} (run `make book` first)")


def print_pdf(pages: list[str], out: Path) -> Path:
    """Each page printed on its own, then joined (one chapter: `--chapter`)."""
    _require_built(pages)
    writer = PdfWriter()
    with _site_page() as (page, base):
        for path in pages:
            _open(page, base, path)
            writer.append(io.BytesIO(_pdf(page)))
    joined = io.BytesIO()
    writer.write(joined)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_fixed_info(joined.getvalue(), "GPU Economics, Checked: " +
                                ", ".join(Path(p).stem for p in pages)))
    return out


_ARTICLE = """(base) => ({
  title: (document.querySelector('article h1') || {innerText: ''}).innerText.replace('#', '').trim(),
  html: document.querySelector('article.bd-article').innerHTML,
  styles: [...document.querySelectorAll('link[rel="stylesheet"]')].map(l => l.href),
})"""


def _contents(titles: list[str], starts: list[int]) -> str:
    rows = "".join(f'<tr><td>{html.escape(t)}</td><td class="page">{n}</td></tr>'
                   for t, n in zip(titles, starts))
    return (f'<section class="print-contents"><h1>Contents</h1><table>{rows}</table></section>')


def _chapter_starts(pdf: bytes, titles: list[str], first: int) -> list[int]:
    """The page (1-based) where each chapter's title first appears, from page `first` on."""
    from pypdf import PdfReader

    texts = [" ".join((page.extract_text() or "").split())
             for page in PdfReader(io.BytesIO(pdf)).pages]
    starts, at = [], first - 1
    for title in titles:
        probe = " ".join(title.split())[:28]
        at = next((i for i in range(at, len(texts)) if probe in texts[i]), at)
        starts.append(at + 1)
    return starts


def _with_first_page(pdf: bytes, first: bytes) -> bytes:
    """`pdf` with its first page replaced by the one page of `first`."""
    replacement = PdfReader(io.BytesIO(first))
    if len(replacement.pages) != 1:
        raise RuntimeError(f"the contents printed to {len(replacement.pages)} pages, not one")
    writer = PdfWriter()
    writer.add_page(replacement.pages[0])
    for printed in PdfReader(io.BytesIO(pdf)).pages[1:]:
        writer.add_page(printed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_book(pages: list[str], out: Path) -> Path:
    """The whole book as one document: a contents page with page numbers, then every page of
    the book in order, numbered continuously."""
    _require_built(pages)
    with _site_page() as (page, base):
        articles = []
        for path in pages:
            _open(page, base, path)
            articles.append(page.evaluate(_ARTICLE, base))
        styles = "".join(f'<link rel="stylesheet" href="{href}">'
                         for href in articles[0]["styles"])
        titles = [a["title"] for a in articles]
        body = "".join(f'<section class="print-chapter">{a["html"]}</section>' for a in articles)
        extra = ("<style>.print-chapter { break-before: page; } .print-contents table "
                 "{ width: 100%; } .print-contents td.page { text-align: right; } "
                 ".print-contents td { padding: 0.3em 0; border-bottom: 1px dotted #aaa; }"
                 "</style>")

        def render(contents: str, chapters: str, numbered=None) -> bytes:
            page.goto(base + "chapters/intro.html", wait_until="load")
            page.set_content(
                f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                f"<base href='{base}chapters/'><title>GPU Economics, Checked</title>{styles}"
                f"{extra}</head><body><main class='bd-main'><article class='bd-article'>"
                f"{contents}{chapters}</article></main></body></html>", wait_until="load")
            return _pdf(page, numbered=numbered)

        # The contents' page numbers come from where the print put each chapter: the book is
        # printed once behind a contents page of the same length, whose numbers are then
        # filled in and printed on their own.
        pdf = render(_contents(titles, [0] * len(titles)), body)
        total = len(PdfReader(io.BytesIO(pdf)).pages)
        contents = render(_contents(titles, _chapter_starts(pdf, titles, 2)), "", (1, total))
        pdf = _with_first_page(pdf, contents)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_fixed_info(pdf, "GPU Economics, Checked"))
    return out


# The brief: "What we found", the scoreboard (every claim: what the post says, our value, both
# answers and the reason), each chapter's key findings, and how to cite; three pages at most.
_BRIEF_CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 7.6pt; line-height: 1.3; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 2pt; } h2 { font-size: 9.5pt; margin: 6pt 0 2pt; }
p, li { margin: 1pt 0; } ul { margin: 0; padding-left: 12pt; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 0.4pt solid #ccc;
  padding: 1.5pt 3pt; vertical-align: top; text-align: left; } th { font-size: 7pt; }
tr { break-inside: avoid; } .verdict { font-weight: bold; white-space: nowrap; }
.verdict-reason, .reproduction { display: block; } .reproduction { font-style: italic; }
a { color: inherit; text-decoration: none; } .admonition-title { display: none; }
.findings-list p { margin: 0; } svg, figure, .claims-overview { display: none; }
"""

_BRIEF_SCRIPT = """(chapters) => {
  const intro = document.querySelector('#what-we-found');
  const lead = intro.querySelector('.findings-lead').outerHTML;
  const list = intro.querySelector('.findings-list').outerHTML;
  const board = document.querySelector('table.scoreboard').outerHTML;
  const version = document.querySelector('.book-version').textContent;
  const canonical = document.querySelector('link[rel="canonical"]').href;
  const root = canonical.replace('chapters/intro.html', '');
  return {lead, list, board, version, root};
}"""


def print_brief(out: Path) -> Path:
    """At most three pages: the verdicts, every claim with its reason, the key findings (text
    only: no chart is drawn, so no script runs)."""
    with _site_page(scripts=False) as (page, base):
        page.goto(base + "chapters/intro.html", wait_until="load")
        parts = page.evaluate(_BRIEF_SCRIPT, None)
        findings = []
        for path in pages_in_order()[1:]:
            page.goto(base + path, wait_until="load")
            box = page.query_selector(".key-findings")
            if box is not None:
                title = page.query_selector("h1").inner_text().replace("#", "").strip()
                findings.append(f"<h2>{title}</h2>{box.inner_html()}")
        cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
        page.set_content(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{_BRIEF_CSS}"
            "</style></head><body>"
            f"<h1>GPU Economics, Checked: findings brief</h1><p>{parts['version']} "
            f"The book, with every computation, source and download: {parts['root']}</p>"
            f"<h2>What we found</h2>{parts['lead']}{parts['list']}"
            f"<h2>Every claim</h2>{parts['board']}{''.join(findings)}"
            f"<h2>How to cite</h2><p>{cff['authors'][0]['name']}. {cff['title']}, "
            f"version {cff['version']}, released {cff['date-released']}. "
            f"{parts['root']}</p></body></html>", wait_until="load")
        # links resolve against the last chapter opened: point them at the public address
        page.evaluate("""([base, root]) => document.querySelectorAll('a[href]').forEach(a => {
          if (a.href.startsWith(base)) a.href = root + a.href.slice(base.length); })""",
                      [base, parts["root"]])
        pdf = _pdf(page, {"top": "10mm", "bottom": "13mm", "left": "10mm", "right": "10mm"})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_fixed_info(pdf, "GPU Economics, Checked: findings brief"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", help="notebook stem, e.g. payback; default: the whole book")
    parser.add_argument("--brief", action="store_true", help="the findings brief alone")
    parser.add_argument("--out", type=Path, help="output file")
    args = parser.parse_args()
    if args.brief:
        print(f"wrote {print_brief(args.out or ROOT / '_build' / 'pdf' / 'brief.pdf')}")
        return
    pages = pages_in_order()
    if args.chapter:
        pages = [p for p in pages if Path(p).stem == args.chapter]
        if not pages:
            raise SystemExit(f"no chapter '{args.chapter}' in _toc.yml")
    out = args.out or ROOT / "_build" / "pdf" / f"{args.chapter or 'book'}.pdf"
    if args.chapter:
        print(f"wrote {print_pdf(pages, out)}")
    else:
        print(f"wrote {print_book(pages, out)}")
        print(f"wrote {print_brief(out.with_name('brief.pdf'))}")


if __name__ == "__main__":
    main()
