"""{% load names %}: `{{ person.display_name|display_name }}`, a name as it may be shown.

Every template that shows a person's name passes it through this filter, whatever stored it
(the comment form, the admin, import_paper, a loader): common.names.display_name removes the
invisible and formatting characters, bidirectional overrides above all, that would hide or
turn around the text after the name. A name that held nothing but such characters shows as
common.names.NO_NAME; an empty one stays empty, so `|default:` still works after it.
"""

from django import template

from common.names import name_as_shown

register = template.Library()
register.filter("display_name", name_as_shown)
