"""The e-mails of the alerts: the confirmation request and the digest (French, plain text + HTML).

Links are absolute, built from ``settings.SITE_URL``: they are sent from a command, outside any
request. Every digest carries its unsubscription link in the body and in the ``List-Unsubscribe``
header, with ``List-Unsubscribe-Post`` so that mail programs offer a one-click unsubscribe (RFC 8058).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

SUBJECT_MAX = 150


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscription) -> str:
    return absolute(reverse("alerts:confirm", kwargs={"token": subscription.token}))


def unsubscribe_url(subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": subscription.token}))


def _one_line(text: str, limit: int) -> str:
    """Header-safe: no line break can reach a subject."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(subject, template, context, to, headers=None) -> EmailMultiAlternatives:
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(_one_line(subject, SUBJECT_MAX), text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscription, *, list_url: str, hours: int) -> EmailMultiAlternatives:
    context = {
        "subscription": subscription,
        "confirm_url": confirm_url(subscription),
        "list_url": absolute(list_url),
        "hours": hours,
        "personal_data_url": absolute(reverse("personal_data")),
    }
    subject = f"[Proximités] Confirmez votre alerte : {subscription.label}"
    return _message(subject, "confirm", context, subscription.email)


def digest_message(subscription, *, cases, total, since, list_url) -> EmailMultiAlternatives:
    """One e-mail for the period: ``cases`` (the newest ``len(cases)`` of ``total``), each with its link."""
    unsubscribe = unsubscribe_url(subscription)
    context = {
        "subscription": subscription,
        "cases": [(case, absolute(case.get_absolute_url()), case.published_at > since) for case in cases],
        "total": total,
        "more": total - len(cases),
        "since": since,
        "list_url": absolute(list_url),
        "unsubscribe_url": unsubscribe,
        "personal_data_url": absolute(reverse("personal_data")),
    }
    s = "s" if total > 1 else ""
    subject = f"[Proximités] {total} initiative{s} nouvelle{s} ou mise{s} à jour : {subscription.label}"
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return _message(subject, "digest", context, subscription.email, headers)
