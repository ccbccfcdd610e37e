"""Every judged verdict and forecast, and a guard of the 2026 chapter, shown to stop the published
book when the input that decides it moves: a table of perturbations (the row of a data file, its
new value, and what the build must then say), each run on a copy of the book with the chapter
executed as the book's build executes it. A verdict that no perturbation can move would be a
verdict typed by construction."""

import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from built_site import ROOT

# (what moves, chapter, data file, the text of the row before, after, what the build must say)
FLIPS = [
    ("B01", "payback", "h100_rental_prices.csv", "ls_2023_original,2023,4.70,",
     "ls_2023_original,2023,6.50,", "B01: the chapter expects 'does not hold' but the data now give 'holds'"),
    ("B02", "payback", "statements.csv", "b02_sequoia_method,B02,sequoia_600b,confirmed,contradicts,",
     "b02_sequoia_method,B02,sequoia_600b,confirmed,supports,",
     "B02: the chapter expects 'does not hold' but the data now give 'holds'"),
    ("B03", "payback", "verdict_rules.csv", "B03,providers_needed,2,", "B03,providers_needed,0,",
     "B03: the chapter expects 'does not hold' but the data now give 'holds'"),
    ("B04", "payback", "h100_rental_prices.csv", "ls_2024_10_resale,2024-10,2.00,",
     "ls_2024_10_resale,2024-10,1.90,",
     "B04: the chapter expects 'holds approximately' but the data now give 'holds'"),
    ("B05", "payback", "statements.csv",
     "b05_ls_resell,B05,latent_space_gpu_bubble,confirmed,supports,",
     "b05_ls_resell,B05,latent_space_gpu_bubble,confirmed,contradicts,",
     "B05: the chapter expects 'holds approximately' but the data now give 'does not hold'"),
    ("B06", "payback", "verdict_rules.csv", "B06,size_gap_holds,0.10,", "B06,size_gap_holds,0.50,",
     "B06: the chapter expects 'holds approximately' but the data now give 'holds'"),
    ("B07", "asml_bookings", "statements.csv",
     "b07_dcd_sold_out,B07,dcd_blackwell_sold_out,confirmed,supports,",
     "b07_dcd_sold_out,B07,dcd_blackwell_sold_out,confirmed,contradicts,",
     "B07: the chapter expects 'holds approximately' but the data now give 'does not hold'"),
    ("B08", "asml_bookings", "asml_bookings.csv", "2024-Q3,2633,", "2024-Q3,3633,",
     "B08: the chapter expects 'holds approximately' but the data now give 'does not hold'"),
    # B10 is unsourced: a source that says it makes the readings disagree first
    ("B10", "asml_bookings", "statements.csv",
     "b10_cfo_80_not_found,B10,asml_q3_2024_call_searched,not found,none,",
     "b10_cfo_80_not_found,B10,asml_q3_2024_call_searched,confirmed,supports,",
     "B10: the chapter's text says its verdict is 'robust'; the readings now say 'depends"),
    ("N02", "networking_arr", "statements.csv",
     "n02_ms_units_cited,N02,hedgehog_roi_de,as cited,supports,",
     "n02_ms_units_cited,N02,hedgehog_roi_de,confirmed,supports,",
     "N02: the chapter expects 'unsourced' but the data now give 'holds'"),
    ("N03", "networking_arr", "reported_figures.csv", ",3.3,units_million,",
     ",2.0,units_million,", "N03: the chapter expects 'holds'"),
    # N04's deciding price is the blended one; the sentence of its section stops the book first
    ("N04", "networking_arr", "reported_figures.csv", ",21700,USD", ",5000,USD",
     "its text says “608,000 GPUs at the blended price come to $13.19 billion a quarter.”"),
    ("N05", "networking_arr", "statements.csv",
     "n05_delloro_ib_lead,N05,delloro_ai_networks,confirmed,qualifies,",
     "n05_delloro_ib_lead,N05,delloro_ai_networks,confirmed,supports,",
     "N05: the chapter expects 'holds approximately' but the data now give 'holds'"),
    ("N06", "network_roi", "reported_figures.csv", ",0.60,fraction", ",0.40,fraction",
     "N06: the chapter expects 'holds approximately' but the data now give 'does not hold'"),
    ("N08", "network_roi", "reported_figures.csv", "(input = output),0.27,",
     "(input = output),0.50,",
     "N08: the chapter expects 'holds approximately' but the data now give 'does not hold'"),
    ("F01", "what_happened_next", "h100_rental_prices.csv",
     "aimultiple_2026_05_median,2026-05,2.95,", "aimultiple_2026_05_median,2026-05,1.20,",
     "F01: the chapter expects 'not borne out' but the data now give 'borne out'"),
    ("F02", "what_happened_next", "reported_figures.csv", ",75.246,", ",20.0,",
     "F02: the chapter expects 'not borne out' but the data now give 'borne out'"),
    ("F03", "what_happened_next", "reported_figures.csv", ",0.667,fraction", ",0.30,fraction",
     "F03: the chapter expects 'borne out' but the data now give 'not borne out'"),
    ("the 2026 rents", "buying_2026", "gpu_prices_2026.csv",
     "cri_h100_20260306,2026-03-06,H100,1.735,", "cri_h100_20260306,2026-03-06,H100,1.2,",
     "its text says “Held flat, every rent in the sources pays back a GPU bought today within "
     "the baseline life.”"),
]


@pytest.mark.parametrize("what, chapter, file, before, after, says", FLIPS,
                         ids=[flip[0] for flip in FLIPS])
def test_the_published_book_stops_when_a_deciding_input_moves(book_copy, what, chapter, file,
                                                              before, after, says):
    path = book_copy / "data" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"{file}: the row to change is not there once: {before}"
    path.write_text(text.replace(before, after), encoding="utf-8")
    target = book_copy / "chapters" / f"{chapter}.ipynb"
    notebook = nbformat.read(target, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(target.parent)}})
    with pytest.raises(CellExecutionError) as stopped:
        client.execute()
    message = re.sub(r"\x1b\[[0-9;]*m", "", str(stopped.value))
    assert "VerdictChanged" in message, message[-800:]
    assert says in message, message[-800:]


def test_every_judged_claim_and_forecast_has_a_flip():
    import csv

    with (ROOT / "data" / "claims.csv").open(encoding="utf-8") as fh:
        judged = {r["claim_id"] for r in csv.DictReader(fh) if r["comparison"] == "judged"}
    with (ROOT / "data" / "forecasts.csv").open(encoding="utf-8") as fh:
        forecasts = {r["forecast_id"] for r in csv.DictReader(fh)}
    flipped = {flip[0] for flip in FLIPS}
    assert judged | forecasts <= flipped, sorted((judged | forecasts) - flipped)
