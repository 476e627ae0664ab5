"""The models of the ``initiatives`` app, one module per concept; imported here so that
``initiatives.models.Initiative`` and Django's app registry find them all."""

from initiatives.models.reference import CrisisPeriod, Public, Source, Theme, ThesaurusEntry  # noqa: I001 — dependency order
from initiatives.models.actors import Actor, ActorAlias, ActorQuerySet, Involvement
from initiatives.models.cases import FormerSlug, Initiative, InitiativeQuerySet, KeyFigure
from initiatives.models.citations import Citation
from initiatives.models.index import (
    BrowseChange,
    BrowseKey,
    BrowseVersion,
    PublicVersion,
    SearchDocument,
    SearchWord,
)
from initiatives.models.proposals import Proposal, ProposalCounter
from initiatives.models.alerts import AlertDigest, AlertSubscription
from initiatives.models.knowledge import Lesson, LessonCitation, LessonEvidence, Resource

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorQuerySet",
    "AlertDigest",
    "AlertSubscription",
    "BrowseChange",
    "BrowseKey",
    "BrowseVersion",
    "Citation",
    "CrisisPeriod",
    "FormerSlug",
    "Initiative",
    "InitiativeQuerySet",
    "Involvement",
    "KeyFigure",
    "Lesson",
    "LessonCitation",
    "LessonEvidence",
    "Proposal",
    "ProposalCounter",
    "Public",
    "PublicVersion",
    "Resource",
    "SearchDocument",
    "SearchWord",
    "Source",
    "Theme",
    "ThesaurusEntry",
]
