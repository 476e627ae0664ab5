"""Writes with rules about cases (DESIGN, Data flow): keyword-only, in a transaction.

Every function checks permissions itself (``initiatives.permissions``), records
a revision in the history (django-reversion) with who and why, and runs inside
the write boundary (``initiatives.browse.keys.writing``), which rebuilds the
derived data of every case it touched once, at the end. The shared pieces of
every writer (workflow rules, first versions, unique slugs, named actors) live
here too.
"""

from typing import NamedTuple

import reversion
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from reversion.models import Version

from initiatives import permissions
from initiatives.browse.keys import writing
from initiatives.models import Actor, ActorAlias, Initiative
from initiatives.models.cases import territory_problem
from initiatives.text import normalise_name

Status = Initiative.Status

# The editorial workflow: draft → in review → published → archived, and back to draft from anywhere.
TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW},
    Status.REVIEW: {Status.PUBLISHED, Status.DRAFT},
    Status.PUBLISHED: {Status.ARCHIVED, Status.DRAFT},
    Status.ARCHIVED: {Status.DRAFT},
}


def may_move(current, to) -> bool:
    """Whether the workflow lets a case at status ``current`` move to ``to`` (staying is always allowed)."""
    return Status(to) == Status(current) or Status(to) in TRANSITIONS[Status(current)]


def next_statuses(current) -> str:
    """The statuses a case at ``current`` may move to, in workflow order, for messages."""
    return ", ".join(str(s.label) for s in Status if s in TRANSITIONS[Status(current)])


class Record(NamedTuple):
    """How a workflow message names the record it speaks of (French agrees with its gender)."""

    one: str  # "un cas"
    new: str  # "un nouveau cas"
    archived: str  # "archivé"


CASE = Record("un cas", "un nouveau cas", "archivé")
SHEET = Record("une fiche", "une nouvelle fiche", "archivée")  # a lesson or a resource: the cases' workflow


def status_problem(current, to, record=CASE) -> str | None:
    """Why a ``record`` at status ``current`` (None: one not created yet) may not move to ``to``; None when it may.

    The one wording of the workflow rule: the case form, the workflow actions,
    the spreadsheet import and the lessons' and resources' form all show it.
    """
    to = Status(to)
    if current is None:
        return f"{record.new} ne peut pas être {record.archived}" if to == Status.ARCHIVED else None
    current = Status(current)
    if may_move(current, to):
        return None
    return f"{record.one} « {current.label} » peut passer à : {next_statuses(current)} ; pas à « {to.label} »"


def publication_problem(initiative, to, user) -> str | None:
    """Four eyes: in a centre that asks for them (``requires_second_person``), whoever submitted a
    case for review does not publish it; another curator of the centre, or an administrator, does."""
    if Status(to) != Status.PUBLISHED or Status(initiative.status) == Status.PUBLISHED or user is None:
        return None
    centre = initiative.curating_centre
    if centre is None or not centre.requires_second_person or initiative.submitted_by_id != user.pk:
        return None
    return (
        f"{centre.short_name or centre.name} publie à quatre yeux : vous avez soumis ce cas à relecture, "
        "une autre personne le publie"
    )


def note_status_change(initiative, before, to, user) -> None:
    """What a change of status (from ``before``, None for a new case) records: who submitted it for review."""
    if Status(to) == Status.REVIEW and before != Status.REVIEW:
        initiative.submitted_by = user


def transition_error(initiative, to, user=None) -> str | None:
    """Why ``initiative`` may not move to status ``to`` (None when it may), naming the case."""
    problem = (
        status_problem(initiative.status, to)
        or territory_problem(to, initiative.territory_id)
        or publication_problem(initiative, to, user)
    )
    return f"« {initiative.title[:60]} » : {problem}." if problem else None


@writing()
def change_status(*, initiatives, to, user) -> int:
    """Move every case to ``to``, or none of them (a refusal names the cases). Returns how many moved."""
    initiatives = list(initiatives)
    permissions.check_may_edit(user, initiatives)
    errors = [e for e in (transition_error(i, to, user) for i in initiatives) if e]
    if errors:
        raise ValidationError(errors)
    moved = [i for i in initiatives if i.status != to]
    if not moved:
        return 0
    ensure_initial_versions(moved)
    for initiative in moved:  # one revision per case: restoring one case never reverts another
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Statut : {Status(to).label}")
            note_status_change(initiative, initiative.status, to, user)
            initiative.status = to  # save() sets the first publication date, and never moves it
            initiative.save(update_fields=["status", "published_at", "submitted_by", "updated_at"])
            reversion.add_to_revision(initiative)
    return len(moved)


@writing()
def set_needs_update(*, initiatives, value: bool, user) -> int:
    initiatives = list(initiatives)
    permissions.check_may_edit(user, initiatives)
    changed = [i for i in initiatives if i.needs_update != value]
    ensure_initial_versions(changed)
    for initiative in changed:
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment("Marqué « à mettre à jour »" if value else "Marque « à mettre à jour » retirée")
            initiative.needs_update = value
            initiative.save(update_fields=["needs_update", "updated_at"])
            reversion.add_to_revision(initiative)
    return len(changed)


def ensure_initial_versions(records):
    """Give a first version to cases, lessons or resources that have none (loaded, or made before
    history existed).

    Without it the first edit of such a record would be its first version: there
    would be nothing to compare with nor to restore. Must run outside any
    revision block (a nested block would merge into the outer one and store the
    state at its end): the admin calls it before its own revision starts.
    """
    if reversion.is_active():
        return
    records = list(records)
    versioned = set()
    for model in {type(record) for record in records}:
        ids = [str(r.pk) for r in records if type(r) is model]
        versioned |= {
            (model, pk)
            for pk in Version.objects.get_for_model(model).filter(object_id__in=ids).values_list("object_id", flat=True)
        }
    for record in records:
        if (type(record), str(record.pk)) not in versioned:
            # One revision per record: restoring one never reverts another.
            with reversion.create_revision():
                reversion.set_comment("État initial (avant la première modification enregistrée)")
                reversion.add_to_revision(record)


def unique_slug(model, text, *, max_length, fallback) -> str:
    """A slug of ``text`` that no other ``model`` row has: "-2", "-3"... appended, within ``max_length``."""
    base = (slugify(text) or fallback)[:max_length].strip("-") or fallback
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = f"{base[: max_length - len(suffix)]}{suffix}", n + 1
    return slug


def find_named_actor(name):
    """The one row of a named organisation, by normalised name or alias (None if unknown)."""
    key = normalise_name(name)
    actor = Actor.objects.named().filter(normalised_name=key).first()
    if actor is None:
        alias = ActorAlias.objects.filter(normalised_name=key).select_related("actor").first()
        actor = alias.actor if alias else None
    return actor


def named_actor(name, *, kind="", category="") -> Actor:
    """The named organisation ``name`` (normalised name or alias), created with ``kind``/``category`` if new.

    Shared by every writer (case files, the spreadsheet import, accepted
    proposals): a named organisation is one row across all cases (DESIGN).
    """
    actor = find_named_actor(name)
    if actor is None:
        actor = Actor(name=name, kind=kind, category=category)
        actor.slug = unique_slug(Actor, name, max_length=200, fallback="acteur")
        actor.save()
    return actor
