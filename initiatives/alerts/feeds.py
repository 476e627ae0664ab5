"""The Atom feed of a list: ``/initiatives/flux.atom?<the list's parameters>``.

The published cases the list shows for the same parameters, the ``FEED_MAX`` last published or
updated first (by ``updated_at``), with Django's syndication framework. Parameters are read by the
list's own selector: a malformed one (unknown name, theme, territory, value) gets a 400 page that
says what was not understood, as the exports do, since a feed cannot carry the list's notices. The
page cache keeps the feed like the list (``/initiatives/`` prefix), per public version.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from initiatives.alerts.search import latest, understand

FEED_MAX = 50
SUMMARY_MAX = 600


class SearchFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Proximités"
    language = "fr"

    def __call__(self, request, *args, **kwargs):
        search = understand(request.GET)
        if search.errors:
            context = {"notices": search.result.notices, "list_qs": request.GET.urlencode()}
            return render(request, "alerts/refused.html", {**context, "feed": True}, status=400)
        request.followed_search = search  # read by get_object (one instance serves every request)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        search = request.followed_search
        search.cases, _ = latest(search, limit=FEED_MAX)
        return search

    def title(self, search):
        return f"Proximités — initiatives : {search.label}"

    def subtitle(self, search):
        return (
            "Les initiatives publiées ou mises à jour qui répondent à cette recherche, de la plus récemment "
            f"modifiée à la plus ancienne ({FEED_MAX} au plus)."
        )

    def link(self, search):
        return search.list_url

    def feed_url(self, search):
        return f"{reverse('alerts:feed')}?{search.query}" if search.query else reverse("alerts:feed")

    def items(self, search):
        return search.cases

    def item_title(self, case):
        place = f" ({case.territory.name})" if case.territory_id else ""
        return f"{case.title}{place}"

    def item_link(self, case):
        return case.get_absolute_url()

    def item_description(self, case):
        text = " ".join((case.summary or "").split())
        if len(text) > SUMMARY_MAX:
            text = text[: SUMMARY_MAX - 1] + "…"
        return escape(text)  # the summary is declared type="html": the text is escaped once more

    def item_guid(self, case):
        # A tag URI (RFC 4151) of the site's host and the case's id: it stays when the slug changes.
        return f"tag:{urlsplit(settings.SITE_URL).hostname},2020:initiative:{case.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, case):
        return case.published_at

    def item_updateddate(self, case):
        return case.updated_at
