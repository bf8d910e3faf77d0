"""`manage.py invite_authors` and the invitation's link (papers.invitations)."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from papers.accounts import author_person
from papers.invitations import invitation_token_generator, invitation_url
from papers.models import Person
from tests.factories import make_paper, make_person, make_stream

pytestmark = pytest.mark.django_db

SITE = "https://colloquy.example"
NEW_PASSWORD = "a quiet lighthouse keeps time"
LINK = re.compile(re.escape(SITE) + r"(/accounts/invitation/\S+/)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.COLLOQUY_SITE_URL = SITE
    settings.COLLOQUY_INVITATION_DAYS = 14


def _author(name, email="", **paper_fields):
    person = author_person(name, email=email)
    make_paper(authors=[person], **paper_fields)
    return person


def _invite(*args):
    out = io.StringIO()
    call_command("invite_authors", *args, stdout=out, stderr=out)
    return out.getvalue()


def _link(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _sign_in(user):
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])


def _later(days):
    """A patch moving the invitation generator's clock `days` days forward."""
    now = datetime.datetime.now() + datetime.timedelta(days=days)
    return mock.patch.object(invitation_token_generator, "_now", return_value=now)


def test_invite_authors_mails_each_author_never_signed_in_once(mailoutbox):
    ada = _author("Ada Lovelace", "ada@example.org", title="Engines that weave")
    make_paper(authors=[ada], title="Notes on notes")
    _sign_in(_author("Ben Okoro", "ben@example.org").user)
    output = _invite()
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]
    assert "Ada Lovelace: invited ada@example.org" in output
    assert "Ben Okoro: has signed in or set a password already; not invited" in output
    assert "Invited 1 author; 1 author signed in already." in output


def test_invite_authors_mail_names_site_papers_link_and_days(mailoutbox, settings):
    ada = _author("Ada Lovelace", "ada@example.org", title="Engines that weave")
    make_paper(authors=[ada], title="Notes on notes")
    _invite()
    (message,) = mailoutbox
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "\n" not in message.subject and "Colloquy" in message.subject
    assert "“Engines that weave”" in message.body and "“Notes on notes”" in message.body
    assert SITE in message.body and "14 days" in message.body
    assert f"username, {ada.user.username}" in message.body
    assert _link(message).startswith("/accounts/invitation/")


def test_invite_authors_names_authors_without_an_address(mailoutbox):
    _author("Cy Nobody")
    output = _invite()
    assert mailoutbox == []
    assert "Cy Nobody: no e-mail address; cannot be invited" in output
    assert "1 author without an e-mail address, who cannot be invited" in output
    assert output.rstrip().endswith(": Cy Nobody.")


def test_invite_authors_gives_an_author_without_account_one(mailoutbox):
    person = make_person("Dee Loner")
    make_paper(authors=[person])
    output = _invite()
    person.refresh_from_db()
    assert person.user is not None and not person.user.has_usable_password()
    assert f"Dee Loner: had no account; made one ({person.user.username})" in output
    assert "Dee Loner: no e-mail address; cannot be invited" in output
    assert mailoutbox == []


def test_invite_authors_skips_disabled_accounts(mailoutbox):
    ada = _author("Ada Lovelace", "ada@example.org")
    ada.user.is_active = False
    ada.user.save()
    assert "Ada Lovelace: the account is disabled; not invited" in _invite()
    assert mailoutbox == []


def test_invite_authors_edition_filters(mailoutbox):
    stream = make_stream()
    _author("Ada Lovelace", "ada@example.org", stream=stream)
    _author("Ben Okoro", "ben@example.org")
    output = _invite("--edition", stream.edition.slug)
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]
    assert "Ben Okoro" not in output


def test_invite_authors_unknown_edition_is_an_error(mailoutbox):
    _author("Ada Lovelace", "ada@example.org")
    with pytest.raises(CommandError, match="No edition with the slug 'nope'"):
        _invite("--edition", "nope")
    assert mailoutbox == []


def test_invite_authors_dry_run_sends_and_makes_nothing(mailoutbox):
    _author("Ada Lovelace", "ada@example.org")
    loner = make_person("Dee Loner")
    make_paper(authors=[loner])
    output = _invite("--dry-run")
    assert mailoutbox == []
    assert "Ada Lovelace: would invite ada@example.org" in output
    assert "Dee Loner: no account (one would be made)" in output
    assert "Would invite 1 author" in output
    assert Person.objects.get(pk=loner.pk).user is None


def test_invite_authors_again_writes_only_to_those_still_not_signed_in(mailoutbox):
    ada = _author("Ada Lovelace", "ada@example.org")
    _author("Ben Okoro", "ben@example.org")
    _invite()
    assert len(mailoutbox) == 2
    _sign_in(ada.user)
    _invite()
    assert [message.to for message in mailoutbox[2:]] == [["ben@example.org"]]


def test_invitation_link_sets_password_and_author_can_sign_in(client, mailoutbox):
    ada = _author("Ada Lovelace", "ada@example.org")
    _invite()
    link = _link(mailoutbox[0])
    response = client.get(link)
    form_url = link.replace(link.split("/")[-2], "set-password")
    assert response.status_code == 302 and response["Location"] == form_url
    page = client.get(form_url)
    assert page.context["validlink"] and b"Choose a new password" in page.content
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert b"Log in" in client.get(done["Location"]).content
    assert client.login(username=ada.user.username, password=NEW_PASSWORD)


def test_invitation_link_works_once(client, mailoutbox):
    _author("Ada Lovelace", "ada@example.org")
    _invite()
    link = _link(mailoutbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.get(link).context["validlink"] is False


def test_invitation_link_with_tampered_token_is_refused(client):
    ada = _author("Ada Lovelace", "ada@example.org")
    path = invitation_url(ada.user).removeprefix(SITE)
    tampered = path[:-2] + ("0" if path[-2] != "0" else "1") + "/"
    response = client.get(tampered)
    assert response.status_code == 200 and response.context["validlink"] is False
    assert b"link not valid" in response.content


def test_invitation_link_lasts_the_invitation_days(client):
    ada = _author("Ada Lovelace", "ada@example.org")
    path = invitation_url(ada.user).removeprefix(SITE)
    with _later(13.9):
        assert client.get(path).status_code == 302
    with _later(14.1):
        assert client.get(path).context["validlink"] is False


def test_invitation_days_come_from_the_setting(client, settings):
    settings.COLLOQUY_INVITATION_DAYS = 1
    ada = _author("Ada Lovelace", "ada@example.org")
    path = invitation_url(ada.user).removeprefix(SITE)
    with _later(2):
        assert client.get(path).context["validlink"] is False


def test_password_reset_token_is_no_invitation_and_back(client):
    user = _author("Ada Lovelace", "ada@example.org").user
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)
    invitation_token = invitation_token_generator.make_token(user)
    as_invitation = reverse("invitation_confirm", args=[uidb64, reset_token])
    as_reset = reverse("password_reset_confirm", args=[uidb64, invitation_token])
    assert client.get(as_invitation).context["validlink"] is False
    assert client.get(as_reset).context["validlink"] is False
    # ...while each works where it belongs.
    own = client.get(reverse("invitation_confirm", args=[uidb64, invitation_token]))
    assert own.status_code == 302
    assert default_token_generator.check_token(user, reset_token)


def test_an_author_who_set_a_password_but_never_signed_in_is_not_invited_again(mailoutbox):
    ada = _author("Ada Lovelace", "ada@example.org")
    ada.user.set_password("a long enough passphrase")
    ada.user.save()
    output = _invite()
    assert mailoutbox == []
    assert "Ada Lovelace: has signed in or set a password already; not invited" in output
