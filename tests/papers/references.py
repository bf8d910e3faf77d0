"""Invented references shared by the papers tests (the surnames are test data only)."""

NASLUND = {
    "authors": "Naslund, J. A., & Bartels, S. J.",
    "year": "2016",
    "title": "Peer support on invented platforms",
    "container": "Journal of Invented Studies",
    "volume": "25",
}
TAN = {"authors": "Tan, Y.", "year": "2021", "title": "A reference nobody cites"}
