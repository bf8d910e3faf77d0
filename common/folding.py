"""Text compared as a reader types it, without case or accents: "Jörg Ødegård" is "jorg
odegard". Citations match names and titles this way, and search matches words."""

import unicodedata

# Letters that carry no combining mark to drop, written as a reader would type them.
LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"}
)


def fold(text):
    """Lower case without accents: "Jörg Ødegård" → "jorg odegard"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
