"""Refuse requests whose parameters carry a NUL character.

PostgreSQL cannot store or compare text containing NUL (0x00): a ``%00`` in
any query parameter that reaches a filter would otherwise end in a
``DataError`` and a 500. Forms already refuse it (Django's
ProhibitNullCharactersValidator); this covers every other read of
``request.GET``/``POST``, present and future, in one place.

Being the first to read ``request.POST``, it also answers a body larger than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or with too many fields): Django would turn
the ``RequestDataTooBig`` into a bare "requête invalide" 400; we say why. Under ``/api/`` the
answer is the API's JSON error (``crpv_site.errors.json_error``).
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render

from crpv_site.errors import is_api, json_error


def _refuse(request, message, details=None):
    if is_api(request):
        return json_error(400, message, details)
    return render(request, "400.html", {"message": message}, status=400)


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        except (RequestDataTooBig, TooManyFieldsSent) as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning("%s: %s", request.path, error)
            if isinstance(error, TooManyFieldsSent):
                message = "Le formulaire envoyé compte trop de champs."
            else:
                size = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.1f}".replace(".", ",")
                message = f"Les données envoyées sont trop volumineuses ({size} Mo au plus). Raccourcissez les textes."
            return _refuse(request, message)
        for params in sources:
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    message = "L'adresse contient un caractère nul (%00), qui n'est pas accepté."
                    name = key.replace("\x00", "\\x00")[:40]
                    return _refuse(request, message, {name: "caractère nul (%00) refusé"})
        return self.get_response(request)
