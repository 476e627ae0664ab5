from django.core.management.base import BaseCommand
from django.utils import formats, timezone

from initiatives.models import Proposal
from initiatives.proposals.retention import purge_contacts


def _status_label(status, n):
    label = dict(Proposal.Status.choices).get(status, status)  # "à traiter", "acceptée", "rejetée"
    return label if n == 1 or label.startswith("à ") else f"{label}s"


class Command(BaseCommand):
    help = (
        "Efface l'e-mail de contact des propositions reçues il y a plus de PROPOSAL_CONTACT_RETENTION_DAYS "
        "jours, quel que soit leur statut ; les propositions elles-mêmes sont gardées. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter ce qui serait effacé, sans rien changer.")

    def handle(self, *args, dry_run=False, **options):
        purge = purge_contacts(dry_run=dry_run)
        cutoff = formats.date_format(timezone.localtime(purge.cutoff), "DATETIME_FORMAT")
        detail = ", ".join(f"{n} {_status_label(status, n)}" for status, n in purge.by_status.items())
        s = "s" if purge.total > 1 else ""
        if dry_run:
            verb = f"serai{'en' if purge.total > 1 else ''}t effacé{s}"
            prefix = "Simulation, rien n'est changé : "
        else:
            verb = f"effacé{s}"
            prefix = ""
        self.stdout.write(
            f"{prefix}{purge.total} e-mail{s} de contact {verb} (propositions reçues avant le {cutoff}, "
            f"durée de conservation : {purge.days} jours){f', dont {detail}' if detail else ''}."
        )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Les propositions elles-mêmes sont conservées."))
