from argparse import ArgumentTypeError
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone

from initiatives.alerts import digests
from initiatives.alerts.services import purge_unconfirmed

OUTCOMES = {
    digests.SENT: "e-mail envoyé",
    digests.NOTHING_NEW: "rien de nouveau, pas d'e-mail",
    digests.INVALID: "recherche plus comprise, laissée en attente",
    digests.SKIPPED: "déjà traité par un autre envoi",
    digests.FAILED: "échec de l'envoi, réessayé au prochain passage",
}


def _n(count, one, many):
    return f"{count} {one if count <= 1 else many}"


def _moment(text):
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ArgumentTypeError(f"« {text} » n'est pas une date-heure ISO (2026-12-07T07:00)") from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Envoie les alertes e-mail dues (un e-mail par abonnement confirmé dont la période, jour ou semaine, "
        "est écoulée, avec les cas publiés ou mis à jour depuis le précédent) et efface les demandes non "
        "confirmées à temps. Sans effet si on le relance : à lancer par cron, chaque heure ou chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            type=_moment,
            default=None,
            help="Faire comme s'il était cette date-heure ISO (essais, rattrapage) ; par défaut : maintenant.",
        )

    def handle(self, *args, now=None, **options):
        now = now or timezone.now()
        purged = purge_unconfirmed(now)
        verbose = options.get("verbosity", 1) > 1

        def progress(pk, outcome, count):
            if verbose or outcome in (digests.FAILED, digests.INVALID):
                detail = f" ({count} cas)" if count else ""
                self.stdout.write(f"abonnement {pk} : {OUTCOMES[outcome]}{detail}")

        report = digests.send_due(now=now, progress=progress)
        when = formats.date_format(timezone.localtime(now), "DATETIME_FORMAT")
        counts = report.outcomes
        summary = (
            f"Alertes au {when} : {_n(report.due, 'abonnement dû', 'abonnements dus')}, "
            f"{_n(counts[digests.SENT], 'e-mail envoyé', 'e-mails envoyés')} ({report.cases_sent} cas), "
            f"{counts[digests.NOTHING_NEW]} sans nouveauté, "
            f"{_n(counts[digests.SKIPPED], 'déjà traité', 'déjà traités')} par un autre envoi, "
            f"{_n(counts[digests.INVALID], 'recherche plus comprise', 'recherches plus comprises')}, "
            f"{_n(counts[digests.FAILED], 'échec', 'échecs')} ; "
            f"{_n(purged, 'demande non confirmée effacée', 'demandes non confirmées effacées')}."
        )
        self.stdout.write(summary)
        if report.outcomes[digests.FAILED]:
            raise CommandError(f"{report.outcomes[digests.FAILED]} envoi(s) en échec : voir le journal.")
