"""Real server processes for tests: gunicorn (or `make serve`) in its own process group, on a free
loopback port, waited for through /healthz and stopped at the end, whatever happens."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
START_TIMEOUT = 120  # seconds: `make serve` migrates and collects the static files first


def server_env(**extra):
    """The test's environment without its Django settings, with the virtualenv first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PAGE_"))}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT), **extra)
    return env


def postgres_server(db) -> str:
    """``postgres://user[:password]@host:port`` of a Django database settings dict (no database name)."""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=15) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


class Server:
    def __init__(self, command, env, port, log):
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._output = log.open("w")
        self.process = subprocess.Popen(
            command,
            shell=True,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"le serveur s'est arrêté ({self.process.returncode}) :\n{self.log.read_text()[-3000:]}")
            try:
                if get(self.url + "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail(f"le serveur n'a pas répondu en {START_TIMEOUT} s :\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._output.close()
