"""Logging filters (``LOGGING`` in settings).

``OneLineClientErrors``: Django logs a refused request (``PermissionDenied`` -> 403, and the other
4xx it logs from an exception) with the exception's whole traceback, one per refusal: a curator
opening another centre's restore form filled the log with stack traces. A client error is not a
bug of ours: one line is enough (the request path, and the exception's message when it has one).
Server errors (5xx) keep their traceback.
"""

import logging


class OneLineClientErrors(logging.Filter):
    def filter(self, record):
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and 400 <= status < 500:
            error = record.exc_info[1]
            reason = " ".join(str(error).split())[:200] if error is not None else ""
            if reason:
                record.msg = f"{record.msg} ({reason.replace('%', '%%')})"
            record.exc_info = None
            record.exc_text = None
        return True
