"""Writes with rules about cases (DESIGN, Data flow): keyword-only, in a transaction.

Every function checks permissions itself (``initiatives.permissions``), records
a revision in the history (django-reversion) with who and why, and rebuilds the
derived data of the cases it touched (``browse_index.refresh``).
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from initiatives import history, permissions
from initiatives.models import Initiative

Status = Initiative.Status

# The editorial workflow: draft → in review → published → archived, and back to draft from anywhere.
TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW},
    Status.REVIEW: {Status.PUBLISHED, Status.DRAFT},
    Status.PUBLISHED: {Status.ARCHIVED, Status.DRAFT},
    Status.ARCHIVED: {Status.DRAFT},
}


def transition_error(initiative, to) -> str | None:
    """Why ``initiative`` may not move to status ``to`` (None when it may)."""
    current = Status(initiative.status)
    to = Status(to)
    if to == current:
        return None
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(str(s.label) for s in TRANSITIONS[current])
        return f"« {initiative.title[:60]} » est {current.label} : il peut passer à {allowed}, pas à {to.label}."
    if to != Status.DRAFT and initiative.territory_id is None:
        return f"« {initiative.title[:60]} » n'a pas de territoire : il reste en brouillon."
    return None


def apply_status(initiative, to) -> None:
    """Set the status and keep the first publication date (never cleared, never moved)."""
    initiative.status = to
    if to == Status.PUBLISHED and initiative.published_at is None:
        initiative.published_at = timezone.now()


@transaction.atomic
def change_status(*, initiatives, to, user) -> int:
    """Move every case to ``to``, or none of them (a refusal names the cases). Returns how many moved."""
    initiatives = list(initiatives)
    permissions.check_may_edit(user, initiatives)
    errors = [e for e in (transition_error(i, to) for i in initiatives) if e]
    if errors:
        raise ValidationError(errors)
    moved = [i for i in initiatives if i.status != to]
    if not moved:
        return 0
    history.ensure_initial_versions(moved)
    for initiative in moved:  # one revision per case: restoring one case never reverts another
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Statut : {Status(to).label}")
            apply_status(initiative, to)
            initiative.save(update_fields=["status", "published_at", "updated_at"])
            reversion.add_to_revision(initiative)  # save() has rebuilt its derived data
    return len(moved)


@transaction.atomic
def set_needs_update(*, initiatives, value: bool, user) -> int:
    initiatives = list(initiatives)
    permissions.check_may_edit(user, initiatives)
    changed = [i for i in initiatives if i.needs_update != value]
    history.ensure_initial_versions(changed)
    for initiative in changed:
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment("Marqué « à mettre à jour »" if value else "Marque « à mettre à jour » retirée")
            initiative.needs_update = value
            initiative.save(update_fields=["needs_update", "updated_at"])
            reversion.add_to_revision(initiative)
    return len(changed)
