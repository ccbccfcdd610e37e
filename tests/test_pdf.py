"""PDF for memos: the print edition, the findings brief and a chapter, each printed once per
test run (printing is the slow part) and then read back."""

import html
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHART_BLUE = np.array([0x00, 0x72, 0xB2])  # the house palette's first colour


def _print_pdf_module():
    spec = importlib.util.spec_from_file_location("print_pdf", ROOT / "tools" / "print_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    """The book, the brief (twice: two prints of one version must be the same file) and the
    payback chapter, as `make pdf` and `make pdf CHAPTER=payback` print them."""
    folder = tmp_path_factory.mktemp("pdf")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "print_pdf.py"),
                          "--out", str(folder / "book.pdf")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    chapter = subprocess.run([sys.executable, str(ROOT / "tools" / "print_pdf.py"),
                              "--chapter", "payback", "--out", str(folder / "payback.pdf")],
                             capture_output=True, text=True, timeout=300)
    assert chapter.returncode == 0, chapter.stderr[-2000:]
    again = subprocess.run([sys.executable, str(ROOT / "tools" / "print_pdf.py"), "--brief",
                            "--out", str(folder / "brief-again.pdf")],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    return folder


def test_chapter_prints_with_charts_and_no_blank_page(printed):
    out = printed / "payback.pdf"
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) >= 5
    ink, chart_blue = [], []
    for page in pdf:
        rgb = page.render(scale=0.5, rev_byteorder=True).to_numpy()[..., :3].astype(int)
        ink.append((rgb.sum(axis=-1) < 720).mean())
        chart_blue.append((np.abs(rgb - CHART_BLUE).max(axis=-1) < 40).mean())
    assert min(ink) > 0.01, f"a blank page: ink shares {ink}"
    # a drawn chart's blue marks cover at least half a percent of its page; none covers 0
    assert max(chart_blue) > 0.005, "no page shows a drawn chart"
    # every link points at the book's public address, never at the server it was printed from
    from pypdf import PdfReader

    from gpuecon.site.citation import LOCAL_ADDRESS

    uris = [annot.get_object()["/A"]["/URI"] for page in PdfReader(out).pages
            for annot in page.get("/Annots", []) if "/URI" in annot.get_object().get("/A", {})]
    assert uris, "the printed chapter has no links"
    local = [u for u in uris if LOCAL_ADDRESS.search(u)]
    assert not local, local[:5]
    assert any(u.startswith("https://") and "/v" in u and "chapters/" in u for u in uris)


def test_the_findings_brief_fits_three_pages_with_every_claim(printed):
    """Page 1 opens with the short answers in words; every claim follows in one table."""
    out = printed / "brief.pdf"
    from pypdf import PdfReader

    from gpuecon.site.citation import LOCAL_ADDRESS

    reader = PdfReader(out)
    assert len(reader.pages) <= 3, len(reader.pages)
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    first, text = texts[0], " ".join(texts)
    answers = first.index("The short answers")
    assert answers < first.index("What we found") < first.index("Every claim"), first[:400]
    # each short answer: the question and its verdict in words, before the table
    intro = (ROOT / "_build" / "html" / "chapters" / "intro.html").read_text(encoding="utf-8")
    questions = re.findall(r"<li><p><strong>(.*?)</strong>", intro.split('class="short-answers')[1]
                           .split("</ul>")[0], flags=re.S)
    assert len(questions) >= 6, questions
    for question in questions:
        plain = " ".join(html.unescape(re.sub("<[^>]+>", "", question)).split())
        assert plain[:30] in first[answers:first.index("Every claim")], plain
    for n in range(1, 11):
        assert f"B{n:02d}" in text and f"N{n:02d}" in text
    assert "N11" in text and "N12" in text and "Key findings" not in text
    assert "depends on the reading" in text and "robust" in text
    assert "version" in text and "/v" in text
    uris = [annot.get_object()["/A"]["/URI"] for page in reader.pages
            for annot in page.get("/Annots", []) if "/URI" in annot.get_object().get("/A", {})]
    assert uris and not [u for u in uris if LOCAL_ADDRESS.search(u)], uris[:5]
    # the document's own dates are the version's release date, not the print time: a second
    # print of the same version is the same file, byte for byte
    import yaml

    released = str(yaml.safe_load((ROOT / "CITATION.cff").read_text())["date-released"])
    assert reader.metadata["/CreationDate"].startswith("D:" + released.replace("-", ""))
    assert reader.metadata.title == "GPU Economics, Checked: findings brief"
    again = printed / "brief-again.pdf"
    assert again.read_bytes() == out.read_bytes(), "two prints of one version differ"


def test_the_print_edition_has_a_cover_contents_bookmarks_numbered_pages_and_no_code(printed):
    """One document: a cover (title, version, date, address, summary), a contents page whose
    numbers are where each chapter starts, a bookmark for every chapter and its sections at the
    same pages, pages numbered through, no code and no instruction only a browser can follow.
    The budget: 86 pages (the 113 the book first printed to, less the code; the citable values
    with their citations take 16 of them; the 2026 chapter and its rent tables 13)."""
    import yaml
    from pypdf import PdfReader

    print_pdf = _print_pdf_module()
    reader = PdfReader(printed / "book.pdf")
    texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    assert len(texts) <= 86, len(texts)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cover = texts[0]
    assert cover.startswith("GPU Economics, Checked"), cover[:100]
    for part in (f"Version {cff['version']}", str(cff["date-released"]),
                 f"/v{cff['version']}/", "Of the 22 claims"):
        assert part in cover, (part, cover[:600])
    assert texts[1].startswith("Contents")
    titles = []
    for path in print_pdf.pages_in_order():
        h1 = re.search(r"<h1>((?:(?!<h1>).)*?)<a class=\"headerlink\"",
                       (ROOT / "_build" / "html" / path).read_text(encoding="utf-8"), re.S)
        titles.append(" ".join(re.sub(r"<[^>]+>", "", h1.group(1)).split()))
    listed_at = {}
    for title in titles:
        listed = re.search(re.escape(title) + r" (\d+)", texts[1])
        assert listed, (title, texts[1])
        listed_at[title] = int(listed.group(1))
        assert texts[listed_at[title] - 1].startswith(title[:20]), (title, listed.group(1))
    # bookmarks: cover, contents, then each chapter at its contents page, its sections under it
    outline = reader.outline
    top = [o for o in outline if not isinstance(o, list)]
    assert [o.title for o in top] == ["Cover", "Contents", *titles]
    for item in top[2:]:
        assert reader.get_destination_page_number(item) + 1 == listed_at[item.title], item.title
    sections = [o for o in outline if isinstance(o, list)]
    assert len(sections) == len(titles) - 1 or len(sections) == len(titles), len(sections)
    assert sum(len(s) for s in sections) >= 40
    for group in sections:
        for item in group:
            page = reader.get_destination_page_number(item)
            assert item.title[:20] in texts[page], (item.title, page + 1)
    assert all(f"page {i + 1} of {len(texts)}" in t for i, t in enumerate(texts))
    assert all("version" in t for t in texts)
    joined = " ".join(texts)
    assert not any("import " in t and "report = ChapterReport" in t for t in texts)
    for instruction in ("Move the controls", "Move the sliders", "Copy link to this scenario",
                        "Start from:", "click", "Click", "Copy citation"):
        assert instruction not in joined, instruction
    assert joined.count("web version of this page") >= 2  # what the web offers instead
    # a quote in another language with its English beside it, and the printed citations
    assert "これにより" in joined and "In English: With this" in joined
    assert "Cite as:" in joined


def test_no_page_draws_a_missing_glyph(printed):
    """Every character printed has a glyph (the Japanese quotes need a CJK font); the check
    finds the empty box a character no installed font has is drawn with."""
    from playwright.sync_api import sync_playwright

    print_pdf = _print_pdf_module()
    for name in ("book.pdf", "brief.pdf", "payback.pdf"):
        assert print_pdf.missing_glyph_pages((printed / name).read_bytes()) == [], name
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=print_pdf.CHROMIUM,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content("<p>日本語 and Mro, a script no font here has: \U00016A40\U00016A41</p>")
        tofu = page.pdf()
        browser.close()
    assert print_pdf.missing_glyph_pages(tofu) == [1]
