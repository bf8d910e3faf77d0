"""A person's comments, their data as JSON, and their erasure: for a guest through a link
mailed to their address, for a signed-in user from their account (comments/personal_data.py).

Every page that changes something does it on a POST from a button: a link followed by a
mail scanner or a browser's prefetch changes nothing.
"""

import json

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common.rates import within_rate

from .forms import AddressForm, DeleteAccountForm, EraseForm
from .personal_data import (
    comments_of,
    delete_account,
    erase,
    link_email,
    link_requested,
    personal_data,
)
from .tokens import client_key
from .visitor import client_key_of

REQUESTS_PER_HOUR = 5  # from one client address, and to one e-mail address


def _allowed(*keys):
    """Whether each key (a client, an address) has asked at most REQUESTS_PER_HOUR times in
    the hour (each is counted, whichever is over)."""
    within = [within_rate(f"personal-data-requests:{key}", REQUESTS_PER_HOUR, 3600) for key in keys]
    return all(within)


@require_http_methods(["GET", "POST"])
def request_link(request):
    """Ask for the link; the answer is the same whether or not the address is known."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"]
        if _allowed(f"client:{client_key_of(request)}", f"address:{client_key(address.lower())}"):
            link_requested(address)
        hours = settings.COLLOQUY_PERSONAL_DATA_LINK_HOURS
        context = {"email": address, "hours": hours}
        return render(request, "comments/personal_data_sent.html", context)
    return render(request, "comments/personal_data_request.html", {"form": form})


def _whose(request, secret):
    """(e-mail address, user) whose data the request may see, or None."""
    if secret is None:
        return ("", request.user) if request.user.is_authenticated else None
    email = link_email(secret)
    return (email, None) if email else None


def _refused(request, secret):
    """A link that does not work (or, on the account's pages, a visitor not signed in)."""
    if secret is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "comments/personal_data_invalid.html", status=404)


def _url(name, secret):
    return reverse(f"comments:{name}", args=[secret] if secret else [])


def _context(secret, email, user):
    prefix = "" if secret else "my_"
    return {
        "email": email,
        "account": user,
        "comments": list(comments_of(email=email, user=user)),
        "page_url": _url(f"{prefix}personal_data", secret),
        "json_url": _url(f"{prefix}personal_data_json", secret),
        "erase_url": _url(f"{prefix}personal_data_erase", secret),
        "client_key_days": settings.COLLOQUY_CLIENT_KEY_DAYS,
    }


def personal_data_page(request, secret=None):
    if (whose := _whose(request, secret)) is None:
        return _refused(request, secret)
    return render(request, "comments/personal_data.html", _context(secret, *whose))


def personal_data_json(request, secret=None):
    if (whose := _whose(request, secret)) is None:
        return _refused(request, secret)
    email, user = whose
    data = json.dumps(personal_data(email=email, user=user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def erase_page(request, secret=None):
    if (whose := _whose(request, secret)) is None:
        return _refused(request, secret)
    email, user = whose
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erased = erase(email=email, user=user, remove_texts=form.remove_texts, actor=None)
        context = {"erased": erased, "removed": form.remove_texts, "account": user}
        return render(request, "comments/personal_data_erased.html", context)
    context = {**_context(secret, email, user), "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "comments/personal_data_erase.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_page(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        delete_account(user, remove_texts=form.remove_texts)
        logout(request)
        return render(request, "comments/account_deleted.html")
    status = 400 if form.is_bound else 200
    return render(request, "comments/delete_account.html", {"form": form}, status=status)
