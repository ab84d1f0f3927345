"""Headless Chromium driven over the DevTools protocol, for checking the offline decks.

    with chromium() as browser:
        tab = open_offline(browser, deck.as_uri())      # network off, 1280x720, waits for reveal.js
        browser.evaluate(tab.session, "Reveal.getTotalSlides()")

Used by slides/fit.py and tests/test_slides.py. Needs Chromium (Debian: apt-get install -y chromium) and
websocket-client (installed with jupyter_server).
"""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websocket

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--mute-audio", "--remote-debugging-port=0"]
SIZE = (1280, 720)  # the window the decks are checked in (and their reveal.js width and height)
READY = """(() => {
  const mj = window.MathJax && MathJax.Hub && MathJax.Hub.queue;
  return !!document.querySelector('.reveal.ready') && !!mj && mj.pending === 0 && !mj.running
         && document.fonts.status === 'loaded';
})()"""


def find_chromium():
    """Path of the Chromium binary ($CHROMIUM, else chromium/chromium-browser/google-chrome on PATH)."""
    for name in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]:
        if name and shutil.which(name):
            return shutil.which(name)
    raise FileNotFoundError("checking slides needs Chromium: `make test` installs it on Debian/Ubuntu "
                            "(apt-get install -y chromium); elsewhere install it and set CHROMIUM=/path/to/it")


class DevTools:
    """A minimal DevTools-protocol client: one websocket, one page session at a time (flat mode)."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=120, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def send(self, method, session=None, **params):
        """Send a command and return its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self.events.append(reply)

    def evaluate(self, session, expression, await_promise=False):
        """Evaluate a JavaScript expression in the page and return its value (exceptions raise)."""
        result = self.send("Runtime.evaluate", session, expression=expression, returnByValue=True,
                           awaitPromise=await_promise)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError(details.get("exception", {}).get("description", details.get("text")))
        return result["result"].get("value")


@contextlib.contextmanager
def chromium():
    """Start one headless Chromium with a fresh profile; yield a DevTools client; stop it afterwards."""
    profile = tempfile.mkdtemp(prefix="slides-chromium-")
    proc = subprocess.Popen([find_chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Chromium did not start (no DevToolsActivePort); "
                                   "try running it by hand with the flags in slides/browser.py")
            time.sleep(0.1)
        port, path = port_file.read_text().split()
        client = DevTools(f"ws://127.0.0.1:{port}{path}")
        try:
            yield client
        finally:
            client.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Tab:
    """A page opened by open_offline: its target and session ids, whether it got ready, what went wrong."""

    target: str
    session: str
    ready: bool
    problems: list = field(default_factory=list)


def open_offline(client, url, timeout=60, size=SIZE):
    """Load ``url`` in a new tab with the network off at ``size``; wait for reveal.js, MathJax and fonts."""
    target = client.send("Target.createTarget", url="about:blank")["targetId"]
    session = client.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ["Page", "Runtime", "Log", "Network"]:
        client.send(f"{domain}.enable", session)
    client.send("Network.emulateNetworkConditions", session, offline=True, latency=0,
                downloadThroughput=-1, uploadThroughput=-1)
    client.send("Emulation.setDeviceMetricsOverride", session, width=size[0], height=size[1],
                deviceScaleFactor=1, mobile=False)
    client.events.clear()
    client.send("Page.navigate", session, url=url)
    deadline = time.monotonic() + timeout
    ready = False
    while not ready and time.monotonic() < deadline:
        ready = bool(client.evaluate(session, READY))
        if not ready:
            time.sleep(0.1)
    return Tab(target, session, ready, problems(client.events, session))


def close(client, tab):
    """Close a tab opened by open_offline."""
    client.send("Target.closeTarget", targetId=tab.target)


def problems(events, session):
    """Failed or remote requests, console errors and uncaught exceptions among the page's events."""
    found, urls = [], {}
    for event in events:
        if event.get("sessionId") != session:
            continue
        method, params = event["method"], event["params"]
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = url = params["request"]["url"]
            if not url.startswith(("file:", "data:", "about:")):
                found.append(f"remote request: {url}")
        elif method == "Network.loadingFailed":
            found.append(f"failed request: {urls.get(params['requestId'], '?')} ({params.get('errorText')})")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append(f"exception: {details.get('exception', {}).get('description', details.get('text'))}")
        elif method == "Runtime.consoleAPICalled" and params["type"] == "error":
            args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            found.append(f"console error: {args}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"browser error: {params['entry']['text']} {params['entry'].get('url', '')}")
    return found
