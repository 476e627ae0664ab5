import os

from django.core.wsgi import get_wsgi_application

from crpv_site.database import serve_web_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crpv_site.settings")
application = get_wsgi_application()

# A web process: its database statements are bounded by DATABASE_STATEMENT_TIMEOUT_MS (crpv_site/database.py).
serve_web_requests()
