"""A person's data, on their request: everything held about them as one JSON document, and
its erasure (what WordPress's Export and Erase Personal Data tools do, here for the person
themselves as well as for staff).

A person is an e-mail address (a guest's comments) and, when signed in, their account (its
comments, whatever address they had). Guests reach theirs through a link mailed to the
address (PersonalDataLink): asking for one says the same, and sends a message, whether or
not the address has comments here, so that nobody learns whose address is known.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.names import NO_NAME
from common.site import absolute_url
from common.tasks import enqueue_on_commit
from papers.models import Person

from .models import Comment, ModerationEvent, PersonalDataLink, normalize_email
from .notifications import AUTOMATIC, NotificationEmail
from .services import (
    POSTER_GONE,
    comment_remove,
    forget_in_admin_log,
    paper_discussion_changed,
)


def comments_of(*, email="", user=None):
    """The comments made under the address or by the account (placeholders hold nothing)."""
    whose = Q(pk__in=[])
    if email:
        whose |= Q(email=normalize_email(email))
    if user is not None:
        whose |= Q(user=user)
    comments = Comment.objects.filter(whose).exclude(status=Comment.Status.DELETED)
    return comments.select_related("paper__edition").order_by("submitted_at", "pk")


def _when(value):
    return value.isoformat() if value else None


def _comment(comment, earlier):
    return {
        "id": comment.pk,
        "url": absolute_url(comment.get_absolute_url()),
        "paper": {
            "title": comment.paper.title,
            "url": absolute_url(comment.paper.get_absolute_url()),
        },
        "status": comment.status,
        "submitted_at": _when(comment.submitted_at),
        "edited_at": _when(comment.edited_at),
        "name": comment.name,
        "email": comment.email,
        "website": comment.website,
        "text": comment.body,
        "earlier_texts": earlier.get(comment.pk, []),
        "notify_replies": comment.notify_replies,
        "client_address_hash_kept": bool(comment.client_key),
    }


def _account(user):
    account = {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
    }
    person = Person.objects.filter(user=user).first()
    if person is not None:
        account["author_profile"] = {
            "display_name": person.display_name,
            "affiliation": person.affiliation,
            "bio": person.bio,
            "website": person.website,
            "photo": absolute_url(person.photo.url) if person.photo else None,
            "papers": [paper.title for paper in person.papers.order_by("published_on")],
        }
    return account


def personal_data(*, email="", user=None):
    """Everything held about the person, as a JSON-ready dict."""
    comments = list(comments_of(email=email, user=user))
    earlier = {}
    events = ModerationEvent.objects.filter(comment__in=comments).exclude(text_before="")
    for comment_id, text in events.order_by("at", "pk").values_list("comment_id", "text_before"):
        earlier.setdefault(comment_id, []).append(text)
    data = {
        "site": settings.COLLOQUY_SITE_NAME,
        "exported_at": _when(timezone.now()),
        "email": normalize_email(email) if email else None,
        "comments": [_comment(comment, earlier) for comment in comments],
    }
    if user is not None:
        data["account"] = _account(user)
    return data


ANONYMOUS = {**POSTER_GONE, "name": NO_NAME}


@transaction.atomic
def erase(*, email="", user=None, remove_texts, actor=None):
    """Erase the person's comments: name "Anonymous", no address, website or account; each
    text kept (readable in its thread) or, with remove_texts, taken away as its poster's
    deletion takes it (comment_remove). Earlier texts go either way. Returns how many."""
    comments = list(comments_of(email=email, user=user).order_by("-depth", "-pk"))
    forget_in_admin_log(comments)
    ModerationEvent.objects.filter(comment__in=comments).update(text_before="")
    papers = {}
    for comment in comments:
        if remove_texts:
            comment_remove(comment, actor=actor, reason="erased at its poster's request")
            continue
        for name, value in ANONYMOUS.items():
            setattr(comment, name, value)
        comment.save(update_fields=list(ANONYMOUS))
        papers[comment.paper_id] = comment.paper
    for paper in papers.values():
        paper_discussion_changed(paper)
    if email:
        PersonalDataLink.objects.filter(email=normalize_email(email)).delete()
    return len(comments)


@transaction.atomic
def delete_account(user, *, remove_texts):
    """Erase the account's comments, keep its published bylines (a Person is the public
    record of who wrote a paper) without the account, and delete the account."""
    erase(user=user, remove_texts=remove_texts, actor=None)  # what /me/comments/ lists
    Person.objects.filter(user=user).update(user=None)
    user.delete()


# Links mailed to an address


def _secret(nonce):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"personal-data-link:{nonce}".encode(), hashlib.sha256).hexdigest()


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def link_lifetime():
    return datetime.timedelta(hours=settings.COLLOQUY_PERSONAL_DATA_LINK_HOURS)


def new_link(email):
    """A new link for the address: (its row, its secret)."""
    nonce = secrets.token_hex(16)
    link = PersonalDataLink.objects.create(
        nonce=nonce, secret_hash=_hash(_secret(nonce)), email=normalize_email(email)
    )
    return link, _secret(nonce)


def link_email(secret):
    """The address a link's secret was mailed to, or None: unknown, tampered with, expired,
    or used up by an erasure."""
    if not secret or len(secret) > 100:
        return None
    link = PersonalDataLink.objects.filter(
        secret_hash=_hash(secret), created_at__gt=timezone.now() - link_lifetime()
    ).first()
    return link.email if link else None


def has_comments(email):
    return comments_of(email=email).exists()


def link_requested(email):
    """Someone asked for the link of the address: a link is made and a message mailed to the
    address, with the link if it has comments, or saying it has none (the task decides, so
    that the request is answered alike either way)."""
    link, _ = new_link(email)
    enqueue_on_commit([send_link], link.pk)


@task
def send_link(link_id):
    """Mail the link (its secret worked out again from its nonce), or word that the address
    has no comments here. The task's arguments hold neither the address nor the secret."""
    link = PersonalDataLink.objects.filter(pk=link_id).first()
    if link is None:  # expired and purged before a worker got to it
        return 0
    url = ""
    if has_comments(link.email):
        url = absolute_url(reverse("comments:personal_data", args=[_secret(link.nonce)]))
    else:
        link.delete()  # nothing to reach through it
    context = {
        "url": url,
        "hours": settings.COLLOQUY_PERSONAL_DATA_LINK_HOURS,
        "site_name": settings.COLLOQUY_SITE_NAME,
    }
    body = render_to_string("comments/email/personal_data.txt", context)
    subject = f"Your comments on {settings.COLLOQUY_SITE_NAME}"
    return NotificationEmail(subject=subject, body=body, to=[link.email], headers=AUTOMATIC).send()
