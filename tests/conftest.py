"""Shared fixtures: a throw-away copy of the book's data, for bad-input tests; the built site
served locally and a browser, for the tests that read pages as a reader does."""

import shutil
from pathlib import Path

import pytest
from built_site import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def book_copy(tmp_path, monkeypatch):
    """A minimal book root (config, table of contents, chapters, data) in tmp_path; gpuecon
    reads from it."""
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("GPUECON_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def base_url():
    """The built site, served locally (one server per test worker)."""
    address, server = serve()
    yield address
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless (one per test worker)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: run tools/ensure_test_tools.sh"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# The slowest test files first (their times from `pytest --durations`), so that two workers
# taking a file at a time finish together; every other file keeps its place after them.
SLOWEST_FIRST = ("test_lighthouse.py", "test_flips.py", "test_pdf.py", "test_publish.py",
                 "test_pages_in_a_browser.py",
                 "test_scenarios.py", "test_bundles.py", "test_whatif.py", "test_phone.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: at for at, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
