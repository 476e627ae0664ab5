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


def get_or_create_neighbourhood(
    *, commune: Territory, name: str, kind: str = Territory.Kind.QPV, code: str | None = None, source: str = ""
) -> Territory:
    """The neighbourhood of that name in that commune, created on first mention.

    ``kind`` is ``qpv`` (a quartier prioritaire) or ``quartier`` (a neighbourhood
    a report names without calling it a QPV). A ``quartier`` later known as a QPV
    (the official list, a report) is upgraded in place, never duplicated; a QPV
    stays a QPV whoever names it a mere neighbourhood. The official code is
    filled in when it becomes known.
    """
    name = " ".join(name.split())
    place = (
        Territory.objects.filter(kind__in=Territory.NEIGHBOURHOODS, parent=commune, name__iexact=name)
        .order_by("kind")  # "qpv" before "quartier"
        .first()
    )
    if place is None:
        place = Territory(kind=kind, parent=commune, name=name, code=code or None, source=source)
        place.save()
        return place
    changed = False
    if kind == Territory.Kind.QPV and place.kind != kind:
        place.kind, changed = kind, True
    if code and not place.code:
        place.code, changed = code, True
    if changed:
        place.save()
    return place


def get_or_create_qpv(*, commune: Territory, name: str, code: str | None = None, source: str = "") -> Territory:
    """The QPV of that name in that commune (see ``get_or_create_neighbourhood``)."""
    return get_or_create_neighbourhood(commune=commune, name=name, kind=Territory.Kind.QPV, code=code, source=source)
