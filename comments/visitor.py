"""What the comments app remembers about a visitor between requests.

Held comments are remembered in the session (so only their poster sees them); name, e-mail
and website only in cookies, and only when the poster ticked "Save my name...".
"""

from urllib.parse import quote, unquote

from django.conf import settings

from .selectors import Viewer
from .tokens import client_key

HELD_SESSION_KEY = "colloquy_held_comments"
REMEMBER_COOKIES = {
    "name": "comment_author",
    "email": "comment_author_email",
    "website": "comment_author_url",
}
REMEMBER_MAX_AGE = 60 * 60 * 24 * 365


def held_comment_ids(request):
    session = getattr(request, "session", None)
    return session.get(HELD_SESSION_KEY, []) if session is not None else []


def client_address(request):
    """The visitor's network address: behind COLLOQUY_TRUSTED_PROXIES reverse proxies, the one
    the outermost of them saw (X-Forwarded-For, counted from the right, since a client can
    put anything at its left); otherwise the address that connected."""
    proxies = settings.COLLOQUY_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key_of(request):
    """The keyed hash of the visitor's address: what rates and flood checks count by."""
    return client_key(client_address(request))


def viewer(request):
    """Who is looking at a discussion: their held comments, and whether they moderate.

    Moderators work in the admin, so they are staff: a reader who is not is asked nothing
    more (asking would read their permissions: two queries on every page they read).
    """
    user = request.user
    return Viewer(
        own_held_ids=tuple(held_comment_ids(request)),
        moderator=user.is_staff and user.has_perm("comments.change_comment"),
    )


def remember_held_comment(request, comment):
    held = held_comment_ids(request)
    request.session[HELD_SESSION_KEY] = [*held, comment.pk][-50:]


def remembered_details(request):
    """Initial values for the guest form from the remember-me cookies, if any."""
    found = {
        field: unquote(request.COOKIES[cookie])
        for field, cookie in REMEMBER_COOKIES.items()
        if request.COOKIES.get(cookie)
    }
    if found:
        found["remember"] = True
    return found


def update_remembered_details(request, response, *, remember, details):
    """Set the cookies when remember is ticked; otherwise delete any there are."""
    for field, cookie in REMEMBER_COOKIES.items():
        if remember and details.get(field):
            response.set_cookie(
                cookie,
                quote(details[field]),
                max_age=REMEMBER_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        elif cookie in request.COOKIES:
            response.delete_cookie(cookie, samesite="Lax")
