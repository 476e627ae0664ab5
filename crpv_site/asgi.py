import os

from django.core.asgi import get_asgi_application

from crpv_site.database import serve_web_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crpv_site.settings")
application = get_asgi_application()

# A web process: its database statements are bounded by DATABASE_STATEMENT_TIMEOUT_MS (crpv_site/database.py).
serve_web_requests()
