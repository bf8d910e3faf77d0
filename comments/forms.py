"""The "Leave a Reply" form, for guests and for signed-in readers."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from common import names
from common.markup import COMMENT_SYNTAX_HELP
from papers.models import Person

from .tokens import check_form_token, new_form_token

IMPERSONATION = (
    "This name belongs to a registered user or paper author. Please log in to post as them."
)


def _reserved_names():
    """Paper authors' names and registered users' usernames and full names, in a stable order.

    Two narrow queries, whatever the number of comments (a conference has hundreds to a few
    thousand people); the index made from them is kept while they stay the same.
    """
    people = Person.objects.order_by("pk").values_list("display_name", flat=True)
    users = get_user_model().objects.order_by("pk")
    reserved = [*people]
    for username, first_name, last_name in users.values_list("username", "first_name", "last_name"):
        reserved += [username, f"{first_name} {last_name}".strip()]
    return tuple(reserved)


def _is_taken_name(name):
    """Whether the name reads as a paper author's or a registered user's (common.names)."""
    return names.name_index(_reserved_names()).taken(name)


def body_field():
    """A comment's text, as the comment form and the edit form take it."""
    return forms.CharField(
        label="Comment",
        widget=forms.Textarea,
        help_text=COMMENT_SYNTAX_HELP,
        min_length=settings.COLLOQUY_COMMENT_MIN_LENGTH,
        max_length=settings.COLLOQUY_COMMENT_MAX_LENGTH,
        error_messages={"required": "Please write a comment."},
    )


class CommentEditForm(forms.Form):
    """Its poster's edit of a comment's text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = body_field()


class CommentForm(forms.Form):
    """What a comment says and who says it; ids, not objects, in cleaned_data (the view
    fetches the comment replied to). Drawn by comments/jinja2/comments/discussion.html."""

    name = forms.CharField(label="Name", max_length=100)
    email = forms.EmailField(
        label="Email", max_length=254, help_text="Never shown to anyone but the site's admins."
    )
    website = forms.URLField(label="Website", max_length=300, required=False, assume_scheme="https")
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    notify = forms.BooleanField(label="Notify me of replies by email.", required=False)
    url = forms.CharField(label="Leave this field empty", required=False)  # the honeypot
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, paper, user=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", new_form_token())
        super().__init__(*args, **kwargs)
        self.paper = paper
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["body"] = body_field()
        self.order_fields(["name", "email", "website", "body"])
        if self.user:
            for name in ("name", "email", "website", "remember"):
                del self.fields[name]

    def clean_name(self):
        # Stored without invisible and formatting characters (zero-width, bidirectional
        # controls...); a name made of nothing else is no name. The form shown again keeps
        # what was typed.
        name = names.clean_name(self.cleaned_data["name"])
        if not names.has_letters(name):
            raise forms.ValidationError("Please enter your name.", code="required")
        if _is_taken_name(name):
            raise forms.ValidationError(IMPERSONATION, code="impersonation")
        return name

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses are allowed.")
        return website

    def clean_email(self):
        # An address of a registered account is not refused here (that would tell anyone
        # which addresses have accounts): the comment is held (moderation.registered_address).
        return self.cleaned_data["email"].strip()

    def renew_token(self):
        """Give the form, shown again, a token that can post (the posted one cannot)."""
        self.data = self.data.copy()
        self.data["token"] = new_form_token()

    def clean(self):
        cleaned = super().clean()
        if not check_form_token(cleaned.get("token", "")):
            self.add_error(None, "This form has expired. Please post your comment again.")
            self.renew_token()
        return cleaned


# A person's own data (data_views.py): the address a link goes to, and how to erase.


class AddressForm(forms.Form):
    email = forms.EmailField(label="Your e-mail address", max_length=254)


class EraseForm(forms.Form):
    texts = forms.ChoiceField(
        label="Your comments' texts",
        widget=forms.RadioSelect,
        choices=[
            ("keep", "Keep them, without my name: they stay readable in their discussions"),
            ("remove", "Remove them: replies to them keep their place"),
        ],
    )
    confirm = forms.BooleanField(label="Yes, erase my data. This cannot be undone.")

    @property
    def remove_texts(self):
        return self.cleaned_data["texts"] == "remove"


class DeleteAccountForm(EraseForm):
    confirm = forms.BooleanField(
        label="Yes, delete my account and erase my data. This cannot be undone."
    )
    password = forms.CharField(label="Your password", widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
