from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crpv_site.accounts import onboard_curator, password_setting_link


class Command(BaseCommand):
    help = (
        "Crée ou met à jour un compte de curateur·rice (membre du groupe « Curateurs ») rattaché "
        "à un ou plusieurs centres de ressources. Sans --password, affiche un lien à usage unique "
        "pour choisir son mot de passe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="adresse e-mail (identifiant de connexion)")
        parser.add_argument(
            "--centre",
            action="append",
            required=True,
            dest="centres",
            metavar="SLUG",
            help="identifiant du centre de ressources (répétable) ; remplace les centres existants",
        )
        parser.add_argument("--password", help="mot de passe (sinon : lien à usage unique)")

    def handle(self, *args, email, centres, password=None, **options):
        try:
            user, created = onboard_curator(email=email, centre_slugs=centres, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        names = ", ".join(user.centres.order_by("name").values_list("name", flat=True))
        verb = "créé" if created else "mis à jour"
        self.stdout.write(self.style.SUCCESS(f"Compte de curateur·rice {verb} : {user.email} ({names})"))
        if password is None:
            self.stdout.write(
                f"Lien à usage unique pour choisir un mot de passe (valable 3 jours) :\n{password_setting_link(user)}"
            )
