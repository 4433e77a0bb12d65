import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poshan.settings.local")
application = get_wsgi_application()

from poshan.core.heap import freeze_startup_heap  # noqa: E402  (Django is set up by now)

freeze_startup_heap()  # the loaded app out of the collector's full passes (poshan.core.heap)
