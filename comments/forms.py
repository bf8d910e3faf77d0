"""The "Leave a Reply" form, for guests and for signed-in readers."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from papers.apa import fold
from papers.markup import COMMENT_SYNTAX_HELP
from papers.models import Person

from .fingerprints import words
from .models import Comment
from .tokens import check_form_token, new_form_token

IMPERSONATION = (
    "This {what} belongs to a registered user or paper author. Please log in to post as them."
)


def _name_key(name):
    """A name as a reader would take it: no case, accents, punctuation or extra spaces."""
    return " ".join(words(fold(name)))


def _is_taken_name(name):
    """Whether the name reads as a paper author's or a registered user's."""
    key = _name_key(name)
    if not key:
        return False
    # Users are looked up by the name's longest word, as typed and without accents ("Müller",
    # "Muller"), then compared as readers would; paper authors are few, and all compared.
    longest = {max(key.split(), key=len), max(words(name), key=len)}
    matches = Q()
    for word in longest:
        for field in ("username", "first_name", "last_name"):
            matches |= Q(**{f"{field}__icontains": word})
    users = get_user_model().objects.filter(matches)
    names = [*Person.objects.values_list("display_name", flat=True)]
    for user in users.only("username", "first_name", "last_name"):
        names += [user.username, user.get_full_name()]
    return any(_name_key(taken) == key for taken in names)


class CommentForm(forms.Form):
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
    url = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, paper, user=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", new_form_token())
        super().__init__(*args, **kwargs)
        self.paper = paper
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["body"] = forms.CharField(
            label="Comment",
            widget=forms.Textarea(attrs={"rows": 8}),
            help_text=COMMENT_SYNTAX_HELP,
            min_length=settings.COLLOQUY_COMMENT_MIN_LENGTH,
            max_length=settings.COLLOQUY_COMMENT_MAX_LENGTH,
            error_messages={"required": "Please write a comment."},
        )
        self.order_fields(["name", "email", "website", "body"])
        if self.user:
            for name in ("name", "email", "website", "remember"):
                del self.fields[name]
        self.helper = self._helper()

    def _helper(self):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        honeypot = Div("url", css_class="hp-field", aria_hidden="true")
        fields = ["body", "notify", honeypot, "parent", "token"]
        if not self.user:
            fields = [
                Field("name", autocomplete="name"),
                Field("email", autocomplete="email"),
                Field("website", autocomplete="url"),
                "body",
                "remember",
                "notify",
                honeypot,
                "parent",
                "token",
            ]
        helper.layout = Layout(*fields, Submit("submit", "Post Comment"))
        return helper

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if _is_taken_name(name):
            raise forms.ValidationError(IMPERSONATION.format(what="name"), code="impersonation")
        return name

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses are allowed.")
        return website

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(IMPERSONATION.format(what="email"), code="impersonation")
        return email

    def clean(self):
        cleaned = super().clean()
        if not check_form_token(cleaned.get("token", "")):
            self.add_error(None, "This form has expired. Please post your comment again.")
        parent_id = cleaned.get("parent")
        if parent_id is not None:
            parent = Comment.objects.approved().filter(pk=parent_id, paper=self.paper).first()
            if parent is None:
                self.add_error(
                    None,
                    "The comment you are replying to is not (or no longer) shown on this paper.",
                )
            cleaned["parent"] = parent
        return cleaned
