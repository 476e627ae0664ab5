"""Following a search: the Atom feed of any list (``feeds``) and e-mail alerts without an account
(subscription with double opt-in, digests sent by ``manage.py send_alerts``, one-click unsubscribe)."""
