"""The custom user: e-mail login, from the very first migration (Django's advice)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("Un super-utilisateur doit avoir is_staff et is_superuser.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person with an account: administrators and, later, resource-centre curators.

    Login is by e-mail; there is no username. E-mails are stored lower-cased
    and unique, so that "Jeanne@X.fr" and "jeanne@x.fr" are one account.
    """

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    centres = models.ManyToManyField(
        "territories.ResourceCentre",
        verbose_name="centres de ressources curés",
        blank=True,
        related_name="curators",
        help_text="Un·e curateur·rice modifie, publie et supprime les cas dont le centre référent est l'un des siens.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def curated_centre_ids(self) -> frozenset[int]:
        """Ids of the centres this person curates (cached on the instance for the request)."""
        if not hasattr(self, "_curated_centre_ids"):
            self._curated_centre_ids = frozenset(self.centres.values_list("pk", flat=True)) if self.pk else frozenset()
        return self._curated_centre_ids
