"""``Permissions-Policy``: the browser features no page of the site uses are refused to every page.

Django's SecurityMiddleware sets the other security headers and django-csp the
Content-Security-Policy; neither sets this one. The features are the settings'
``PERMISSIONS_POLICY`` (feature -> allowed origins; an empty list refuses the
feature everywhere, iframes included). Only features Chromium and Firefox know
are listed: an unknown one is reported as an error in the browser console.
https://developer.mozilla.org/docs/Web/HTTP/Headers/Permissions-Policy
"""

from django.conf import settings

HEADER = "Permissions-Policy"


def policy(features: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value and HEADER not in response:
            response[HEADER] = self.value
        return response
