"""Every built page is valid HTML by the Nu Html Checker (vnu-jar 26.9.27, the W3C validator's
engine, from the npm registry; Java from Debian: tools/ensure_test_tools.sh). Run once over the
whole site; errors only (its warnings are advice)."""

import json
import subprocess

import pytest
from built_site import HTML, PAGES, ROOT

VNU = ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(files) -> dict[str, list[str]]:
    """The checker's errors by file name, each as 'line N: message'."""
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                          *map(str, files)], capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if message["type"] in ("error", "non-document-error"):
            name = message.get("url", "?").rsplit("/", 1)[-1]
            errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: "
                                               f"{message['message']}")
    return errors


@pytest.fixture(scope="module")
def site_errors():
    assert VNU.is_file(), "no vnu.jar: run make test (it installs tools/vnu)"
    return vnu_errors([HTML / page for page in PAGES])


def test_every_page_is_valid_html(site_errors):
    assert len(PAGES) >= 12
    assert site_errors == {}, "\n".join(f"{page}: {e}" for page, errors in site_errors.items()
                                        for e in errors[:10])


def test_the_checker_finds_what_the_book_once_had(tmp_path):
    """The faults this book's pages once carried: a paragraph in a code toggle's summary,
    a paragraph in a paragraph, and Jupyter Book's one-line redirect stub."""
    toggle = tmp_path / "toggle.html"
    toggle.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
                      "<details><summary><p>Show code</p></summary>x</details>"
                      "<p><p>cell</p></p></body></html>", encoding="utf-8")
    stub = tmp_path / "stub.html"
    stub.write_text('<meta http-equiv="Refresh" content="0; url=chapters/intro.html" />\n',
                    encoding="utf-8")
    errors = vnu_errors([toggle, stub])
    assert any("“p”" in e for e in errors["toggle.html"]), errors
    assert any("doctype" in e.lower() for e in errors["stub.html"]), errors
    assert any("title" in e for e in errors["stub.html"]), errors
