"""Every write made through the admin goes through the write boundary of derived data.

A POST to the admin (a case form with its inlines, a workflow action on a
selection, a deletion, a history restore, a spreadsheet import, a proposal
accepted, a theme renamed...) runs inside ``initiatives.browse.keys.writing``:
one transaction, and each case it touched rebuilt once at its end, whichever
model admin handled it. GET requests write no case (reversion's preview of an
old version writes and rolls back; its cases are rebuilt at once and rolled
back with it).
"""

from django.urls import reverse

from initiatives.browse.keys import writing


class AdminWriteBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.method == "POST" and request.path.startswith(self.prefix):
            with writing():
                return self.get_response(request)
        return self.get_response(request)
