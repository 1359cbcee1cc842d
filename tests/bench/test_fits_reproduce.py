"""The fitted numbers the product reads are what their fitting scripts produce today.

A change to the detector or the answer reader moves what a fit sees; when it also moves the fit, the
saved file must be refitted in the same change (and its effect measured). Each script is run whole on
the development set's tune split, written to a temporary file and compared with the saved one. The
floors fit (`fit_floors`) searches for most of an hour, so only what it starts from is checked: the
counts saved beside the floors, found and false contradictions per fitting set at those floors. When
the detector or its inputs change those counts, the search may end elsewhere and must be run again.
These need the public data sets next to the repository (`../shared/data`), as the development set
does, and skip without them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.conflicts.floors import FILE as FLOORS_FILE
from assistant.conflicts.floors import Floors
from bench.quality import fit_floors, fit_pairing, fit_polarity, fit_sentences

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT / ".." / "shared" / "data"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SHARED_DATA.is_dir(), reason=f"the public data sets are not at {SHARED_DATA.resolve()}"
    ),
]


@pytest.mark.parametrize(
    ("script", "saved"),
    [
        (fit_polarity, fit_polarity.OUTPUT),
        (fit_pairing, fit_pairing.FILE),
        (fit_sentences, fit_sentences.OUTPUT),
    ],
    ids=["polarity", "pairing", "sentences"],
)
def test_the_saved_fit_is_what_its_script_fits(script, saved: Path, tmp_path: Path, capsys) -> None:
    written = tmp_path / saved.name
    assert script.main(["--output", str(written)]) == 0
    capsys.readouterr()  # the fit's own printout
    assert json.loads(written.read_text(encoding="utf-8")) == json.loads(saved.read_text(encoding="utf-8")), (
        f"{saved.relative_to(ROOT)} is not what `python -m {script.__name__}` fits now: refit it"
    )


def test_the_saved_floors_find_what_was_saved_beside_them() -> None:
    saved = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    recorded = {k: v for k, v in saved.items() if k.startswith("fitted_on")}
    assert fit_floors.described(fit_floors.fitting_sets(), Floors.load()) == recorded, (
        "the floors' fitting sets count otherwise now: run `python -m bench.quality.fit_floors`"
    )
