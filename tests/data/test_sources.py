"""The five reports as the real fixtures describe them (fixtures/reference/sources.yaml).

Every fact about a report comes from the report: what the description quotes between « » is
found word for word in its text, an address is given only when the report prints it, and the
pages count the cases the case files draw from each report.
"""

import re

import pytest
from django.conf import settings

from initiatives.casefiles.verbatim import VerbatimIndex
from initiatives.models import Initiative, Source

pytestmark = pytest.mark.django_db(transaction=False)

QUOTED = re.compile(r"«\s*(.+?)\s*»", re.S)
needs_seeds = pytest.mark.skipif(
    not settings.SEEDS_DIR.is_dir(), reason="../shared/seeds absent : textes des rapports introuvables"
)


def test_every_report_says_what_it_is_and_how_its_cases_were_drawn(demo):
    sources = list(Source.objects.all())
    assert len(sources) == 5
    for source in sources:
        assert len(source.scope) > 200 and len(source.method) > 100, source.slug


@needs_seeds
def test_what_a_description_quotes_is_in_the_report_word_for_word(demo):
    quotes = 0
    for source in Source.objects.all():
        report = VerbatimIndex((settings.SEEDS_DIR / source.file_name).read_text(encoding="utf-8"))
        for text in (source.scope, source.method):
            for quote in QUOTED.findall(text):
                assert report.contains(quote), f"{source.slug} : « {quote} » absent du rapport"
                quotes += 1
    assert quotes >= 10


@needs_seeds
def test_an_address_is_given_only_when_the_report_prints_it(demo):
    for source in Source.objects.all():
        report = (settings.SEEDS_DIR / source.file_name).read_text(encoding="utf-8")
        assert not source.url or source.url.split("://")[-1] in report, source.slug


def test_the_odas_page_counts_the_nine_fiches_and_the_annex_lines(client, demo):
    html = client.get("/sources/odas-2022/").content.decode()
    listed = Initiative.objects.published().filter(citations__source__slug="odas-2022", documentation_level="listed")
    assert listed.distinct().count() == 66  # 71 annex lines, 5 of which are citations added to a fiche
    assert 'documentation=analysed">Analysé en détail</a> <span class="count">9 cas</span>' in html
    assert 'documentation=listed">Simplement listé</a> <span class="count">66 cas</span>' in html


def test_the_index_counts_every_published_case_of_each_report(client, demo):
    html = client.get("/sources/").content.decode()
    rows = dict(re.findall(r'<a href="/sources/([^/]+)/">.*?<td class="num">(\d+)</td>', html, re.S))
    for source in Source.objects.all():
        published = Initiative.objects.published().filter(citations__source=source).distinct().count()
        assert int(rows[source.slug]) == published > 0, source.slug
