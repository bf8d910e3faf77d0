"""Request parameters a visitor can send but the site cannot use end in a 4xx or an empty
result, never in a 500.

Two layers:

- RequestParameterMiddleware answers 400 Bad Request, before any view runs, to a request whose
  path, query string or form data holds a NUL character. No page of ours has a use for one,
  Django's forms refuse them already, but lookups (the admin's filters and search) would pass
  them on to PostgreSQL, which rejects any string holding one. A cookie holding one is dropped,
  as if it had not been sent (a 400 on every page would lock the browser out).
- HardenedAdminMixin, shared by every ModelAdmin of the site (ours inherit it; harden_admin_site
  wraps those of other apps: users, groups, tasks), makes a change list's lookups that fail
  only when the query is built or run (an out-of-range year of a date lookup or of the date
  hierarchy, an invalid regular expression, a number beyond the column's range, a string for
  a binary field...) into Django's own answer to bad lookups, IncorrectLookupParameters (a
  redirect to ?e=1). It also keeps unusable values out of an add form's initial data
  (?published_on=x), refuses an action on ids no object can have (400), and, with
  HardenedFormFieldsMixin (for inlines too), has relation fields and autocomplete widgets read
  a posted id before they look it up.
"""

import functools

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.forms import ModelMultipleChoiceField
from django.http import HttpResponseBadRequest, UnreadablePostError

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(querydict):
    return any(NUL in key or NUL in value for key, values in querydict.lists() for value in values)


class RequestParameterMiddleware:
    """400 for a NUL character in the path, the query string or the form data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]
        for name in bad:
            del request.COOKIES[name]
        if NUL in request.path_info or _holds_nul(request.GET) or self._form_holds_nul(request):
            return HttpResponseBadRequest(
                "Bad request: a parameter holds a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)

    @staticmethod
    def _form_holds_nul(request):
        if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
            return False
        try:
            return _holds_nul(request.POST) or any(
                NUL in name or NUL in (upload.name or "")
                for name, uploads in request.FILES.lists()
                for upload in uploads
            )
        except UnreadablePostError:
            return False  # the view meets the same error, as it would without this middleware


# What a lookup the admin allowed may raise while its query is built (a year out of range:
# ValueError, OverflowError; `__range=1`: IndexError; a string for a binary field: TypeError)
# or run (the database refuses it: DataError, or an error of a function such as SQLite's
# REGEXP: OperationalError). Errors of the code itself (AttributeError, NameError...) are not
# among them, and none is caught when the request has no lookups.
VALUE_ERRORS = (ValueError, ArithmeticError, TypeError, LookupError, ValidationError)
LOOKUP_ERRORS = (DatabaseError, *VALUE_ERRORS)


class HardenedChangeList(ChangeList):
    """A change list that answers a lookup failing in the query like any other bad lookup."""

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except VALUE_ERRORS as error:
            # The date hierarchy's year 10000 or 10**20 (datetime refuses them), a filter
            # value its field cannot read.
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        """Run, in a savepoint, every query the page runs with the visitor's lookups: the
        count, the page of results and the facet counts (which the template would otherwise
        run while rendering, too late for a redirect)."""
        if not (self.get_filters_params() or self.query):
            super().get_results(request)
            return
        try:
            with transaction.atomic(using=self.queryset.db):
                super().get_results(request)
                len(self.result_list)  # a queryset keeps what it fetched for the template
                if self.add_facets:
                    self.pk_attname = self.lookup_opts.pk.attname  # as __init__ sets it next
                    for spec in self.filter_specs:
                        counts = spec.get_facet_queryset(self)
                        spec.get_facet_queryset = functools.partial(_counted, counts)
        except LOOKUP_ERRORS as error:
            raise IncorrectLookupParameters(error) from error


def _counted(counts, changelist):
    return counts


@functools.cache
def _hardened(changelist_class):
    if issubclass(changelist_class, HardenedChangeList):
        return changelist_class
    return type(f"Hardened{changelist_class.__name__}", (HardenedChangeList, changelist_class), {})


_UNREADABLE = object()


def _read(field, value):
    """The value sent by the browser as the model field holds it, or _UNREADABLE: a value the
    field cannot read, or a number beyond the range of its column (no row can have it)."""
    try:
        value = field.to_python(value)
    except VALUE_ERRORS:
        return _UNREADABLE
    if isinstance(value, int) and not isinstance(value, bool):
        ops = connections[router.db_for_read(field.model)].ops
        column = getattr(field, "target_field", field)  # a foreign key's: the key it refers to
        try:
            low, high = ops.integer_field_range(column.get_internal_type())
        except KeyError:  # not one of Django's integer columns
            return value
        if (low is not None and value < low) or (high is not None and value > high):
            return _UNREADABLE
    return value


class _ReadableSelection:
    """An autocomplete widget (Django's looks up the selected values with `pk__in`, unread:
    "²" or "abc" sent for a person is a ValueError, 10**20 SQLite's OverflowError) that
    shows only values the target field can read; the form says what is wrong with the rest."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
        value = [item for item in value if _read(target, item) is not _UNREADABLE]
        return super().optgroups(name, value, attr)


class HardenedAutocompleteSelect(_ReadableSelection, AutocompleteSelect):
    pass


class HardenedAutocompleteSelectMultiple(_ReadableSelection, AutocompleteSelectMultiple):
    pass


class HardenedModelMultipleChoiceField(ModelMultipleChoiceField):
    """Django's checks each chosen id with `filter()`, which does not run the query, then runs
    one `pk__in` query with them all: 10**20 passes the first and is SQLite's OverflowError in
    the second. Here an id no row can have is an invalid choice at once."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value if isinstance(value, (list, tuple)) else ():
            if _read(target, item) is _UNREADABLE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class HardenedFormFieldsMixin:
    """For every ModelAdmin and inline: relation fields and autocomplete widgets that read the
    ids they look up before they look them up."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = HardenedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", HardenedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = HardenedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HardenedAdminMixin(HardenedFormFieldsMixin):
    """For every ModelAdmin: see the module's docstring."""

    def get_changelist(self, request, **kwargs):
        return _hardened(super().get_changelist(request, **kwargs))

    def get_changeform_initial_data(self, request):
        """?field=value prefills the add form; a value the field cannot read is left out
        (the form's widgets expect the field's own types: ?published_on=x was a 500)."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.ManyToManyField):
                pks = [_read(field.related_model._meta.pk, pk) for pk in value]
                initial[name] = [pk for pk in pks if pk is not _UNREADABLE]
            elif field.concrete:
                initial[name] = _read(field, value)
                if initial[name] is _UNREADABLE:
                    del initial[name]
        return initial

    def response_action(self, request, queryset, *args, **kwargs):
        """An action on ids no object of this model can have is a bad request (Django would
        filter `pk__in` with them: "²" is a ValueError, 10**20 SQLite's OverflowError)."""
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any(_read(self.opts.pk, pk) is _UNREADABLE for pk in selected):
            return HttpResponseBadRequest(
                "Bad request: a selected id is not valid.", content_type="text/plain"
            )
        return super().response_action(request, queryset, *args, **kwargs)


class HardenedModelAdmin(HardenedAdminMixin, admin.ModelAdmin):
    pass


def _hardened_inline(inline_class):
    if issubclass(inline_class, HardenedFormFieldsMixin):
        return inline_class
    return type(f"Hardened{inline_class.__name__}", (HardenedFormFieldsMixin, inline_class), {})


def harden_admin_site(site):
    """Give HardenedAdminMixin to every ModelAdmin registered on the site without it (those of
    django.contrib.auth and other apps), and HardenedFormFieldsMixin to their inlines, keeping
    everything else about them."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, HardenedAdminMixin):
            continue
        base = type(model_admin)
        attributes = {"inlines": [_hardened_inline(inline) for inline in base.inlines]}
        site.unregister(model)
        site.register(
            model, type(f"Hardened{base.__name__}", (HardenedAdminMixin, base), attributes)
        )
