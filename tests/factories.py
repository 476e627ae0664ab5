"""Factories for behaviour tests: a small, coherent territory tree and cases on it."""

import factory
from django.utils import timezone

from initiatives.models import Actor, Citation, CrisisPeriod, Initiative, Involvement, Public, Source, Theme
from territories.models import ResourceCentre, Territory


def france():
    country = Territory.objects.filter(kind="country", code="FR").first()
    if country is None:
        country = Territory(kind="country", code="FR", name="France")
        country.save()
    return country


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    kind = Territory.Kind.REGION
    name = factory.Sequence(lambda n: f"Territoire {n}")
    code = factory.Sequence(lambda n: f"{n + 100}")
    parent = factory.LazyFunction(france)


class RegionFactory(TerritoryFactory):
    kind = Territory.Kind.REGION
    name = factory.Sequence(lambda n: f"Région {n}")
    code = factory.Sequence(lambda n: f"R{n}")


class DepartmentFactory(TerritoryFactory):
    kind = Territory.Kind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Département {n}")
    code = factory.Sequence(lambda n: f"D{n}")
    parent = factory.SubFactory(RegionFactory)


class CommuneFactory(TerritoryFactory):
    kind = Territory.Kind.COMMUNE
    name = factory.Sequence(lambda n: f"Commune {n}")
    code = factory.Sequence(lambda n: f"C{n:05d}")
    parent = factory.SubFactory(DepartmentFactory)


class QpvFactory(TerritoryFactory):
    kind = Territory.Kind.QPV
    name = factory.Sequence(lambda n: f"Quartier {n}")
    code = None
    parent = factory.SubFactory(CommuneFactory)


class ResourceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceCentre
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Centre de ressources {n}")
    short_name = factory.Sequence(lambda n: f"CR{n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")

    @factory.post_generation
    def coverage(self, create, extracted, **kwargs):
        if create and extracted:
            self.coverage.set(extracted)


def national_network():
    centre = ResourceCentre.objects.filter(is_national=True).first()
    if centre is None:
        centre = ResourceCentreFactory(name="Réseau national", slug="reseau-national", is_national=True)
        centre.coverage.set([france()])
    return centre


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PublicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Public

    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.Sequence(lambda n: f"public-{n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisPeriod

    name = factory.Sequence(lambda n: f"Période {n}")
    slug = factory.Sequence(lambda n: f"periode-{n}")
    start = timezone.datetime(2020, 3, 17).date()


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"rapport-{n}")
    publisher = "Éditeur"
    title = factory.Sequence(lambda n: f"Rapport {n}")
    year = 2020


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = Actor.Kind.FORMAL
    category = Actor.Category.ASSOCIATION


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    summary = "Une action de proximité."
    territory = factory.SubFactory(CommuneFactory)
    documentation_level = Initiative.DocumentationLevel.DESCRIBED
    status = Initiative.Status.PUBLISHED


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    initiative = factory.SubFactory(InitiativeFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Involvement.Role.CARRIER


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    initiative = factory.SubFactory(InitiativeFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "Encadré"
    excerpt = "Un extrait fidèle du rapport qui décrit ce cas précis."


def make_curator(email, centres, password="motdepasse-curateur"):
    """A staff user in the "Curateurs" group curating ``centres`` (as ``create_curator`` makes them)."""
    from crpv_site.models import User
    from crpv_site.roles import ensure_curator_group

    user = User.objects.create_user(email=email, password=password, is_staff=True)
    user.groups.add(ensure_curator_group())
    user.centres.set(centres)
    return user
