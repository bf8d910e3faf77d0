"""The Jinja2 environment of the templates that draw long lists (a discussion's comments).

Django's own Jinja2 backend renders them (TEMPLATES in settings): a thousand comments take
milliseconds where the Django template language would take a quarter of a second. The
filters here are the Django ones those templates need, made cheap to call a thousand times:
dates and times come from Django's localised formats, in the time zone and language of the
request (the `locale` context processor reads them once per page), and each distinct day
and minute is formatted once.
"""

import datetime
import functools

from django.urls import reverse
from django.utils import formats, timezone, translation
from jinja2 import Environment, pass_context

from . import names


def locale(request):
    """What every Jinja2 page knows of where and how its reader reads."""
    return {"timezone": timezone.get_current_timezone(), "language": translation.get_language()}


@pass_context
def localtime(context, value):
    return value.astimezone(context["timezone"])


@pass_context
def date(context, value, format="DATE_FORMAT"):
    """A date in Django's format (a named one, or "j F Y"), in the page's language."""
    return _date(value.date(), format, context["language"])


@pass_context
def time(context, value, format="TIME_FORMAT"):
    """A time of day, to the minute, in Django's format and the page's language."""
    return _time(value.hour, value.minute, format, context["language"])


@functools.lru_cache(maxsize=4096)
def _date(day, format, language):
    with translation.override(language):
        return formats.date_format(day, format)


@functools.lru_cache(maxsize=4096)
def _time(hour, minute, format, language):
    with translation.override(language):
        return formats.time_format(datetime.time(hour, minute), format)


def environment(**options):
    env = Environment(**options)
    env.filters.update(localtime=localtime, date=date, time=time, display_name=names.name_as_shown)
    env.globals.update(url=lambda name, *args, **kwargs: reverse(name, args=args, kwargs=kwargs))
    return env
