"""The second factor of staff (issue 13, finding 5): a TOTP code from an authenticator app (django-otp).

With ``OTP_REQUIRED`` on (the production default), an administrator or curator logged in with their
password reaches ``/admin/`` only once this session passed a code:

- ``StaffSecondFactorMiddleware`` sends an unverified staff member from any ``/admin/`` page (but the
  login, logout and password-reset pages) to ``/compte/second-facteur/?next=…``;
- there, someone with a confirmed device types the current code (or a one-time backup code of
  django-otp's static plugin, ``manage.py addstatictoken``); someone without one enrols: the page shows
  the QR code (SVG drawn on the server, no JavaScript) and the secret as text, and the first right code
  confirms the device. Wrong codes are throttled by django-otp (an increasing delay after each failure).

Recovery: ``manage.py reset_second_factor --email …`` removes a person's devices; they enrol again at
their next login (docs/operations.md, "Sécurité"). With ``OTP_REQUIRED`` off, the password is enough.
"""

import base64

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Application d'authentification"
# Pages of /admin/ an unverified staff member still needs: logging in and out, a forgotten password.
OPEN_ADMIN_PAGES = ("login/", "logout/", "password_reset/")


class StaffSecondFactorMiddleware:
    """Under ``/admin/``, a staff member whose session has not passed the second factor is sent to it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if settings.OTP_REQUIRED and self._guarded(request.path):
            user = request.user
            if user.is_authenticated and user.is_staff and not user.is_verified():
                return redirect(f"{reverse('second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _guarded(self, path):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if not path.startswith(self.prefix):
            return False
        return not path[len(self.prefix) :].startswith(OPEN_ADMIN_PAGES)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "Tapez le code affiché par votre application."},
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())  # "123 456" as some apps show it


def qr_code_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG (drawn here: nothing is fetched, no script)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg class="qr-code" role="img" aria-label="QR code de votre compte" ', 1)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _enrolment_device(user):
    """The device being enrolled: kept unconfirmed between the page and the code, so a reload shows the
    same QR code; dropped by ``reset_second_factor`` like the others."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    user = request.user
    if not user.is_staff:
        return redirect("home")
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    enrolling = not user_has_device(user, confirmed=True)
    device = _enrolment_device(user) if enrolling else None
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        matched = (device if device.verify_token(code) else None) if enrolling else match_token(user, code)
        if matched is not None:
            if enrolling:
                matched.confirmed = True
                matched.save(update_fields=["confirmed"])
            otp_login(request, matched)
            return redirect(next_url)
        form.add_error("code", "Code incorrect ou expiré. Attendez le code suivant et réessayez.")
    context = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        context["qr_code"] = mark_safe(qr_code_svg(device.config_url))  # our own SVG, no user text in it
        secret = base64.b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "account/second_factor.html", context)
