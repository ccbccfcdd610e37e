"""The results contract: what chapters write, what the site reads, checked as one book."""

import json

import pytest

from gpuecon import results
from gpuecon.results import ChapterResults, ClaimResult, ForecastResult, ValueRecord


def _value(key, chapter, value=1.0):
    return ValueRecord(key, value, "fraction", f"{value:.0%}", "a share", chapter, "2024-10")


def _claim(claim_id, chapter, verdict="holds"):
    return ClaimResult(claim_id, chapter, "reproduces", verdict, 3939.39, "3,939", "USD", "$3,900",
                       "It holds at 3,939.", "2024-01-28", [])


def _write(chapter, values=(), claims=(), forecasts=()):
    return results.write(ChapterResults(chapter, list(values), list(claims), list(forecasts),
                                        {}, [{"resource": "assumptions", "row": "pue"}]))


def test_a_chapter_reads_back_what_it_wrote(book_copy):
    _write("networking_arr", [_value("share_b", "networking_arr"), _value("share_a",
                                                                          "networking_arr")],
           [_claim("N03", "networking_arr")])
    back = results.read("networking_arr")
    assert [v.key for v in back.values] == ["share_a", "share_b"]  # sorted: stable bytes
    assert back.claims[0].ours_display == "3,939"
    assert back.inputs == [{"resource": "assumptions", "row": "pue"}]


def test_claims_without_results_are_pending(book_copy):
    _write("networking_arr", claims=[_claim("N03", "networking_arr")])
    table = results.load_book().claims_table().set_index("claim_id")
    assert len(table) == 22
    assert table.loc["N03", "verdict"] == "holds"
    assert (table.drop(index="N03")["verdict"] == "pending").all()


def test_forecasts_without_results_are_pending(book_copy):
    _write("what_happened_next", forecasts=[ForecastResult(
        "F03", "what_happened_next", results.BORNE_OUT, "Ethernet had 50 %.", "2025-09", [])])
    table = results.load_book().forecasts_table().set_index("forecast_id")
    assert table.loc["F03", "verdict"] == results.BORNE_OUT
    assert table.loc["F01", "verdict"] == "pending"


def test_a_key_published_by_two_chapters_stops_the_book(book_copy):
    _write("payback", [_value("hurdle_rate", "payback")])
    _write("what_happened_next", [_value("hurdle_rate", "what_happened_next")])
    with pytest.raises(results.ResultsError) as error:
        results.load_book()
    message = str(error.value)
    assert "'hurdle_rate'" in message and "payback" in message and "what_happened_next" in message
    assert "payback.ipynb::hurdle_rate" in message  # says how to quote it instead


def test_a_verdict_for_a_claim_not_in_the_register_stops_the_book(book_copy):
    _write("payback", claims=[_claim("B99", "payback")])
    with pytest.raises(results.ResultsError, match="B99"):
        results.load_book()


def test_results_of_another_format_are_refused_with_what_to_do(book_copy):
    path = results.results_path("payback")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"chapter": "payback", "values": [], "claims": []}))
    with pytest.raises(results.ResultsError, match="make rebuild"):
        results.read("payback")


def test_results_of_chapters_outside_the_book_are_ignored(book_copy):
    _write("old_chapter", [_value("stale", "old_chapter")])
    assert "old_chapter" not in results.load_book().chapters


def test_the_chapters_come_from_the_table_of_contents(book_copy):
    docs = results.chapter_docs()
    assert list(docs) == ["payback", "asml_bookings", "networking_arr", "network_roi",
                          "what_happened_next", "buying_2026"]
    assert docs["payback"] == "chapters/payback"


def test_values_are_citable_at_their_anchor(book_copy):
    _write("payback", [_value("hurdle_rate", "payback")])
    row = results.load_book().values_table().iloc[0]
    assert row["citable_at"] == "chapters/citable_values.html#val-hurdle-rate"
