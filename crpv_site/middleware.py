"""Refuse requests whose parameters carry a NUL character.

PostgreSQL cannot store or compare text containing NUL (0x00): a ``%00`` in
any query parameter that reaches a filter would otherwise end in a
``DataError`` and a 500. Forms already refuse it (Django's
ProhibitNullCharactersValidator); this covers every other read of
``request.GET``/``POST``, present and future, in one place.
"""

from django.shortcuts import render


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for params in sources:
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return render(
                        request,
                        "400.html",
                        {"message": "L'adresse contient un caractère nul (%00), qui n'est pas accepté."},
                        status=400,
                    )
        return self.get_response(request)
