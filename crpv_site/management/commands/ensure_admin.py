from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Crée (ou remet à jour) un compte administrateur local, pour `make run` (développement seulement)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)

    def handle(self, *args, email, password, **options):
        # A known password on whatever DATABASE_URL points to (issue 13, finding 10): development only.
        # In production the first administrator is created with `createsuperuser` (docs/operations.md).
        if not settings.DEBUG:
            raise CommandError(
                "ensure_admin ne sert qu'en développement (DJANGO_DEBUG=1) : il donnerait un mot de passe connu "
                "à un administrateur. En production, créez le premier compte avec « manage.py createsuperuser » "
                "(docs/operations.md, « Sécurité »). Rien n'a été modifié."
            )
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first() or User(email=email)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Compte administrateur prêt : {user.email}"))
