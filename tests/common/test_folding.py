"""common.folding.fold: what citations and search compare, as a reader would type it."""

import pytest

from common.folding import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Jörg", "jorg"),
        ("Ødegård", "odegard"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("Æsir Œuvre", "aesir oeuvre"),
        ("ﬁne", "fine"),  # a ligature
        ("İstanbul", "istanbul"),
        ("Niela-Vilén", "niela-vilen"),
        ("NIELA-VILEN", "niela-vilen"),
    ],
)
def test_fold_drops_case_and_accents(text, folded):
    assert fold(text) == folded
