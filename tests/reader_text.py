"""What a reader reads on a page, as the browser shows it (prose, tables, captions, chart text,
menus), and the house rules it must keep: one number style, and none of the code's vocabulary.

Left out: code cells (folded; the notebooks are where code is read), addresses, the titles of
sources and the notes on where in a source a figure was read (a source may be a file in a
repository), and the data dictionary and the reproducibility page, which are for whoever reuses
the files and name them as the files do."""

import re

# The text nodes a reader sees in the article, chart text (SVG) and menu options included.
READER_TEXT_JS = """() => {
  const skip = 'script, style, noscript, .cell_input, .highlight, pre, .data-dictionary, '
             + '.source-title, .source-note, .headerlink, .copy-cite';
  const root = document.querySelector('.bd-article') || document.body || document.documentElement;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (el && !el.closest(skip)) parts.push(node.textContent);
  }
  return parts.join(' ').replace(/\\s+/g, ' ');
}"""
# The pages written for whoever reuses the files: they name files, packages and commands.
TECHNICAL_PAGES = ("chapters/reproducibility.html",)

_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+")
# One number style (gpuecon.numbers): 16%, −53%, $73.6 billion.
NUMBER_STYLE = {
    "a space before %": re.compile(r"\d\s%"),
    "a hyphen as a minus sign": re.compile(r"(?<![\w.\-\u2013/])-\d"),
    "a currency code instead of its symbol": re.compile(r"\b(?:USD|EUR)\b"),
    # a range takes an en dash: $1–2, 18–20%, 2020–2023 (an ISO date keeps its hyphens)
    "a hyphen in a range": re.compile(r"(?<![\w.\-])\$?\d{1,3}(?:\.\d+)?%?-\$?\d{1,3}"
                                      r"(?:\.\d+)?%?(?![\w\-])|\b(?:19|20)\d\d-(?:19|20)\d\d\b"),
}
CODE_VOCABULARY = {
    "an identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "a file name": re.compile(r"\b[\w\-/]+\.(?:csv|json|py|ipynb|cff|yml|toml)\b"),
}


def breaches(text: str, rules: dict[str, re.Pattern]) -> list[str]:
    """Each place a rule is broken, with a little of the text around it."""
    text = _ADDRESS.sub(" ", text)
    return [f"{name}: …{text[max(0, m.start() - 30):m.end() + 20]}…"
            for name, rule in rules.items() for m in rule.finditer(text)]
