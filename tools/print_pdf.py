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
import csv
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


def missing_glyph_pages(pdf: bytes) -> list[int]:
    """The pages (1-based) that draw a character with a font's 'missing glyph' (glyph 0, the
    empty box a reader sees when no installed font has the character)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = {name: ref.get_object()
                 for name, ref in (page["/Resources"].get("/Font") or {}).items()}
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts.get(operands[0])
            elif operator in (b"Tj", b"TJ", b"'", b'"') and font is not None \
                    and font.get("/Subtype") == "/Type0":  # two bytes a glyph (Chromium's)
                shown = operands[0] if operator == b"TJ" else operands[-1:]
                codes = b"".join(s.original_bytes for s in shown if hasattr(s, "original_bytes"))
                if any(codes[i:i + 2] == b"\x00\x00" for i in range(0, len(codes) - 1, 2)):
                    pages.append(number)
                    break
    return pages


def _all_glyphs_drawn(pdf: bytes, what: str) -> bytes:
    """Stop a print that would show empty boxes (a font missing on this machine)."""
    missing = missing_glyph_pages(pdf)
    if missing:
        raise SystemExit(f"{what}: pages {missing} draw characters no installed font has (the "
                         "book quotes Japanese: run tools/ensure_test_tools.sh, which installs "
                         "Debian's fonts-noto-cjk)")
    return pdf


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
    out.write_bytes(_fixed_info(_all_glyphs_drawn(joined.getvalue(), str(out)),
                                "GPU Economics, Checked: " +
                                ", ".join(Path(p).stem for p in pages)))
    return out


_ARTICLE = """(base) => ({
  title: (document.querySelector('article h1') || {innerText: ''}).innerText.replace('#', '').trim(),
  sections: [...document.querySelectorAll('article.bd-article section > h2')]
    .filter(h => h.offsetParent !== null).map(h => h.innerText.replace('#', '').trim()),
  html: document.querySelector('article.bd-article').innerHTML,
  styles: [...document.querySelectorAll('link[rel="stylesheet"]')].map(l => l.href),
  lead: (document.querySelector('.findings-lead') || {innerText: ''}).innerText,
  root: document.querySelector('link[rel="canonical"]').href.replace(/chapters[/][^/]*$/, ''),
})"""


def _cover(cff: dict, root: str, lead: str) -> str:
    """The first page: title, version, date, address and what the book found, in a paragraph."""
    title, _, subtitle = cff["title"].partition(": ")
    return (f'<section class="print-cover"><h1>{html.escape(title)}</h1>'
            f'<p class="cover-subtitle">{html.escape(subtitle)}</p>'
            f'<p class="cover-version">Version {cff["version"]}, {cff["date-released"]}<br>'
            f'<a href="{html.escape(root)}">{html.escape(root)}</a></p>'
            f'<p class="cover-summary">{html.escape(" ".join(cff["abstract"].split()))} '
            f'{html.escape(lead)}</p>'
            f'<p class="cover-publisher">{html.escape(cff["authors"][0]["name"])} · '
            f'licence {cff["license"]}</p></section>')


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
        # a chapter starts a page with its title (another page may name it in a sentence)
        at = next((i for i in range(at, len(texts)) if texts[i].startswith(probe)),
                  next((i for i in range(at, len(texts)) if probe in texts[i]), at))
        starts.append(at + 1)
    return starts


def _section_pages(pdf: bytes, chapters: list[tuple[str, list[str]]], starts: list[int]) -> list:
    """Each chapter's sections with the page (1-based) where each heading first appears, at or
    after its chapter's start."""
    texts = [" ".join((page.extract_text() or "").split())
             for page in PdfReader(io.BytesIO(pdf)).pages]
    found = []
    for (_, sections), start in zip(chapters, starts):
        at, pages = start - 1, []
        for heading in sections:
            probe = " ".join(heading.split())[:28]
            at = next((i for i in range(at, len(texts)) if probe in texts[i]), at)
            pages.append((heading, at + 1))
        found.append(pages)
    return found


def _with_page_replaced(pdf: bytes, index: int, replacement_pdf: bytes) -> bytes:
    """`pdf` with page `index` (0-based) replaced by the one page of `replacement_pdf`."""
    replacement = PdfReader(io.BytesIO(replacement_pdf))
    if len(replacement.pages) != 1:
        raise RuntimeError(f"the contents printed to {len(replacement.pages)} pages, not one")
    writer = PdfWriter()
    for i, printed in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        writer.add_page(replacement.pages[0] if i == index else printed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_outline(pdf: bytes, titles: list[str], starts: list[int], sections: list) -> bytes:
    """PDF bookmarks: the cover, the contents, each chapter and, under it, its sections."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Contents", page_number=1)
    for title, start, chapter_sections in zip(titles, starts, sections):
        parent = writer.add_outline_item(title=title, page_number=start - 1)
        for heading, page in chapter_sections:
            writer.add_outline_item(title=heading, page_number=page - 1, parent=parent)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PRINT_CSS = (
    ".print-chapter { break-before: page; } .print-contents { break-before: page; } "
    ".print-contents table { width: 100%; } .print-contents td.page { text-align: right; } "
    ".print-contents td { padding: 0.3em 0; border-bottom: 1px dotted #aaa; } "
    ".print-cover { padding-top: 28mm; } .print-cover h1 { font-size: 30pt; margin: 0; } "
    ".cover-subtitle { font-size: 15pt; color: #333; margin: 0.4em 0 2em; } "
    ".cover-version { font-size: 12pt; } .cover-summary { font-size: 11pt; line-height: 1.5; "
    "margin-top: 2em; max-width: 150mm; } .cover-publisher { margin-top: 3em; color: #444; }")


def print_book(pages: list[str], out: Path) -> Path:
    """The whole book as one document: a cover, a contents page with page numbers, then every
    page of the book in order, numbered continuously, with a bookmark for every chapter and
    section."""
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
        extra = f"<style>{PRINT_CSS}</style>"
        cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
        cover = _cover(cff, articles[0]["root"], articles[0]["lead"])

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
        # filled in and printed on their own as page 2.
        pdf = render(cover + _contents(titles, [0] * len(titles)), body)
        total = len(PdfReader(io.BytesIO(pdf)).pages)
        starts = _chapter_starts(pdf, titles, 3)
        contents = render(_contents(titles, starts), "", (2, total))
        pdf = _with_page_replaced(pdf, 1, contents)
        sections = _section_pages(pdf, [(a["title"], a["sections"]) for a in articles], starts)
        pdf = _with_outline(pdf, titles, starts, sections)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_fixed_info(_all_glyphs_drawn(pdf, str(out)), "GPU Economics, Checked"))
    return out


# The brief: the short answers in words on page 1, what we found, every claim in one compact
# table (what the post says, our value, the verdict with how robust it is, and why), how to cite;
# three pages at most.
_BRIEF_CSS = """
body { font-family: 'DejaVu Sans', 'Noto Sans CJK JP', sans-serif; font-size: 7.8pt;
  line-height: 1.3; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 2pt; } h2 { font-size: 10pt; margin: 7pt 0 2pt; }
p, li { margin: 1.5pt 0; } ul { margin: 0; padding-left: 12pt; }
.short-answers li { font-size: 9pt; margin: 3pt 0; } .short-answers .verdict { font-size: 8pt; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 0.4pt solid #ccc;
  padding: 1.5pt 3pt; vertical-align: top; text-align: left; } th { font-size: 7pt; }
tr { break-inside: avoid; } .verdict { font-weight: bold; }
.robust { display: block; color: #444; } .claim-id { font-weight: bold; }
a { color: inherit; text-decoration: none; } td.why { font-size: 7.2pt; }
"""

_BRIEF_SCRIPT = """() => {
  const text = (el) => el ? el.innerText.replace(/\\s+/g, ' ').trim() : '';
  const answers = document.querySelector('ul.short-answers').outerHTML;
  const lead = document.querySelector('.findings-lead').outerHTML;
  const rows = [...document.querySelectorAll('table.scoreboard tbody tr')].map(tr => {
    const td = tr.querySelectorAll('td');
    return {id: text(td[0]), name: text(td[1]), stated: text(td[2]), ours: text(td[3]),
            verdict: text(td[4].querySelector('.verdict')),
            reason: text(td[4].querySelector('.verdict-reason')),
            robust: text(td[5].querySelector('strong'))};
  });
  const version = document.querySelector('.book-version').textContent;
  const canonical = document.querySelector('link[rel="canonical"]').href;
  const root = canonical.replace('chapters/intro.html', '');
  return {answers, lead, rows, version, root};
}"""


def _claims_table(rows: list[dict], root: str) -> str:
    """Every claim on a line: the claim, what the post says, our value, the verdict with how
    robust it is, and why."""
    body = "".join(
        f'<tr><td><a href="{root}chapters/{_chapter_of(r["id"])}.html#claim-{r["id"].lower()}">'
        f'<span class="claim-id">{r["id"]}</span> {html.escape(r["name"])}</a></td>'
        f'<td>{html.escape(r["stated"])}</td><td>{html.escape(r["ours"])}</td>'
        f'<td><span class="verdict">{html.escape(r["verdict"])}</span>'
        f'<span class="robust">{html.escape(r["robust"])}</span></td>'
        f'<td class="why">{html.escape(r["reason"])}</td></tr>' for r in rows)
    return ("<table><thead><tr><th>claim</th><th>the post says</th><th>our value</th>"
            f"<th>verdict, how robust</th><th>why</th></tr></thead><tbody>{body}</tbody></table>")


@functools.cache
def _chapter_of(claim_id: str) -> str:
    with open(ROOT / "data" / "claims.csv", encoding="utf-8", newline="") as f:
        return {r["claim_id"]: r["chapter"] for r in csv.DictReader(f)}[claim_id]


def print_brief(out: Path) -> Path:
    """At most three pages, the short answers first (text only: no chart is drawn, so no
    script runs)."""
    with _site_page(scripts=False) as (page, base):
        page.goto(base + "chapters/intro.html", wait_until="load")
        parts = page.evaluate(_BRIEF_SCRIPT)
        cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
        page.set_content(
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><base "
            f"href='{base}chapters/'><style>{_BRIEF_CSS}</style></head><body>"
            f"<h1>GPU Economics, Checked: findings brief</h1><p>{parts['version']} "
            f"The book, with every computation, source and download: {parts['root']}</p>"
            f"<h2>The short answers</h2>{parts['answers']}"
            f"<h2>What we found</h2>{parts['lead']}"
            f"<h2>Every claim</h2>{_claims_table(parts['rows'], parts['root'])}"
            f"<h2>How to cite</h2><p>{cff['authors'][0]['name']}. {cff['title']}, "
            f"version {cff['version']}, released {cff['date-released']}. "
            f"{parts['root']}</p></body></html>", wait_until="load")
        # links resolve against the page the brief was read from: point them at the public
        # address
        page.evaluate("""([base, root]) => document.querySelectorAll('a[href]').forEach(a => {
          if (a.href.startsWith(base)) a.href = root + a.href.slice(base.length); })""",
                      [base, parts["root"]])
        pdf = _pdf(page, {"top": "10mm", "bottom": "13mm", "left": "10mm", "right": "10mm"})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_fixed_info(_all_glyphs_drawn(pdf, str(out)),
                                "GPU Economics, Checked: findings brief"))
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
