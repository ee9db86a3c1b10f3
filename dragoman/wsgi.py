import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")

from dragoman.publishing.wsgi import PageCacheApplication

# Page-cache hits are answered before Django builds a request (dragoman/publishing/wsgi.py).
application = PageCacheApplication(get_wsgi_application())
