"""Signed, timestamped tokens: one in each comment form, one in each unsubscribe link.

The form token says when the form was issued to this visitor (so a form posted long after,
or faster than a person types, can be told apart; the page cache gives every visitor a token
of their own) and posts one comment: a double submit leads to that comment. No state is kept
in the process.
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing

FORM_TOKEN_SALT = "colloquy.comments.form"
FORM_TOKEN_MAX_AGE = 60 * 60 * 24  # a day to write a comment
UNSUBSCRIBE_SALT = "colloquy.comments.unsubscribe"


def new_form_token():
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(secrets.token_hex(8))


def form_token_age(token):
    """Seconds since the form was issued, or None for a forged or expired token."""
    try:
        signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(token, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return time.time() - signing.b62_decode(token.rsplit(":", 2)[1])


def check_form_token(token):
    return form_token_age(token) is not None


def client_key(address):
    """A keyed hash of the client address: comparable for flood checks, not reversible."""
    secret = settings.COLLOQUY_CLIENT_KEY_SECRET.encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest() if address else ""


def form_key(token):
    """What a comment remembers of the form that posted it: one form posts one comment."""
    return hashlib.sha256(token.encode()).hexdigest()


def unsubscribe_token(comment):
    return signing.dumps({"c": comment.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token, *, max_age):
    """The comment id in a valid unsubscribe token, or None."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
