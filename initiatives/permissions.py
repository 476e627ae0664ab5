"""Who may write what: the one place that decides, used by every write path.

- Administrators (superusers) may do everything.
- Curators (staff in the "Curateurs" group, with one or more centres in
  ``User.centres``) see every case; they add cases curated by one of their
  centres and edit, move through the workflow and delete only the cases whose
  curating centre is one of theirs. Reference data stays read-only for them
  (``crpv_site.admin_mixins.ReferenceDataAdmin``).

The admin (views, inlines, actions, history restore), the bulk import and the
proposal queue all ask these functions; hiding a button is never the check.
"""

from django.core.exceptions import PermissionDenied

from territories.models import Territory


def is_admin(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def centre_ids(user) -> frozenset[int]:
    """The centres ``user`` curates (empty for anonymous users and non-staff)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return frozenset()
    return user.curated_centre_ids()


def may_curate_centre(user, centre_id) -> bool:
    return is_admin(user) or (centre_id is not None and centre_id in centre_ids(user))


def may_edit_case(user, initiative) -> bool:
    """Edit, change the status of, restore or delete this case."""
    return is_admin(user) or (
        user.has_perm("initiatives.change_initiative") and may_curate_centre(user, initiative.curating_centre_id)
    )


def may_edit_curated(user, record, action="change") -> bool:
    """Change (or ``action``: delete) a lesson or a resource, and move it through the workflow: its
    curating centre is one of ``user``'s (the national network's for the national reports)."""
    meta = record._meta
    return is_admin(user) or (
        user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")
        and may_curate_centre(user, record.curating_centre_id)
    )


def may_delete_case(user, initiative) -> bool:
    return is_admin(user) or (
        user.has_perm("initiatives.delete_initiative") and may_curate_centre(user, initiative.curating_centre_id)
    )


def actor_cases_elsewhere(user, actor) -> list:
    """The cases using ``actor`` that ``user`` may not edit: a named actor is shared by every centre,
    and a curator who renamed or re-kinded it would change another centre's pages and facets."""
    if is_admin(user) or actor is None or actor.pk is None:
        return []
    cases = actor.involvements.values_list("initiative__curating_centre_id", "initiative__curating_centre__name")
    mine = centre_ids(user)
    return sorted({name or "sans centre" for centre, name in cases if centre is None or centre not in mine})


def may_edit_actor(user, actor) -> bool:
    """Change or delete an actor: every case using it is one of ``user``'s centres' (or none uses it)."""
    return is_admin(user) or not actor_cases_elsewhere(user, actor)


def covers(user, territory) -> bool:
    """Whether ``territory`` lies inside the coverage of one of ``user``'s centres (administrators: anywhere)."""
    if is_admin(user):
        return True
    if territory is None or not centre_ids(user):
        return False
    coverage = Territory.objects.filter(resource_centres__in=centre_ids(user)).values_list("path", flat=True)
    return territory.path.startswith(tuple(coverage))


def may_add_neighbourhood(user, commune) -> bool:
    """A curator adds a QPV or quartier under a commune (or arrondissement) their centres cover."""
    return (
        user.has_perm("territories.add_territory")
        and commune is not None
        and commune.kind in (Territory.Kind.COMMUNE, Territory.Kind.ARRONDISSEMENT)
        and covers(user, commune)
    )


def may_add_case(user) -> bool:
    return is_admin(user) or (user.has_perm("initiatives.add_initiative") and bool(centre_ids(user)))


def check_may_edit(user, initiatives) -> None:
    """Raise PermissionDenied naming the cases ``user`` may not edit (all or nothing)."""
    refused = [i for i in initiatives if not may_edit_case(user, i)]
    if refused:
        names = ", ".join(f"« {i.title[:60]} »" for i in refused[:5])
        more = f" et {len(refused) - 5} autre(s)" if len(refused) > 5 else ""
        raise PermissionDenied(f"Ces cas ne relèvent pas de vos centres de ressources : {names}{more}.")


def proposals_visible_to(user, queryset):
    """Proposals carry a private e-mail: curators see those of their centres only."""
    if is_admin(user):
        return queryset
    return queryset.filter(centre_id__in=centre_ids(user))
