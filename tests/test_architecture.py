"""The package's layout keeps its promises: what a chapter can import never reaches into the
build's own sub-package, no two modules import each other (directly or round a longer circle),
and no module, class or extension entry grows past the sizes a newcomer can read."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gpuecon"
SITE = PACKAGE / "site"
MODULES = sorted(PACKAGE.rglob("*.py"))
KERNEL_SIDE = [p for p in MODULES if SITE not in p.parents]

MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 150
MAX_ENTRY_LINES = 150  # gpuecon/site/__init__.py: the extension's setup()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every gpuecon module `path` imports, at the top or inside a function."""
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" \
        else _module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("gpuecon")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("gpuecon"):
                continue
            for alias in node.names:  # "from . import data" imports a module; "from .x import y" x
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _exists(candidate) else base)
    return {name for name in found if _exists(name)}


def _exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = {_module_name(p): _imports(p) - {_module_name(p)} for p in MODULES}


def test_the_import_graph_is_read_from_the_package():
    assert "gpuecon.data" in GRAPH["gpuecon.report.verdicts"]
    assert "gpuecon.site.execution" in GRAPH["gpuecon.site.lifecycle"]


@pytest.mark.parametrize("path", KERNEL_SIDE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_what_a_chapter_can_import_never_imports_the_site_package(path):
    reached = {m for m in GRAPH[_module_name(path)] if m.startswith("gpuecon.site")}
    assert not reached, f"{path.relative_to(ROOT)} imports {sorted(reached)}"


def test_importing_every_kernel_side_module_loads_nothing_of_the_site_package():
    names = [_module_name(p) for p in KERNEL_SIDE]
    code = ("import sys, importlib\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('gpuecon.site')))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]", run.stdout


def _cycle() -> list[str]:
    """One import circle between modules, if there is one (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue  # a package and its own modules
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_two_modules_import_each_other():
    assert _cycle() == []


def test_a_circle_would_be_found():
    GRAPH["gpuecon.paths"].add("gpuecon.data")  # data imports paths: now a circle
    try:
        assert _cycle()
    finally:
        GRAPH["gpuecon.paths"].discard("gpuecon.data")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_classes_stay_readable(path):
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_CLASS_LINES, f"{path.name}: class {node.name} {length} lines"


def test_the_extension_entry_is_thin():
    entry = SITE / "__init__.py"
    assert len(entry.read_text(encoding="utf-8").splitlines()) <= MAX_ENTRY_LINES


def test_the_build_names_the_site_package():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["extra_extensions"] == ["gpuecon.site"]


def test_only_the_edition_module_reads_the_edition_from_the_environment():
    from gpuecon import edition

    names = (edition.SCENARIO_VARIABLE, edition.BUILD_DIR_VARIABLE, edition.BOOK_BUILD_VARIABLE)
    readers = sorted(p.relative_to(ROOT).as_posix() for p in MODULES
                     if any(f'"{n}"' in p.read_text(encoding="utf-8") for n in names))
    assert readers == ["gpuecon/edition.py"]
