"""The password reset and password change pages wear the site's layout, not the admin's."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.make_user
NEW_PASSWORD = "a brand new lantern for tuesday"


def assert_site_page(response, title):
    """A page of the site: its header and layout, one h1, no admin look, nothing inline."""
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="site-name" href="/">Colloquy</a>' in html
    assert '<footer class="site-footer">' in html
    assert "Django site admin" not in html
    assert "Django administration" not in html
    assert f"<title>{title} · Colloquy</title>" in html
    assert html.count("<h1") == 1
    assert " style=" not in html
    assert "<style" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/site.js" defer>']
    return html


def reset_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("password_reset", "Reset your password"),
        ("password_reset_done", "Check your e-mail"),
        ("password_reset_complete", "Password changed"),
    ],
)
def test_auth_page_for_visitors_has_the_site_layout(client, name, title):
    assert_site_page(client.get(reverse(name)), title)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("password_change", "Change your password"),
        ("password_change_done", "Password changed"),
    ],
)
def test_auth_page_for_signed_in_users_has_the_site_layout(client, name, title):
    client.force_login(make_user())
    assert_site_page(client.get(reverse(name)), title)


def test_password_reset_form_renders_the_field_like_the_login_form(client):
    html = assert_site_page(client.get(reverse("password_reset")), "Reset your password")
    assert '<form method="post" action="/accounts/password_reset/" class="narrow-form">' in html
    assert re.search(r'<label\s+for="id_email" class="form-label requiredField">', html)
    assert 'type="email" name="email"' in html
    assert '<button type="submit" class="btn btn-primary">' in html


def test_password_reset_confirm_with_a_valid_link_has_the_site_layout(client):
    response = client.get(reset_link(make_user()), follow=True)
    html = assert_site_page(response, "Choose a new password")
    assert re.search(r'<label\s+for="id_new_password1"', html)
    assert re.search(r'<label\s+for="id_new_password2"', html)


def test_password_reset_confirm_with_an_invalid_link_has_the_site_layout(client):
    user = make_user()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": "abc-0123456789"})
    html = assert_site_page(client.get(url), "Password reset link not valid")
    assert f'<a href="{reverse("password_reset")}">Ask for a new one</a>' in html
    assert '<form method="post" class="narrow-form">' not in html


def test_password_reset_confirm_shows_errors_next_to_the_fields(client):
    form_url = client.get(reset_link(make_user()), follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else entirely"}
    )
    html = assert_site_page(response, "Choose a new password")
    assert "is-invalid" in html
    assert re.search(r'class="invalid-feedback">\s*<p[^>]*><strong>The two password fields', html)


def test_password_reset_for_a_known_user_sends_a_link_that_sets_a_new_password(client):
    user = make_user("farah", email="farah@example.org")
    response = client.post(reverse("password_reset"), {"email": "farah@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["farah@example.org"]
    assert message.subject == "Reset your Colloquy password"
    assert "Colloquy account (farah)" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)[1]

    opened = client.get(link, follow=True)
    html = assert_site_page(opened, "Choose a new password")
    form_url = opened.redirect_chain[-1][0]
    assert form_url.endswith("/set-password/")
    assert "<form" in html

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    complete = assert_site_page(client.get(done["Location"]), "Password changed")
    assert f'<a href="{reverse("login")}">Log in</a>' in complete

    assert_site_page(client.get(link, follow=True), "Password reset link not valid")
    login = client.post(reverse("login"), {"username": "farah", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    make_user("farah", email="farah@example.org")
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_change_sets_the_new_password(client):
    user = make_user("ben")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_old_password_shows_the_error_on_the_site(client):
    client.force_login(make_user())
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    html = assert_site_page(response, "Change your password")
    assert re.search(r'class="invalid-feedback">\s*<p[^>]*><strong>Your old password', html)


def test_login_page_leads_to_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Forgotten your password?</a>' in html
