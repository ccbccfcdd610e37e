"""The book as a reference-manager file: BibTeX and RIS, written into `artifacts/cite/` and
linked from every chapter's "How to cite". The author is an organisation: BibTeX gets it in
double braces ({{GPU Economics Checked}}), so no tool splits it into a surname and a given name;
the title keeps its capitals the same way. Both files are read back by the tests (pybtex, and
RIS's own tag layout)."""

from __future__ import annotations

from pathlib import Path

from .citation import citation_meta

CITE_FOLDER = "cite"
STEM = "gpu-economics-checked"
BIBTEX_KEY = "gpu_economics_checked_{version}"


def bibtex(url: str) -> str:
    """A @techreport entry: institution and author the organisation, number the version."""
    meta = citation_meta()
    year, month, _ = meta["released"].split("-")
    key = BIBTEX_KEY.format(version=meta["version"].replace(".", "_"))
    fields = [("author", f"{{{{{meta['author']}}}}}"),
              ("title", f"{{{{{meta['title']}}}}}"),
              ("institution", f"{{{meta['author']}}}"),
              ("type", "{Executable report}"),
              ("number", f"{{Version {meta['version']}}}"),
              ("year", f"{{{year}}}"),
              ("month", f"{{{int(month)}}}"),
              ("date", f"{{{meta['released']}}}"),
              ("url", f"{{{url}}}"),
              ("note", "{Text, figures and data: CC-BY-4.0}")]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@techreport{{{key},\n{body}\n}}\n"


def ris(url: str) -> str:
    """An RIS record of type RPRT (report). The author has no comma, so a manager that splits
    AU at its comma keeps the organisation's name whole."""
    meta = citation_meta()
    lines = [("TY", "RPRT"), ("AU", meta["author"]), ("TI", meta["title"]),
             ("PB", meta["author"]), ("PY", meta["released"][:4]),
             ("DA", meta["released"].replace("-", "/")), ("ET", f"Version {meta['version']}"),
             ("UR", url), ("LA", "en"), ("N1", "Text, figures and data: CC-BY-4.0"), ("ER", "")]
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)


def write_reference_files(folder: Path, version_url: str) -> list[Path]:
    """`<folder>/cite/gpu-economics-checked.{bib,ris}` for this version's address."""
    out = folder / CITE_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in (("bib", bibtex(version_url)), ("ris", ris(version_url))):
        path = out / f"{STEM}.{suffix}"
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
