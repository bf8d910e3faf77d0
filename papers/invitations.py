"""Inviting an author to sign in: an e-mail with a link to set the password of their account.

An imported author's account has no usable password (papers.accounts), and Django's password
reset form skips such accounts, so the invitation is written here. The link leads to Django's
PasswordResetConfirmView with a token generator of its own: an invitation is not a password
reset (neither token works as the other), and it lasts COLLOQUY_INVITATION_DAYS. Like a reset
link, it works once: setting the password, or signing in, changes what its token was made of.
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from common.site import absolute_url

# RFC 3834: a message sent by a program; vacation responders do not answer it.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "colloquy.papers.invitations.InvitationTokenGenerator"

    def timeout(self):
        return datetime.timedelta(days=settings.COLLOQUY_INVITATION_DAYS)

    def check_token(self, user, token):
        """Django's check, with this timeout instead of PASSWORD_RESET_TIMEOUT (which
        Django's reads from settings itself)."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-", 1)[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= self.timeout().total_seconds()


invitation_token_generator = InvitationTokenGenerator()

# The invitation's link: the form to set a password, then Django's "password set" page.
set_password = PasswordResetConfirmView.as_view(
    token_generator=invitation_token_generator,
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)


def invitation_url(user):
    """The address (at SITE_URL) where this user sets their password."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return absolute_url(reverse("invitation_confirm", args=[uidb64, token]))


def invite_author(person):
    """E-mail the person's user a link to set their password; how many messages went (1).

    The person must have a user account with an e-mail address."""
    user = person.user
    context = {
        "person": person,
        "user": user,
        "papers": list(person.papers.select_related("edition").order_by("-published_on")),
        "url": invitation_url(user),
        "days": settings.COLLOQUY_INVITATION_DAYS,
        "site_url": settings.COLLOQUY_SITE_URL,
        "login_url": absolute_url(reverse("login")),
    }
    subject = render_to_string("papers/email/invitation_subject.txt", context)
    body = render_to_string("papers/email/invitation.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()), body=body, to=[user.email], headers=AUTOMATIC
    )
    return message.send()
