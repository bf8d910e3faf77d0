import os

from django.core.wsgi import get_wsgi_application

from conference.memory import keep_large_blocks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
keep_large_blocks()
application = get_wsgi_application()
