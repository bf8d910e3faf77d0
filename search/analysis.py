"""How text becomes search terms, the same for what is indexed, what is asked and what is
highlighted, on every database.

A word is folded (case and accents dropped: "Jörg" and "jorg" are one word) and stemmed
(Snowball's English stemmer: "peers" and "peer" are one word). The databases index the
terms this module makes, written out as words separated by spaces, and match them as they
are (PostgreSQL's "simple" configuration, SQLite FTS5's unicode61 tokenizer): neither
stems, folds or drops a word of its own, so both find the same things. Very common words
are left out of the index and of queries: they tell nothing apart and would make every
query about them read the whole index.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from common.folding import fold

WORD = re.compile(r"\w+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves""".split()  # noqa: SIM905 (a list of 127 words is read, not edited)
)

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def term(word):
    """The term one word is indexed and asked as ("" for a word too common to tell)."""
    folded = fold(word)
    if folded in STOPWORDS:
        return ""
    return _stemmer.stemWord(folded)


def terms(text):
    """The terms of a text in order, e-mail addresses left out."""
    found = (term(word) for word in WORD.findall(EMAIL.sub(" ", text)))
    return [t for t in found if t]


def indexed(text):
    """The text as the databases index it: its terms, separated by spaces."""
    return " ".join(terms(text))


@dataclass(frozen=True)
class Query:
    """What a reader asked for: phrases (tuples of terms; a single word is a phrase of one)
    that must all be there, and phrases that must not be."""

    wanted: tuple = ()
    excluded: tuple = ()
    ignored: tuple = field(default=(), compare=False)  # too common to search for: the page says so

    def __bool__(self):
        return bool(self.wanted)

    @property
    def highlighted(self):
        """Every term a result's snippet marks."""
        return frozenset(t for phrase in self.wanted for t in phrase)


QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def parse_query(text):
    """Read a query: words, "phrases in quotes", and -word or -"phrase" to leave out."""
    wanted, excluded, ignored = [], [], []
    for match in QUERY_PART.finditer(text):
        minus = match.group(1) or match.group(3)
        words = match.group(2) if match.group(2) is not None else match.group(4)
        phrase = tuple(terms(words))
        if not phrase:
            for word in WORD.findall(words):
                if word.casefold() not in {seen.casefold() for seen in ignored}:
                    ignored.append(word)
            continue
        target = excluded if minus else wanted
        if phrase not in target:
            target.append(phrase)
    return Query(tuple(wanted), tuple(excluded), tuple(ignored))
