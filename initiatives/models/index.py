"""Derived browse data: narrow tables rebuilt from the cases, never edited by hand.

``SearchDocument`` is what search reads, ``BrowseKey`` the precomputed facet
keys of published cases; ``BrowseVersion`` and ``BrowseChange`` tell every
server process's in-memory index what changed. They are written only by
``initiatives.browse.keys``.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from initiatives.models.cases import Initiative


class SearchDocument(models.Model):
    """What search reads, one narrow row per case, apart from the wide ``Initiative`` rows.

    A search matching most cases reads every matching row: on ``Initiative``
    (5 KB a row with the sections) that meant 300 MB at 100,000 cases; here a
    row is a few hundred bytes, the long texts and vectors living out of line
    in TOAST storage until a row needs them. What is searched, and how strong
    each field is: ``initiatives.browse.collect``.
    - ``text``: the folded words of every searched field (SQLite matches it);
    - ``strong``: those of the strong fields only (title, themes, places);
    - ``title``: those of the title;
    - ``vector``, ``strong_vector``, ``title_vector`` (PostgreSQL): the same as
      ``french_unaccent`` vectors (stemmed), GIN-indexed: one query per searched word.
    ``published`` is copied from the case so that a search never joins back.
    Rebuilt by ``initiatives.browse.keys``.
    """

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    published = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    strong = models.TextField(blank=True)
    title = models.TextField(blank=True)
    vector = SearchVectorField(null=True)
    strong_vector = SearchVectorField(null=True)
    title_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "document de recherche"
        verbose_name_plural = "documents de recherche"

    def __str__(self):
        return f"recherche de {self.initiative_id}"


class SearchWord(models.Model):
    """A word of the search texts: the vocabulary "did you mean" suggestions are drawn from.
    Recorded by ``initiatives.browse.keys`` as documents are rebuilt; never removed."""

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        verbose_name = "mot du vocabulaire"
        verbose_name_plural = "mots du vocabulaire"

    def __str__(self):
        return self.word


class BrowseKey(models.Model):
    """One facet value of one published case: the precomputed facet index.

    ``facet`` is a facet's name (``theme``, ``region``, ``carrier_kind``...),
    ``value`` the value's key (a slug or an INSEE code). A case filed under a
    finer theme also gets its root theme's key, so that choosing a root
    includes its children. Filtering a facet is ``id IN (keys of the chosen
    values)``; counting it is one ``GROUP BY value`` on this narrow, indexed
    table. Only published cases have rows, so nothing unpublished can leak
    into a count. Rebuilt by ``initiatives.browse.keys``.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="browse_keys")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=120)

    class Meta:
        verbose_name = "clé de navigation"
        verbose_name_plural = "clés de navigation"
        constraints = [
            models.UniqueConstraint(fields=["facet", "value", "initiative"], name="browse_key_unique"),
        ]
        indexes = [models.Index(fields=["initiative", "facet"], name="browse_key_initiative")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class BrowseVersion(models.Model):
    """The version of the facet index: one row, incremented by every write.

    ``UPDATE … SET version = version + 1`` locks the row until the writing
    transaction ends, so versions become visible in the order they were
    given: a reader that sees version N sees every change up to N. The token
    changes with each version: a version number can come back after a
    rolled-back transaction, a random token cannot.
    """

    version = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True)
    # What the derived rows are made of (initiatives.browse.keys.FORMAT): a migration that changes it
    # gets every case rebuilt once, after migrating.
    format = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "version de l'index"
        verbose_name_plural = "versions de l'index"

    def __str__(self):
        return f"version {self.version}"


class BrowseChange(models.Model):
    """A write to the facet index: which case changed (NULL: all of them), at which version.

    Server processes keep the facet index in memory (``initiatives.browse.bitsets``)
    and compare ``BrowseVersion`` with theirs on every request (one query): a
    newer version means "re-read the cases of the changes since mine" (or
    everything, for NULL), so every process is up to date after every write.
    """

    initiative_id = models.BigIntegerField(null=True, db_index=False)
    version = models.BigIntegerField(default=0, db_index=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "modification de l'index"
        verbose_name_plural = "modifications de l'index"

    def __str__(self):
        return f"{self.pk}: {self.initiative_id or 'tout'}"


class PublicVersion(models.Model):
    """The version of what the public pages show: one row, incremented by every write to a case, a
    reference row, a territory, a centre, a tag, the thesaurus… (``initiatives.browse.page_cache``),
    inside the writing transaction. Cached pages are keyed by it, so a page is never served from
    before a write once that write is committed.
    """

    version = models.BigIntegerField(default=0)
    # New with every version: after the database is emptied and filled again, or restored, versions
    # may come back but not with the same token, so no page cached before is taken for a new one.
    token = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "version des pages publiques"
        verbose_name_plural = "versions des pages publiques"

    def __str__(self):
        return f"version {self.version}"
