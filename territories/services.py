"""Writes and rules about territories and resource centres."""

from territories.models import ResourceCentre, Territory


def choose_curating_centre(*, territory: Territory | None, reporting_centre: ResourceCentre | None = None):
    """The resource centre that curates a case (DESIGN, Data model).

    1. the centre that reported the case;
    2. else the centre whose coverage is the most specific for the case's
       place: a coverage territory that contains it, the deepest wins
       (département beats région); ties (two centres covering one région, as in
       Occitanie) go to the first by name, so the choice is stable;
    3. else the national network.
    Two queries at most, whatever the depth.
    """
    if reporting_centre is not None:
        return reporting_centre
    if territory is not None:
        through = ResourceCentre.coverage.through
        match = (
            through.objects.filter(territory__path__in=territory.path_prefixes(), resourcecentre__is_national=False)
            .select_related("resourcecentre")
            .order_by("-territory__depth", "resourcecentre__name")
            .first()
        )
        if match is not None:
            return match.resourcecentre
    return ResourceCentre.objects.filter(is_national=True).first()


def get_or_create_qpv(*, commune: Territory, name: str, code: str | None = None, source: str = "") -> Territory:
    """The QPV of that name in that commune, created on first mention.

    No package ships the QPV list (DESIGN, Reference data): QPV are created as
    the reports name them, with their commune, and the official code when known.
    """
    name = " ".join(name.split())
    qpv = Territory.objects.filter(kind=Territory.Kind.QPV, parent=commune, name__iexact=name).first()
    if qpv is None:
        qpv = Territory(kind=Territory.Kind.QPV, parent=commune, name=name, code=code or None, source=source)
        qpv.save()
    elif code and not qpv.code:
        qpv.code = code
        qpv.save()
    return qpv
