"""Add a built book to the publishable tree, keeping every earlier version as it was published.

    python tools/publish.py --site _build/html --public public     (make publish does this)

The version and its date come from CITATION.cff, the commit from git; --version, --date and
--commit override them.

public/
  v<version>/         one version, byte for byte as built; SHA256SUMS lists its files
  latest/             a copy of the newest version
  versions.json       every version with its date and commit, and which is the latest
  changes/            what moved between each older version and the latest (make changelog)
  index.html          sends a reader to latest/
  sitemap.xml         the newest version's pages
Publishing a version that is already in public/ succeeds only if the build is identical to it:
the archive is the record a memo points to, never rewritten.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from packaging.version import Version

sys.path.insert(0, str(Path(__file__).resolve().parent))
import values_changelog  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHECKSUMS = "SHA256SUMS"


def checksums(folder: Path) -> str:
    """sha256sum's format, sorted by path: `sha256sum -c SHA256SUMS` run in `folder` verifies it."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    return files_a == files_b and all(
        filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def changes_page(old: str, new: str, public: Path) -> str:
    """The values changelog between two published versions, as a small standalone page."""
    from markdown_it import MarkdownIt

    body = values_changelog.changelog(public / f"v{old}" / "artifacts",
                                      public / f"v{new}" / "artifacts")
    rendered = MarkdownIt("commonmark").enable("table").render(body)
    title = f"What changed from version {old} to version {new}"
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em}"
            "</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n"
            f'<p><a href="../v{old}/index.html">Version {old}</a> · '
            f'<a href="../v{new}/index.html">version {new}</a></p>\n'
            f"{rendered}</body>\n</html>\n")


def publish(site: Path, public: Path, version: str, date: str, commit: str) -> Path:
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}: no built book here (run make book first)")
    public.mkdir(parents=True, exist_ok=True)
    target = public / f"v{version}"
    if target.exists():
        if not same_tree(site, target):
            raise SystemExit(
                f"{target} is already published and this build differs from it. A published "
                "version is never rewritten: raise the version in CITATION.cff and "
                "gpuecon/__init__.py, then publish again.")
        print(f"v{version} is already published, identical to this build: kept as it was")
    else:
        shutil.copytree(site, target)
        (target / CHECKSUMS).write_text(checksums(target), encoding="utf-8")

    index_path = public / "versions.json"
    index = json.loads(index_path.read_text(encoding="utf-8")) if index_path.is_file() else {}
    versions = {v["version"]: v for v in index.get("versions", [])}
    versions.setdefault(version, {"version": version, "date": date, "commit": commit,
                                  "path": f"v{version}/"})
    ordered = sorted(versions.values(), key=lambda v: Version(v["version"]), reverse=True)
    latest = ordered[0]["version"]
    index_path.write_text(json.dumps({"latest": latest, "versions": ordered}, indent=1) + "\n",
                          encoding="utf-8")

    newest = public / f"v{latest}"
    if (public / "latest").exists():
        shutil.rmtree(public / "latest")
    shutil.copytree(newest, public / "latest")
    shutil.copyfile(newest / "sitemap.xml", public / "sitemap.xml")
    (public / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=latest/index.html">'
        "<title>GPU Economics, Checked</title></head>\n"
        '<body><p><a href="latest/index.html">The latest version of the book</a>; '
        '<a href="versions.json">every version</a>.</p></body></html>\n', encoding="utf-8")
    changes = public / "changes"
    changes.mkdir(exist_ok=True)
    for older in ordered[1:]:
        page = changes / f"v{older['version']}-to-v{latest}.html"
        page.write_text(changes_page(older["version"], latest, public), encoding="utf-8")
    return target


def _checkout_commit() -> str:
    """HEAD, marked '-dirty' when the working tree has uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "HEAD")
    return f"{head}-dirty" if head and git("status", "--porcelain") else head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--public", type=Path, required=True)
    parser.add_argument("--version", help="default: CITATION.cff's version")
    parser.add_argument("--date", help="default: CITATION.cff's date-released")
    parser.add_argument("--commit", help="default: the checkout's HEAD")
    args = parser.parse_args()
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    commit = args.commit or _checkout_commit()
    target = publish(args.site, args.public, args.version or str(cff["version"]),
                     args.date or str(cff["date-released"]), commit or "unknown")
    print(f"published {target}; versions in {args.public / 'versions.json'}")


if __name__ == "__main__":
    main()
