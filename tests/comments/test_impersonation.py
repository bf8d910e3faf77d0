"""A guest may not post under a paper author's or a registered user's name, however it is
written: invisible characters, other spaces, look-alike letters of other scripts, fullwidth
or mathematical letters, accents, case, punctuation, titles, or the name inside a longer one.
Names are stored without invisible characters, a name of nothing else is refused, and a
name is shown without bidirectional controls wherever it was stored from.

Posts go through HTTP to the comment form (conftest.py's `post`); the matching itself is
common/names.py.
"""

import importlib
import unicodedata
from string import ascii_lowercase, ascii_uppercase

import pytest
from django.apps import apps
from django.utils.html import escape

from comments.models import Comment
from common import names
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

REFUSED = "Please log in to post as them."
EMPTY = "Please enter your name."


@pytest.fixture
def paper(open_moderation):
    """A paper by Farah Siddiqui, and the other people whose names are taken."""
    paper = make_paper(authors=[make_person("Farah Siddiqui")])
    for display_name in ("Oren Vale", "Tom Brown", "Emma Marsh", "Lily Hill", "Li Na"):
        make_person(display_name)
    make_user("jm", first_name="Jörg", last_name="Müller", email="jm@example.org")
    make_user("ana", email="ana@example.org")  # a one-word username, no full name
    make_user("iwu", first_name="Ian", last_name="Wu", email="iwu@example.org")
    make_user("hbecker", first_name="Hans", last_name="Becker", email="hb@example.org")
    return paper


def refused(response):
    return response.status_code == 400 and REFUSED in response.content.decode()


INVISIBLE = {
    "zero width space": "\u200b",
    "zero width non-joiner": "\u200c",
    "zero width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "left-to-right embedding": "\u202a",
    "right-to-left embedding": "\u202b",
    "pop directional formatting": "\u202c",
    "left-to-right override": "\u202d",
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "right-to-left isolate": "\u2067",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "arabic letter mark": "\u061c",
    "combining grapheme joiner": "\u034f",
    "variation selector 1": "\ufe00",
    "variation selector 16": "\ufe0f",
    "variation selector 17": "\U000e0100",
    "hangul choseong filler": "\u115f",
    "hangul jungseong filler": "\u1160",
    "hangul filler": "\u3164",
    "halfwidth hangul filler": "\uffa0",
    "mongolian vowel separator": "\u180e",
    "mongolian free variation selector": "\u180b",
    "invisible times": "\u2062",
    "language tag": "\U000e0001",
    "tag latin small letter a": "\U000e0061",
    "cancel tag": "\U000e007f",
    "interlinear annotation anchor": "\ufff9",
    "several": "\u200b\u202e\u2066\ufeff",
}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_inside_a_taken_name_are_refused(post, paper, char):
    assert refused(post(paper, name=f"Farah Sidd{char}iqui"))
    assert refused(post(paper, name=f"{char}Farah{char} Siddiqui{char}"))
    assert not Comment.objects.exists()


SPACES = {
    "no-break space": "\u00a0",
    "ideographic space": "\u3000",
    "en space": "\u2002",
    "em space": "\u2003",
    "thin space": "\u2009",
    "narrow no-break space": "\u202f",
    "medium mathematical space": "\u205f",
    "tab": "\t",
    "several spaces": "   ",
    "line separator": "\u2028",
    "braille blank": "\u2800",
}


LOOK_ALIKES = {
    "cyrillic a and dze": "F\u0430r\u0430h \u0405iddiqui",
    "cyrillic i": "Farah Siddiqu\u0456",
    "cyrillic capitals": "\u0422\u041e\u041c \u0412R\u041eWN",
    "greek alpha and omicron": "F\u03b1r\u03b1h Siddiqui",
    "greek capitals": "\u03a4\u039f\u039c \u0392R\u039fW\u039d",
    "greek capital eta": "\u0397ans Becker",
    "armenian oh": "T\u0585m Br\u0585wn",
    "cherokee capitals": "\u13bb\u13aaNS BECKER",
    "cherokee e and m": "\u13ac\u13b7\u13b7A MARSH",
    "capital I for l": "LiIy HiII",
    "digit 1 for l": "Li1y Hi11",
    "small l for capital I": "lan Wu",
    "digit 0 for O": "T0M BR0WN",
    "rn for m": "Ernrna Marsh",
    "dotless i": "Farah Sidd\u0131qu\u0131",
    "mixed with a title and zero width": "Dr. F\u0430rah Sidd\u200biqui, PhD",
}


STYLED = {
    "fullwidth": "\uff26\uff41\uff52\uff41\uff48 \uff33\uff49\uff44\uff44\uff49\uff51\uff55\uff49",
    "mathematical bold": "\U0001d405\U0001d41a\U0001d42b\U0001d41a\U0001d421 Siddiqui",
    "mathematical sans-serif": "Farah \U0001d5b2\U0001d5c2\U0001d5bd\U0001d5bd\U0001d5c2"
    "\U0001d5ca\U0001d5ce\U0001d5c2",
    "mathematical script": "\U0001d4d5arah Siddiqui",
    "circled": "\u24bb\u24d0\u24e1\u24d0\u24d7 Siddiqui",
}


ACCENTS_AND_CASE = [
    "Jorg Muller",
    "JORG MULLER",
    "jörg müller",
    "Jo\u0308rg Mu\u0308ller",  # decomposed
    "Joerg Mueller",
    "Jörg Mueller",
    "Fàrah Siddíqui",
    "Fa\u0323rah Siddiqui\u0301",
    "FARAH SIDDIQUI",
    "farah siddiqui",
    "fArAh sIdDiQuI",
]


PUNCTUATION = [
    "Farah.Siddiqui",
    "FarahSiddiqui",
    "Farah - Siddiqui",
    "farah_siddiqui",
    "“Farah Siddiqui”",
    "Farah Siddiqui!!!",
    "Siddiqui, Farah",
    "F-a-r-a-h Siddiqui",
]


TITLES = [
    "Dr Farah Siddiqui",
    "Dr. Farah Siddiqui",
    "DR. FARAH SIDDIQUI",
    "Prof Farah Siddiqui",
    "Professor Farah Siddiqui",
    "Prof. Dr. Farah Siddiqui",
    "Dr. med. Farah Siddiqui",
    "Dr. rer. nat. Farah Siddiqui",
    "Mr Farah Siddiqui",
    "Mrs. Farah Siddiqui",
    "Ms Farah Siddiqui",
    "Mx. Farah Siddiqui",
    "Sir Farah Siddiqui",
    "Dame Farah Siddiqui",
    "Rev. Farah Siddiqui",
    "Farah Siddiqui PhD",
    "Farah Siddiqui, Ph.D.",
    "Farah Siddiqui MD",
    "Farah Siddiqui, M.Sc.",
    "Farah Siddiqui Jr.",
    "Dr Ana",
    "Ana, PhD",
    "Dr Jorg Muller",
]


INSIDE_A_LONGER_NAME = [
    "Dr Farah Siddiqui (author)",
    "Farah Siddiqui (the author)",
    "The real Farah Siddiqui",
    "Dr FarahSiddiqui (author)",
    "Farah Siddiqui, speaking for herself",
    "Tom Brown Jr. the Second",
]

ONE_WORD_USERNAME = ["Ana", "ANA", "ana.", "\u0410na", "A\u200bna"]


def _written_otherwise(kind, names):
    """pytest params for names (a dict's keys, or a list's names, label them), each with an
    id that says which way of writing a taken name it tries."""
    labelled = names.items() if isinstance(names, dict) else zip(names, names, strict=True)
    return [pytest.param(name, id=f"{kind}: {label}") for label, name in labelled]


TAKEN_NAMES_WRITTEN_OTHERWISE = [
    *_written_otherwise(
        "other spaces between the words",
        {label: f"Farah{space}Siddiqui" for label, space in SPACES.items()},
    ),
    *_written_otherwise("look-alike letters of other scripts", LOOK_ALIKES),
    *_written_otherwise("fullwidth and mathematical letters", STYLED),
    *_written_otherwise("accents and case", ACCENTS_AND_CASE),
    *_written_otherwise("punctuation and spacing", PUNCTUATION),
    *_written_otherwise("titles before or after", TITLES),
    *_written_otherwise("inside a longer name of several words", INSIDE_A_LONGER_NAME),
    *_written_otherwise("a one-word username as the whole name", ONE_WORD_USERNAME),
]


@pytest.mark.parametrize("name", TAKEN_NAMES_WRITTEN_OTHERWISE)
def test_a_taken_name_written_otherwise_is_refused(post, paper, name):
    assert refused(post(paper, name=name))


ALLOWED = {
    "same surname": "Omar Siddiqui",
    "same given name": "Farah Khan",
    "given name alone": "Farah",
    "surname alone": "Siddiqui",
    "one-word username among other words": "Ana Lopez",
    "one-word username as a middle name": "Maria Ana Castillo",
    "one-word username inside a double name": "Ana-Sofia Reyes",
    "capital L is not capital I": "Lan Wu",
    "different given name with the user's surname": "Ivan Wu",
    "a name that only begins like a taken one": "Oren Valentine",
    "longer surname": "Emma Marshall",
    "different given name with an umlaut surname": "Jörg Schmidt",
    "near a taken name": "Jorge Muller",
    "a one-word name run into a longer word": "Lina Smith",
    "taken name as the end of a word": "Tom Browning",
    "russian transliteration": "Фарах Сиддики",
    "greek": "Σοφία Παππά",
    "chinese": "李娜",
    "persian": "فرح صدیقی",
    "hindi": "फ़राह सिद्दीक़ी",
    "title before another name": "Dr Who",
}


@pytest.mark.parametrize("name", ALLOWED.values(), ids=ALLOWED.keys())
def test_other_people_may_post_under_their_own_names(post, paper, name):
    response = post(paper, name=name)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Comment.objects.get().name == name


# A table of cases for one parametrized test, as ALLOWED above is: the same shape, with other
# names and other checks (refused, kept in the form), not copied code.
EMPTY_NAMES = {
    "zero width space": "\u200b",
    "joiners": "\u200b\u200c\u200d\u2060",
    "right-to-left override": "\u202e",
    "hangul filler": "\u3164",
    "hangul fillers": "\u115f\u1160\uffa0",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "tags": "\U000e0041\U000e0042",
    "variation selectors": "\ufe0f\U000e0100",
    "braille blank": "\u2800",
    "invisible and spaces": "\u200b \u00a0 \u2060",
    "punctuation only": "--- . ---",
    "a combining accent alone": "\u0301",
}


@pytest.mark.parametrize("name", EMPTY_NAMES.values(), ids=EMPTY_NAMES.keys())
def test_a_name_of_nothing_visible_is_refused_and_kept_in_the_form(post, paper, name):
    response = post(paper, name=name)
    html = response.content.decode()
    assert response.status_code == 400
    assert EMPTY in html
    assert f'name="name" value="{escape(name)}"' in html
    assert not Comment.objects.exists()


def test_a_name_of_spaces_only_is_refused(post, paper):
    response = post(paper, name="\u00a0\u3000\u2003")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_name_is_stored_without_invisible_characters_and_spaces_made_single(page, post, paper):
    assert post(paper, name="\u202eRosa\u200b\u00a0 Quin\u2066tero\ufeff").status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "Rosa Quintero"
    html = page(paper)
    assert "Comment by Rosa Quintero" in html
    assert not any(char in html for char in "\u202e\u200b\u2066\ufeff")


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_a_stored_name_with_a_right_to_left_override_is_shown_without_it(page, paper):
    """Stored as it came (an import, a signed-in user's own name): shown without it."""
    comment = make_comment(paper, name="Nadia redaeR")
    Comment.objects.filter(pk=comment.pk).update(name="Nadia \u202eredaeR")
    html = page(paper)
    assert "Comment by Nadia redaeR" in html
    assert 'data-author="Nadia redaeR"' in html
    assert not any(char in html for char in BIDI)


def test_the_migration_cleans_names_stored_before(page, paper):
    shown = make_comment(paper, name="Nadia Reader")
    blank = make_comment(paper, name="Someone")
    untouched = make_comment(paper, name="Plain Name")
    # As stored before names were cleaned.
    Comment.objects.filter(pk=shown.pk).update(name="Nadia \u202eRe\u200bader\u2069")
    Comment.objects.filter(pk=blank.pk).update(name="\u202e\u200b")

    migration = importlib.import_module(
        "comments.migrations.0005_names_without_invisible_characters"
    )
    migration.clean_stored_names(apps, None)

    shown.refresh_from_db()
    blank.refresh_from_db()
    assert shown.name == "Nadia Reader"
    assert blank.name == names.NO_NAME
    assert Comment.objects.get(pk=untouched.pk).name == "Plain Name"
    html = page(paper)
    assert "Comment by Nadia Reader" in html
    assert f"Comment by {names.NO_NAME}" in html
    assert not any(char in html for char in BIDI + "\u200b")


# --- common/names.py on its own ------------------------------------------------------------


def test_every_format_character_and_the_listed_default_ignorables_are_invisible():
    format_characters = [
        chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"
    ]
    assert format_characters
    assert names.strip_invisible("".join(format_characters)) == ""
    default_ignorable = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e"
    default_ignorable += "\u180f\u200b\u200f\u202a\u202e\u2060\u2064\u2065\u2066\u206f\u3164"
    default_ignorable += "\ufe00\ufe0f\ufeff\uffa0\ufff0\ufff8\U0001bca0\U0001d173"
    default_ignorable += "\U000e0000\U000e0001\U000e007f\U000e0100\U000e01ef\U000e0fff"
    assert names.strip_invisible(default_ignorable) == ""
    assert names.strip_invisible("a\x00b\x1bc\x7fd\x9fe") == "abcde"
    assert names.clean_name(" Ana\t\u00a0Lopez\n") == "Ana Lopez"


def test_the_invisible_pattern_works_in_the_database(paper):
    make_comment(paper, name="Plain")
    odd = make_comment(paper, name="Odd")
    Comment.objects.filter(pk=odd.pk).update(name="Odd\U000e0041")  # stored before cleaning
    pattern = names.invisible_pattern(start=1)
    assert list(Comment.objects.filter(name__regex=pattern)) == [odd]


def test_display_name_removes_bidirectional_controls():
    assert names.display_name(f"Ab{BIDI}c") == "Abc"


def test_letters_a_to_z_stay_apart_but_for_genuine_confusables():
    identity = {c: "".join(names.identity_words(c)) for c in ascii_lowercase}
    assert len(set(identity.values())) == 26
    assert identity["m"] == "rn"
    assert {c: "".join(names.identity_words(c)) for c in "01"} == {"0": "o", "1": "l"}
    look = {c: "".join(names.look_words(c)) for c in ascii_lowercase + ascii_uppercase}
    merged = {c: key for c, key in look.items() if key != c}
    assert merged == {"m": "rn", "I": "l"}
    assert len(set(look.values())) == 51
    assert {c: "".join(names.look_words(c)) for c in "01"} == {"0": "O", "1": "l"}


def test_the_skeleton_follows_uts_39():
    assert names.skeleton("\u0430") == "a"  # Cyrillic a
    assert names.skeleton("m") == "rn"
    assert names.skeleton("\u0405") == "S"  # Cyrillic DZE
    assert names.skeleton("\u0627") == "l"  # Arabic alef (wrapped in LRM marks in the data)
    assert names.skeleton("\u00f6") == "o\u0308"  # NFD, the mark kept: the skeleton is UTS's
    assert names.skeleton(names.skeleton("Farah \u0405iddiqui")) == names.skeleton("Farah Siddiqui")


COMMON_NAMES = [
    "Anna",
    "Anne",
    "Ann",
    "Ana",
    "Hanna",
    "Hannah",
    "Jon",
    "John",
    "Joan",
    "Joanne",
    "Mila",
    "Milan",
    "Mina",
    "Nina",
    "Lina",
    "Lena",
    "Leo",
    "Lea",
    "Ian",
    "Ivan",
    "Iris",
    "Ines",
    "Oliver",
    "Olivia",
    "Liam",
    "Lia",
    "Elia",
    "Ella",
    "Ellie",
    "Emma",
    "Emily",
    "Erin",
    "Ezra",
    "Mark",
    "Marc",
    "Marco",
    "Mario",
    "Maria",
    "Marie",
    "Mary",
    "Omar",
    "Amar",
    "Amir",
    "Samir",
    "Sami",
    "Sam",
    "Cam",
    "Carl",
    "Karl",
    "Clara",
    "Klara",
    "Dan",
    "Don",
    "Dean",
    "Lee",
    "Li",
    "Lu",
    "Luo",
    "Lin",
    "Ling",
    "Wu",
    "Xu",
    "Kim",
    "Tim",
    "Tom",
    "Tomas",
    "Thomas",
    "Nadia",
    "Nadja",
    "Adam",
    "Aden",
    "Eden",
    "Olga",
    "Oleg",
    "Yuri",
    "Yuki",
    "Aiko",
    "Akira",
    "Ali",
    "Aly",
    "Eli",
    "Ely",
    "Sara",
    "Sarah",
    "Zara",
    "Noor",
    "Nur",
    "Omer",
    "Emre",
    "Murat",
    "Mehmet",
    "Meltem",
    "Maryam",
    "Miriam",
    "Fatima",
    "Fatma",
    "Farah",
    "Fara",
    "Hans",
    "Jens",
    "Jonas",
    "Lukas",
    "Lucas",
    "Luca",
    "Luka",
]


def test_ordinary_different_names_do_not_collide():
    keys = {}
    for name in COMMON_NAMES:
        keys.setdefault(names.identity_words(name), []).append(name)
    assert [group for group in keys.values() if len(group) > 1] == []
    index = names.NameIndex(["Farah Siddiqui", "Ian Wu", "ana"])
    assert not any(index.taken(f"{name} Lopez") for name in COMMON_NAMES)
