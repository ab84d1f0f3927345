"""The README's course command (`make course`) starts JupyterLab serving the lessons."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_course_serves_the_notebooks():
    port, token = free_port(), "course-test"
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --IdentityProvider.token={token}"
    proc = subprocess.Popen(["make", "-s", "course", f"LAB_ARGS={args}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
        names, deadline = None, time.time() + 90
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    names = [item["name"] for item in json.load(reply)["content"]]
                break
            except OSError:
                time.sleep(1)
        assert names is not None, f"JupyterLab did not answer: {proc.stdout.read() if proc.poll() is not None else ''}"
        assert "00_welcome.ipynb" in names and len([n for n in names if n.endswith(".ipynb")]) >= 8
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
