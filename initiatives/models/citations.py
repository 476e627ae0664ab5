"""Where a case comes from: located, verbatim excerpts of the reports."""

import reversion
from django.db import models

from initiatives.models.cases import Initiative
from initiatives.models.reference import Source


@reversion.register()
class Citation(models.Model):
    """Where a case comes from: a verbatim excerpt of a report, located."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(
        "emplacement", max_length=300, help_text="Titre de l'encadré, intertitre ou fiche où se trouve l'extrait."
    )
    excerpt = models.TextField("extrait (verbatim)")
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "citation"
        verbose_name_plural = "citations"
        ordering = ["initiative", "position", "pk"]

    def __str__(self):
        return f"{self.source.slug} — {self.locator}"
