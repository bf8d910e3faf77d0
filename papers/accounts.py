"""Every paper author has a user account, so that they can sign in and answer as the author.

An account made for an imported author has no usable password: the author sets one from
the invitation invite_authors e-mails them (papers.invitations).
"""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from common.names import clean_name

from .models import Person


def _free_username(base):
    User = get_user_model()
    limit = User._meta.get_field("username").max_length
    base = (slugify(base) or "author")[: limit - 4]
    username, n = base, 2
    while User.objects.filter(username=username).exists():
        username, n = f"{base}-{n}", n + 1
    return username


def author_account(person, *, email=""):
    """The person's user account, made (or found by e-mail address) when they have none."""
    if person.user_id is not None:
        user = person.user
        if email and not user.email:
            user.email = email
            user.save(update_fields=["email"])
        return user
    User = get_user_model()
    user = User.objects.filter(email__iexact=email, person=None).first() if email else None
    if user is None:
        user = User(username=_free_username(person.slug), email=email)
        user.set_unusable_password()
        user.save()
    person.user = user
    person.save(update_fields=["user"])
    return user


def _free_slug(display_name):
    limit = Person._meta.get_field("slug").max_length
    base = slugify(display_name)[:limit].strip("-") or "author"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: limit - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


def author_person(display_name, *, email=""):
    """The author of that name (or, first, of that account's e-mail address), made with an
    account when there is none."""
    display_name = clean_name(display_name)[: Person._meta.get_field("display_name").max_length]
    person = None
    if email:
        person = Person.objects.filter(user__email__iexact=email).first()
    if person is None:
        person = Person.objects.filter(display_name__iexact=display_name).first()
    if person is None:
        person = Person.objects.create(display_name=display_name, slug=_free_slug(display_name))
    author_account(person, email=email)
    return person
