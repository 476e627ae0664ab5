"""Groups and their permissions, created by code so every database gets the same ones.

The curation issue refines what curators may do per resource centre; this
module only gives the "Curateurs" group the model permissions of daily work:
edit cases, their actors, involvements, citations and key figures, lessons and resources; view (not
change) reference data, which the admin's autocomplete widgets need.
"""

from django.contrib.auth.models import Group, Permission

CURATORS = "Curateurs"

_EDIT = {
    "initiatives": [
        "initiative",
        "involvement",
        "citation",
        "keyfigure",
        "actor",
        "actoralias",
        # what the reports learned and the resources they name (initiatives.knowledge), per centre
        "lesson",
        "lessoncitation",
        "lessonevidence",
        "resource",
    ],
}
# Proposals: read them and handle them (accept / reject); never add (the public form does) nor delete.
_VIEW_CHANGE = {
    "initiatives": ["proposal"],
}
_VIEW = {
    "territories": ["territory", "resourcecentre"],
    "initiatives": ["theme", "public", "crisisperiod", "source"],
    "taggit": ["tag"],
}
# Add, not change nor delete: a neighbourhood (QPV or quartier) under a commune of their coverage, and
# the source of a new report (the admin narrows both; administrators edit and delete them).
_ADD = {
    "territories": ["territory"],
    "initiatives": ["source"],
}


def curator_permissions():
    wanted = []
    for app, models in _EDIT.items():
        for model in models:
            wanted += [(app, f"{action}_{model}") for action in ("add", "change", "delete", "view")]
    for app, models in _VIEW_CHANGE.items():
        wanted += [(app, f"{action}_{model}") for action in ("change", "view") for model in models]
    for app, models in _VIEW.items():
        wanted += [(app, f"view_{model}") for model in models]
    for app, models in _ADD.items():
        wanted += [(app, f"add_{model}") for model in models]
    perms = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted}).select_related("content_type")
    return [p for p in perms if (p.content_type.app_label, p.codename) in set(wanted)]


def ensure_curator_group() -> Group:
    group, _ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(curator_permissions())
    return group
