"""A mail backend for the race test: it tells when a digest is being sent, then holds it until told to
go on, so that a second run of ``send_alerts`` starts while the first one holds its subscription."""

import threading

from django.core.mail.backends.locmem import EmailBackend

sending = threading.Event()
go_on = threading.Event()


class HeldBackend(EmailBackend):
    def send_messages(self, messages):
        sending.set()
        go_on.wait(timeout=30)
        return super().send_messages(messages)
