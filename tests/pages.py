"""Reading pages in tests: the comment form's token, which is each visitor's own."""

import re

FORM_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def form_token_of(html):
    return FORM_TOKEN.search(html)[1]


def without_form_token(html):
    """The page as every visitor gets it: all but the form's token is the same for all."""
    return FORM_TOKEN.sub("", html)
