from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Supprime la double authentification d'un compte (applications et codes de secours) : "
        "la personne en associe une nouvelle à sa prochaine connexion. Pour un téléphone perdu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="l'adresse de connexion du compte")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte n'a l'adresse {email}.")
        removed = sum(model.objects.filter(user=user).delete()[0] for model in (TOTPDevice, StaticDevice))
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.email} : {removed} dispositif{'s' if removed > 1 else ''} de double authentification "
                "supprimé(s). À sa prochaine connexion, la personne associera une nouvelle application "
                "(pensez à lui faire changer son mot de passe si elle a pu être compromise)."
            )
        )
