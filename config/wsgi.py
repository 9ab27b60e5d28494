import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# What the app loaded (Django, templates, translations, libraries) lives as long as the
# process: out of the garbage collector's full passes, which otherwise pause every thread
# for tens of milliseconds (bench/links.py's p99).
gc.freeze()
