"""Pathological Markdown: inputs that make naive renderers slow or crash, at the longest a
comment may be. Used by tests/common/test_markup_hostile.py (a bound on the work, and no error) and by
the benchmark (the worst time, reported).
"""

LENGTH = 10_000  # COLLOQUY_COMMENT_MAX_LENGTH's default

# Every character Markdown gives a meaning to, and the openings that pair up later.
METACHARACTERS = "[]()!<>*_`~#-+=|\\&:;\"'{}.^$@/"
OPENINGS = [
    "![",
    "[](",
    "](",
    "[a](",
    "[a][",
    "<a",
    "</",
    "<!--",
    "<![CDATA[",
    "<?",
    "**_",
    "*a",
    "_a_",
    "`` `",
    "&#",
    "&#x",
    "&amp;",
    "http://",
    "a://",
    "x http://a.b/",
    "www.",
    "https://a.b/(",
    "\\[",
    "[^",
    "[x]: ",
    "a@b.",
    "<http://",
]
# Block prefixes nested as deep as the length allows.
BLOCK_PREFIXES = ["- ", "* ", "+ ", "> ", "1. ", "1) ", "- > ", "> - ", "> 1. ", "    ", "\t"]


def _repeat(piece, length=LENGTH):
    return (piece * (length // len(piece) + 1))[:length]


def corpus():
    """{name: text}, each text at most LENGTH characters."""
    cases = {f"run of {c!r}": _repeat(c) for c in METACHARACTERS}
    cases |= {f"run of {s!r}": _repeat(s) for s in OPENINGS}
    cases |= {f"{p!r} nested": _repeat(p, LENGTH - 1) + "x" for p in BLOCK_PREFIXES}
    cases |= {
        "list indented a level a line": "\n".join("  " * i + "- x" for i in range(95)),
        "quotes a level a line": "\n".join("> " * i + "x" for i in range(95)),
        "fences opened, never closed": _repeat("```\n"),
        "one long line": _repeat("word "),
        "one long word": "x" * LENGTH,
        "many links": _repeat("[l](https://example.org/) "),
        "many bare addresses": _repeat("https://example.org/a_(b) "),
        "many reference definitions": _repeat("[r]: https://example.org/\n"),
        "many references used": _repeat("[r] ", LENGTH - 30) + "\n\n[r]: https://e.org/",
        "emphasis mixed": _repeat("*a **b _c __d "),
        "emphasis closed late": _repeat("*", LENGTH - 2) + "a*",
        "table header only": _repeat("|a", LENGTH // 2) + "\n" + _repeat("|-", LENGTH // 2 - 2),
        "entities": _repeat("&#1234567; &nbsp; &unknown; "),
        "backslashes before everything": _repeat("\\*\\_\\[\\]\\(\\)"),
        "html comment opened": "<!--" + _repeat("-", LENGTH - 4),
        "lines of spaces": _repeat(" \n"),
        "setext underlines": _repeat("a\n=\n"),
        "image in link in image": _repeat("[![a](b)](c)"),
    }
    return cases
