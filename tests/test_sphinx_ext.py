"""The scoreboard's data: chapters' results joined to the register, 'pending' where none."""

import json

from gpuecon import sphinx_ext


class FakeEnv:
    """Just what claims_table needs from Sphinx's build environment."""

    def __init__(self, docs):
        self.found_docs = set(docs)

    def doc2path(self, doc, base=False):
        return f"{doc}.ipynb" if doc != "chapters/intro" else f"{doc}.md"


def test_claims_without_results_are_pending(book_copy):
    results = book_copy / "_build" / "results"
    results.mkdir(parents=True)
    (results / "networking_arr.json").write_text(json.dumps({
        "chapter": "networking_arr", "values": [], "texts": {}, "inputs": [],
        "claims": [{"claim_id": "N03", "chapter": "networking_arr", "verdict": "holds",
                    "ours": 3939.39, "ours_display": "3,939", "ours_unit": "USD",
                    "stated_text": "$3,900", "reason": "r", "as_of": "2024-01-28",
                    "value_keys": ["n03_ours"]}]}))
    env = FakeEnv(["chapters/intro", "chapters/networking_arr", "chapters/payback"])
    table = sphinx_ext.claims_table(env).set_index("claim_id")
    assert len(table) == 22
    assert table.loc["N03", "verdict"] == "holds"
    assert table.loc["N03", "our_value_display"] == "3,939"
    assert (table.drop(index="N03")["verdict"] == "pending").all()


def test_results_of_chapters_outside_the_book_are_ignored(book_copy):
    results = book_copy / "_build" / "results"
    results.mkdir(parents=True)
    (results / "old_chapter.json").write_text(json.dumps({
        "chapter": "old_chapter", "values": [{"key": "stale"}], "claims": []}))
    env = FakeEnv(["chapters/intro"])
    assert sphinx_ext._load_results(env) == {}
