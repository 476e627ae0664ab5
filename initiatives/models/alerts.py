"""E-mail alerts on a saved search, without an account (see ``initiatives.alerts``).

A subscription holds an address, the list's parameters it follows and a frequency. It is
unconfirmed until its owner opens the link of the confirmation e-mail; nothing else is sent
before. ``checked_until`` is the end of the last period ``send_alerts`` examined: the next digest
holds the cases published or updated after it. Each digest sent is an ``AlertDigest`` whose
(subscription, start of period) pair is unique, so two runs that read the same state cannot both
send. Unsubscribing deletes the subscription and its digests: nothing of the address is kept.
"""

from django.db import models


class AlertSubscription(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "hebdomadaire"
        DAILY = "daily", "quotidienne"

    QUERY_MAX = 2000
    LABEL_MAX = 500

    email = models.EmailField("adresse e-mail", max_length=254)
    query = models.CharField("recherche (paramètres de la liste)", max_length=QUERY_MAX, blank=True)
    label = models.CharField("recherche", max_length=LABEL_MAX, blank=True)
    frequency = models.CharField("fréquence", max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    # The secret of the confirmation and unsubscription links (random, URL-safe).
    token = models.CharField("jeton", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("demandé le", auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True, db_index=True)
    checked_until = models.DateTimeField("cas examinés jusqu'au", null=True, blank=True)
    last_digest_at = models.DateTimeField("dernier envoi le", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement aux alertes"
        verbose_name_plural = "abonnements aux alertes"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label or 'toutes les initiatives'} ({self.get_frequency_display()})"


class AlertDigest(models.Model):
    """One digest e-mail sent: to which subscription, for which period, with which cases."""

    subscription = models.ForeignKey(
        AlertSubscription, verbose_name="abonnement", on_delete=models.CASCADE, related_name="digests"
    )
    period_start = models.DateTimeField("cas modifiés après le")
    period_end = models.DateTimeField("et jusqu'au")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    cases = models.JSONField("cas envoyés (identifiants)", default=list)

    class Meta:
        verbose_name = "envoi d'alerte"
        verbose_name_plural = "envois d'alertes"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_start"], name="one_digest_per_alert_period"),
        ]

    def __str__(self):
        return f"{len(self.cases)} cas, {self.sent_at:%d/%m/%Y %H:%M}"
