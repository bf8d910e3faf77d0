"""People's names as text: what is stored, what is shown, and when two names read as one.

Used by both apps (papers never imports comments):

- strip_invisible(text): without invisible and formatting characters (below).
- clean_name(text): a typed name as it is stored: no invisible characters, one space between
  words, NFC. has_letters(name) tells whether anything readable is left.
- display_name(name): a stored name made safe to show: the same characters removed, so that
  a name stored before this cleaning (or set elsewhere) cannot reverse or hide the text after
  it. Cheap enough for every comment of a long page.
- skeleton(text): the confusable skeleton of Unicode Technical Standard #39.
- NameIndex: names reserved for registered people, and whether a typed name reads as one of
  them (see "Matching" below).

Invisible characters: every default-ignorable code point (DerivedCoreProperties.txt:
Default_Ignorable_Code_Point: ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen, bidirectional controls,
LRM/RLM/ALM, CGJ, variation selectors, Hangul fillers, Mongolian vowel separator, tag
characters and the reserved rest of their block), every format character (category Cf, also
the few visible ones such as U+0600, which have no place in a name) and the control characters
that are not white space. tests/comments/test_impersonation.py checks the ranges against the
unicodedata of the running Python. Removing ZWNJ and ZWJ loses the joining choice they make in
some Persian or Indic spellings; the letters, and so the name, stay the same.

The skeleton (UTS #39, section 4): NFD, every character replaced by its prototype, NFD again.
The prototypes come from confusable-homoglyphs' copy of Unicode's confusables.txt
(confusable_homoglyphs/confusables.json), read once when first needed. In that file a source
character lists its prototype and a prototype lists all its sources; single-character
relations are symmetric, so they are joined into classes (union-find), each class written as
its prototype: the member that lists all the others (for classes of two, which hold no
information about direction, the ASCII letter or else the lower code point). A character
whose prototype is several characters ("m" -> "rn") maps to that string. The resulting classes
keep a..z apart except for the genuine confusables: "l" with "1", "I" and "|"; "O" with "0";
"m" with "rn" (checked by the tests): "Milan" and "Mila" stay different names, "Ernma" and
"Emma" do not.

Matching: two keys are made from a name, both after removing invisible characters and NFKC
(fullwidth and mathematical letters become plain letters), with accents and other combining
marks of nonzero combining class dropped before and after the skeleton ("Jörg Müller" reads
as "Jorg Muller"; "ø", "ł" and "đ" too, through their prototypes "o̸", "l̵", "d̵"; viramas
stay, as they make Indic conjuncts), and cut into words at anything that is not a letter,
digit or mark:

- the identity key ignores case: casefold, skeleton, casefold again, until nothing changes
  (so "J0HN" gives "john": the prototype of "0" is "O");
- the look key keeps case, because some letters are confusable only in one case ("I" and
  "l", Greek capital eta and "H", Cyrillic capital ve and "B", whose small letters look
  different). A
  reserved name gives look keys for its stored, upper, lower and title-case spelling.

Leading titles (Dr, Prof., Mrs, "Dr. med.", ...) and trailing ones (PhD, Ph.D., MD, Jr., ...)
are set aside while at least one word remains. A typed name is taken when, in one of the two
keys, after titles are set aside:

- it is the reserved name, spaces and punctuation aside ("FarahSiddiqui", "Farah.Siddiqui";
  so "Lina" for "Li Na" too), also with German umlauts and Nordic letters written out
  ("Joerg Mueller");
- it has the same words in another order ("Siddiqui, Farah"), for reserved names of two or
  more words;
- some of its consecutive words are a reserved name of two or more words ("Dr Farah Siddiqui
  (author)"), or, for such names of at least JOINED_MIN letters, run together or split
  differently ("Dr FarahSiddiqui (author)").

A one-word reserved name (a username such as "ana") is taken only by the whole typed name
(titles aside): "Ana Lopez" may post. A different given name with the same surname ("Omar
Siddiqui") is a different name; so is "Lan Wu" beside "Ian Wu" (but "lan Wu" is not).

Cost: a name's signatures take some 50 to 150 microseconds to make and are cached by name
(LRU), so the index of a few thousand people is made in well under a second once per process,
and again in milliseconds when a name changes; name_index keeps the index while the tuple of
names it is given stays the same. Looking a typed name up is some tens of microseconds.
"""

import functools
import json
import re
import unicodedata
from pathlib import Path

import confusable_homoglyphs

# Code point ranges removed from names: see the module's docstring.
INVISIBLE_RANGES = (
    (0x0000, 0x0008),
    (0x000E, 0x001F),
    (0x007F, 0x0084),
    (0x0086, 0x009F),
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def _escaped(code):
    # \u with four digits and \U with eight mean the same to both engines (PostgreSQL's \x
    # would take every hexadecimal digit that follows).
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def invisible_pattern(*, start=0):
    """A regular expression class of the invisible characters, written with escapes only.

    Python's re and PostgreSQL's regular expressions read it alike; start=1 leaves out NUL,
    which a PostgreSQL text value cannot hold (for filters in the database).
    """
    parts = []
    for low, high in INVISIBLE_RANGES:
        low = max(low, start)
        if low <= high:
            parts.append(_escaped(low) if low == high else f"{_escaped(low)}-{_escaped(high)}")
    return "[" + "".join(parts) + "]"


_INVISIBLE = re.compile(invisible_pattern())


def strip_invisible(text):
    return _INVISIBLE.sub("", text)


def clean_name(text):
    """A typed name as stored: no invisible characters, single spaces, NFC."""
    return unicodedata.normalize("NFC", " ".join(strip_invisible(text).split()))


def display_name(name):
    """A stored name as shown: without invisible characters, bidirectional controls above all."""
    return _INVISIBLE.sub("", name)


# What a stored name that was nothing but invisible characters is shown as (as WordPress does).
NO_NAME = "Anonymous"

# Written in lower case before a family name, and part of it: "Ludwig van Beethoven" is
# "van Beethoven, L." in APA, and "(van den Berg, 2020)" is cited with them.
PARTICLES = frozenset({
    "al", "bin", "d'", "da", "das", "de", "del", "della", "den", "der", "des", "di", "dos", "du",
    "el", "la", "las", "le", "les", "los", "st.", "ten", "ter", "van", "von", "zu",
})  # fmt: skip


def name_as_shown(value):
    """What templates show of a stored name: display_name, or NO_NAME for a name of nothing
    but invisible characters; an empty one stays empty (so a default can follow)."""
    return (display_name(str(value)) or NO_NAME) if value else ""


def has_letters(name):
    """Whether a name has something to read: a letter or a digit of any script."""
    return any(unicodedata.category(c)[0] in "LN" for c in name)


# --- the skeleton ---------------------------------------------------------------------------

_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


@functools.cache
def _prototypes():
    """str.translate table: code point -> its prototype (UTS #39), from the package's data."""
    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    parent, listed, multi = {}, {}, {}

    def find(char):
        parent.setdefault(char, char)
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    for key, entries in data.items():
        # The file wraps right-to-left characters in LRM marks for display; they are no part
        # of the character.
        key = key.translate(_DIRECTION_MARKS)
        for entry in entries:
            other = entry["c"].translate(_DIRECTION_MARKS)
            if len(key) == 1 and len(other) == 1:
                listed[key] = listed.get(key, 0) + 1
                a, b = find(key), find(other)
                if a != b:
                    parent[a] = b
            elif len(key) == 1:
                multi[key] = other  # a source and its prototype of several characters
            elif len(other) == 1:
                multi[other] = key  # a prototype of several characters and one of its sources
    classes = {}
    for char in parent:
        classes.setdefault(find(char), []).append(char)
    table = {ord(char): prototype for char, prototype in multi.items()}
    for members in classes.values():
        prototype = min(
            members,
            key=lambda c: (-listed.get(c, 0), not (c.isascii() and c.isalpha()), ord(c)),
        )
        for char in members:
            if char != prototype:
                table[ord(char)] = prototype
    return table


@functools.cache
def _ascii_prototypes():
    return {code: prototype for code, prototype in _prototypes().items() if code < 128}


def skeleton(text):
    """UTS #39 skeleton: NFD, each character to its prototype, NFD."""
    if text.isascii():  # NFD changes nothing; few prototypes to look up
        mapped = text.translate(_ascii_prototypes())
        return mapped if mapped.isascii() else unicodedata.normalize("NFD", mapped)
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", nfd.translate(_prototypes()))


def _unmarked(text):
    """NFD text without its combining marks (accents, dots, strokes): those of nonzero
    combining class but the viramas (class 9), which make Indic conjuncts."""
    if text.isascii():
        return text
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c) in (0, 9)
    )


def _settle(text, step):
    for _ in range(6):
        settled = step(text)
        if settled == text:
            break
        text = settled
    return text


def _identity_step(text):
    folded = unicodedata.normalize("NFKC", text.casefold())
    return _unmarked(skeleton(_unmarked(folded))).casefold()


def _look_step(text):
    return _unmarked(skeleton(_unmarked(text)))


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _words(text):
    """The runs of letters, digits and marks (of any script) in the text."""
    if text.isascii():
        return tuple(_ASCII_WORD.findall(text))
    words, current = [], []
    for char in text:
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return tuple(words)


@functools.lru_cache(maxsize=65536)
def identity_words(name):
    """The name's words without case, accents, invisible characters or confusables."""
    text = unicodedata.normalize("NFKC", strip_invisible(name))
    return _words(_settle(text, _identity_step))


@functools.lru_cache(maxsize=65536)
def look_words(name):
    """The name's words as they look: like identity_words, but case kept."""
    text = unicodedata.normalize("NFKC", strip_invisible(name))
    return _words(_settle(text, _look_step))


# --- titles ---------------------------------------------------------------------------------

PREFIX_TITLES = [
    "Dr",
    "Dra",
    "Doctor",
    "Prof",
    "Profa",
    "Professor",
    "Assoc",
    "Asst",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Rev",
    "Revd",
    "Reverend",
    "Fr",
    "Father",
    "Herr",
    "Frau",
    "Mme",
    "Mlle",
    "Madame",
    "Monsieur",
    "Sr",
    "Sra",
    "Srta",
]
DOCTORS = ["Dr", "Dra", "Doctor", "Prof", "Profa", "Professor"]
# After a Dr or Prof: "Dr. med.", "Dr. rer. nat.", "Dr.-Ing.", "Dr. h.c.".
DOCTORAL_QUALIFIERS = [
    "med",
    "dent",
    "vet",
    "rer",
    "nat",
    "phil",
    "jur",
    "habil",
    "h",
    "c",
    "hc",
    "ing",
    "oec",
    "pol",
    "soc",
    "theol",
    "sc",
    "techn",
]
# "Ph.D." and "M.Sc." are two words each; they are compared run together.
SUFFIX_TITLES = [
    "PhD",
    "DPhil",
    "MD",
    "MSc",
    "MPhil",
    "MBA",
    "JD",
    "LLM",
    "EdD",
    "DDS",
    "DVM",
    "Jr",
    "Junior",
    "Sr",
    "Senior",
    "II",
    "III",
    "IV",
    "Esq",
    "FRS",
    "OBE",
    "MBE",
    "CBE",
    "KBE",
    "DBE",
    "Emeritus",
]
# Left out on purpose, being also names or initials: Ma, Ba, Md (Mohammad), Don, Hon, M.


@functools.cache
def _title_keys():
    def keys(titles):
        return frozenset("".join(identity_words(title)) for title in titles)

    return keys(PREFIX_TITLES), keys(DOCTORS), keys(DOCTORAL_QUALIFIERS), keys(SUFFIX_TITLES)


def _title_span(words):
    """(start, end): where a name's identity words are, between its titles; never empty."""
    prefixes, doctors, qualifiers, suffixes = _title_keys()
    start, end, doctor = 0, len(words), False
    while end - start > 1 and (words[start] in prefixes or (doctor and words[start] in qualifiers)):
        doctor = doctor or words[start] in doctors
        start += 1
    trimmed = True
    while trimmed and end - start > 1:
        trimmed = False
        for size in (1, 2, 3):
            if size < end - start and "".join(words[end - size : end]) in suffixes:
                end -= size
                trimmed = True
                break
    return start, end


def without_titles(words):
    """A name's identity words without the titles before and after it."""
    start, end = _title_span(words)
    return words[start:end]


def _look_without_titles(looks, identities):
    """A name's look words without its titles, found from its identity words."""
    if len(looks) != len(identities):  # not seen in practice; each word on its own then
        identities = tuple("".join(identity_words(word)) for word in looks)
    start, end = _title_span(identities)
    return looks[start:end]


# --- reserved names -------------------------------------------------------------------------

JOINED_MIN = 8
_WRITTEN_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ø": "oe", "Ø": "Oe"}
    | {"æ": "ae", "Æ": "Ae", "å": "aa", "Å": "Aa"}
)


def _spellings(name):
    """The name, and if it has umlauts or Nordic letters, the name with them written out."""
    name = unicodedata.normalize("NFC", name)
    written_out = name.translate(_WRITTEN_OUT)
    return (name, written_out) if written_out != name else (name,)


def _signature(kind, family, value):
    """One thing a name is recognised by, as a string (whose hash Python keeps)."""
    return f"{kind}\t{family}\t{value if isinstance(value, str) else ' '.join(value)}"


@functools.lru_cache(maxsize=32768)
def _signatures(name):
    """What a reserved name is recognised by (see _signature)."""
    identities = identity_words(name)
    variants = {
        "identity": {without_titles(identity_words(s)) for s in _spellings(name)},
        "look": {
            _look_without_titles(look_words(spelling), identities)
            for spelling in (name, name.upper(), name.lower(), name.title())
        },
    }
    found, longest_words, longest_joined = set(), 0, 0
    for family, spellings in variants.items():
        for words in spellings:
            if not words:
                continue
            joined = "".join(words)
            found.add(_signature("whole", family, joined))
            if len(words) > 1:
                found.add(_signature("same words", family, sorted(words)))
                found.add(_signature("words", family, words))
                longest_words = max(longest_words, len(words))
                if len(joined) >= JOINED_MIN:
                    found.add(_signature("joined", family, joined))
                    longest_joined = max(longest_joined, len(joined))
    return frozenset(found), longest_words, longest_joined


class NameIndex:
    """Reserved names, held as the signatures a typed name is looked up by."""

    def __init__(self, names):
        self.signatures = set()
        # How many words, and letters run together, a reserved name may be found in.
        self.longest_words = self.longest_joined = 0
        for name in names:
            if name and not name.isspace():
                found, longest_words, longest_joined = _signatures(name)
                self.signatures.update(found)
                self.longest_words = max(self.longest_words, longest_words)
                self.longest_joined = max(self.longest_joined, longest_joined)

    def _probes(self, family, words, core):
        yield _signature("whole", family, "".join(core))
        yield _signature("same words", family, sorted(core))
        for start in range(len(words)):
            joined = ""
            for end in range(start + 1, len(words) + 1):
                joined += words[end - 1]
                if len(joined) > self.longest_joined and end - start > self.longest_words:
                    break
                if end - start > 1:
                    yield _signature("words", family, words[start:end])
                yield _signature("joined", family, joined)

    def taken(self, typed):
        """Whether a typed name reads as one of the reserved names."""
        probes = set()
        for spelling in _spellings(typed):
            words = identity_words(spelling)
            probes.update(self._probes("identity", words, without_titles(words)))
        looks = look_words(typed)
        core = _look_without_titles(looks, identity_words(typed))
        probes.update(self._probes("look", looks, core))
        return not probes.isdisjoint(self.signatures)


@functools.lru_cache(maxsize=2)
def name_index(names):
    """The NameIndex of a tuple of names, kept while the same names are asked for."""
    return NameIndex(names)
