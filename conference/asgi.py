import os

from django.core.asgi import get_asgi_application

from conference.memory import keep_large_blocks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
keep_large_blocks()
application = get_asgi_application()
