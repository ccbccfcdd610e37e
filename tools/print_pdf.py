"""Print the built book, or one chapter, to PDF with headless Chromium (charts included).

    python tools/print_pdf.py                       -> _build/pdf/book.pdf
    python tools/print_pdf.py --chapter payback     -> _build/pdf/payback.pdf
Build the book first (make book). Uses Debian's chromium; no request leaves the local server.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import threading
from pathlib import Path

import yaml
from pypdf import PdfWriter

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


def _footer() -> str:
    """Every printed page: the book, its version and date, the chapter and its page number."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return ('<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;'
            'justify-content:space-between;color:#555"><span>GPU Economics, Checked · version '
            f'{cff["version"]} ({cff["date-released"]})</span><span><span class="title"></span> · '
            'page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(pages: list[str], out: Path) -> Path:
    from playwright.sync_api import sync_playwright

    missing = [p for p in pages if not (HTML / p).is_file()]
    if missing:
        raise SystemExit(f"not built: {missing} (run `make book` first)")
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(HTML)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    writer = PdfWriter()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run"])
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       else r.abort())
            for path in pages:
                page.goto(base + path, wait_until="load")
                charts = page.locator("[id^=altair-viz-]")
                for i in range(charts.count()):
                    charts.nth(i).locator("svg.marks").first.wait_for(timeout=15_000)
                page.evaluate(_PUBLIC_LINKS, base)
                page.emulate_media(media="print")
                pdf = page.pdf(format="A4", print_background=True,
                               display_header_footer=True, header_template=_HEADER,
                               footer_template=_footer(),
                               margin={"top": "12mm", "bottom": "15mm",
                                       "left": "12mm", "right": "12mm"})
                writer.append(io.BytesIO(pdf))
            browser.close()
    finally:
        httpd.shutdown()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", help="notebook stem, e.g. payback; default: the whole book")
    parser.add_argument("--out", type=Path, help="output file")
    args = parser.parse_args()
    pages = pages_in_order()
    if args.chapter:
        pages = [p for p in pages if Path(p).stem == args.chapter]
        if not pages:
            raise SystemExit(f"no chapter '{args.chapter}' in _toc.yml")
    out = args.out or ROOT / "_build" / "pdf" / f"{args.chapter or 'book'}.pdf"
    print(f"wrote {print_pdf(pages, out)}")


if __name__ == "__main__":
    main()
