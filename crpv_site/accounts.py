"""Onboarding of resource-centre staff (``manage.py create_curator``)."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from crpv_site.models import User
from crpv_site.roles import ensure_curator_group
from territories.models import ResourceCentre


def password_setting_link(user) -> str:
    """An absolute link (from SITE_URL) where ``user`` chooses a password.

    Django's reset token: it stops working once the password is set (the token
    hashes the password) and after PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def onboard_curator(*, email: str, centre_slugs: list[str], password: str | None = None):
    """Create or update a curator: staff, in the "Curateurs" group, curating exactly ``centre_slugs``.

    Returns ``(user, created)``. Raises ValidationError with a French message
    on a bad e-mail, an unknown centre or a password the validators refuse.
    """
    email = (email or "").strip().lower()
    validate_email(email)
    slugs = list(dict.fromkeys(s.strip() for s in centre_slugs if s.strip()))
    if not slugs:
        raise ValidationError("Indiquez au moins un centre de ressources (--centre SLUG).")
    centres = list(ResourceCentre.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {c.slug for c in centres})
    if unknown:
        known = ", ".join(ResourceCentre.objects.order_by("slug").values_list("slug", flat=True))
        raise ValidationError(f"Centre(s) inconnu(s) : {', '.join(unknown)}. Centres existants : {known}.")
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email)
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = True
    user.is_active = True
    user.save()
    user.groups.add(ensure_curator_group())
    user.centres.set(centres)
    return user, created
