"""Invented references shared by the papers tests (the surnames are test data only)."""

NASLUND = {
    "authors": "Naslund, J. A., Aschbrenner, K. A., & Bartels, S. J.",
    "year": "2016",
    "title": "Peer support on invented platforms",
    "container": "Journal of Invented Studies",
    "volume": "25",
    "issue": "2",
    "pages": "113–122",
    "doi": "10.5555/jis.2016.25",
}
GAVRILA = {
    "authors": "Gavrila, V., Garrity, A., & Lee, J. M.",
    "year": "2019",
    "title": "A community that does not exist",
    "container": "Imaginary Health Review",
    "volume": "13",
}
NIELA_VILEN = {
    "authors": "Niela-Vilén, H., Axelin, A., & Melender, H.-L.",
    "year": "2014",
    "title": "Parents online, a made-up survey",
    "container": "Fictional Nursing Letters",
    "volume": "51",
}
MERCIECA = {
    "authors": "Mercieca, B., & Kelly, N.",
    "year": "2018",
    "title": "Teachers in private groups",
    "container": "Pretend Journal of Education",
    "volume": "46",
}
TAN = {"authors": "Tan, Y.", "year": "2021", "title": "A reference nobody cites"}

# For the APA 7 forms of check_citations: one author with several years, two authors, three,
# a group with lowercase words in its name, and a work without an author.
QUISPE_2017 = {"authors": "Quispe, M.", "year": "2017", "title": "Tides in six harbours"}
QUISPE_2020A = {"authors": "Quispe, M.", "year": "2020a", "title": "Harbour walls"}
QUISPE_2020B = {"authors": "Quispe, M.", "year": "2020b", "title": "Harbour gates"}
QUISPE_HALLORANN = {
    "authors": "Quispe, M., & Hallorann, D.",
    "year": "2018",
    "title": "Floods we did not expect",
}
FERREIRA_LUND = {
    "authors": "Ferreira-Lund, A., Mbeki, T., & Sato, K.",
    "year": "2019",
    "title": "Counting boats at dawn",
}
COASTAL = {
    "authors": "Northern Institute of Coastal Health",
    "year": "2020",
    "title": "Coastal health in numbers",
}
LANTERNS = {
    "authors": "Lanterns on the estuary.",
    "year": "2011",
    "title": "Lanterns on the estuary",
}
