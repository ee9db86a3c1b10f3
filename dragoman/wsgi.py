import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")

from dragoman.publishing.wsgi import PageCacheApplication

# Page-cache hits are answered before Django builds a request (dragoman/publishing/wsgi.py).
application = PageCacheApplication(get_wsgi_application())

# What start-up built (modules, settings, URL patterns) lives as long as the process: kept out
# of the garbage collector's passes, which otherwise walk it again and again under load (a
# tenth of a search page's time, measured with bench/search.py).
gc.freeze()
