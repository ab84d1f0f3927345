"""Every lesson exports to a reveal.js deck that works offline in a real (headless) browser.

Chromium is driven over the DevTools protocol with the network switched off: any request that fails
or leaves the machine, any console error or uncaught exception fails the test. A screenshot of each
deck's first slide goes to build/screenshots/. Needs Chromium (``make test`` installs it) and the
local JavaScript from ``npm ci`` (``make slides`` / ``make test`` install it into build/slides/).
"""

import base64
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import websocket  # websocket-client, installed with jupyter_server

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SHOTS = ROOT / "build" / "screenshots"
MIN_SLIDES = 5
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--mute-audio", "--remote-debugging-port=0"]
READY = """(() => {
  const mj = window.MathJax && MathJax.Hub && MathJax.Hub.queue;
  return !!document.querySelector('.reveal.ready') && !!mj && mj.pending === 0 && !mj.running
         && document.fonts.status === 'loaded';
})()"""
DECK_FACTS = """JSON.stringify({
  horizontal: document.querySelectorAll('.reveal .slides > section').length,
  slides: document.querySelectorAll('.reveal .slides section:not(.stack)').length,
  math: document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length,
  math_errors: document.querySelectorAll('.MathJax_Error, .mjx-merror').length,
  first_text: (document.querySelector('.reveal .slides section.present') || {}).innerText || ''
})"""
INLINE_MATH = re.compile(r"(?<![\\$])\$[^$\n]+\$|\$\$.+?\$\$", re.DOTALL)


def load_export():
    """Import slides/export.py (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("slides_export", ROOT / "slides" / "export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


export = load_export()


def find_chromium():
    """Path of the Chromium binary ($CHROMIUM, else chromium/chromium-browser/google-chrome on PATH)."""
    for name in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]:
        if name and shutil.which(name):
            return shutil.which(name)
    pytest.fail("tests/test_slides.py needs Chromium: `make test` installs it on Debian/Ubuntu "
                "(apt-get install -y chromium); elsewhere install it and set CHROMIUM=/path/to/it")


def expected_slides(nb):
    """Number of (sub)slides nbconvert makes: the first visible cell plus every later slide/subslide cell."""
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    visible = [i for i, k in enumerate(kinds) if k not in {"notes", "skip"}]
    return 1 + sum(k in {"slide", "subslide"} for k in kinds[visible[0] + 1:])


class DevTools:
    """A minimal DevTools-protocol client: one websocket, one page session at a time (flat mode)."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
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

    def evaluate(self, session, expression):
        """Evaluate a JavaScript expression in the page and return its value."""
        result = self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result["result"].get("value")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for all decks, with a fresh profile; yields a DevTools client."""
    profile = tempfile.mkdtemp(prefix="slides-chromium-")
    proc = subprocess.Popen([find_chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("Chromium did not start (no DevToolsActivePort); try running it by hand with the flags in FLAGS")
        time.sleep(0.1)
    port, path = port_file.read_text().split()
    client = DevTools(f"ws://127.0.0.1:{port}{path}")
    yield client
    client.ws.close()
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(profile, ignore_errors=True)


def open_offline(client, url, timeout=60):
    """Load ``url`` in a new tab with the network off; wait for reveal.js and MathJax; return (session, problems)."""
    target = client.send("Target.createTarget", url="about:blank")["targetId"]
    session = client.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ["Page", "Runtime", "Log", "Network"]:
        client.send(f"{domain}.enable", session)
    client.send("Network.emulateNetworkConditions", session, offline=True, latency=0,
                downloadThroughput=-1, uploadThroughput=-1)
    client.send("Emulation.setDeviceMetricsOverride", session, width=1280, height=720,
                deviceScaleFactor=1, mobile=False)
    client.events.clear()
    client.send("Page.navigate", session, url=url)
    deadline = time.monotonic() + timeout
    while not client.evaluate(session, READY):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    time.sleep(0.5)  # let the slide transition finish before the screenshot
    return target, session, problems(client.events, session)


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
            found.append("console error: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"browser error: {params['entry']['text']} {params['entry'].get('url', '')}")
    return found


def test_there_are_decks_to_check():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file to turn into slides"


def test_external_assets_are_found():
    html = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//cdn.example/y.css">'
            '<style>@font-face{src:url(https://fonts.example/f.woff)}</style>'
            '<script type="module">import m from "https://cdn.example/m.mjs";</script>'
            '<a href="https://keras.io">a link is fine</a><script src="node_modules/local.js"></script>')
    assert export.external_assets(html) == ["//cdn.example/y.css", "https://cdn.example/m.mjs",
                                            "https://cdn.example/x.js", "https://fonts.example/f.woff"]


def test_widget_views_become_a_note():
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    view = nbformat.v4.new_output("display_data", data={export.WIDGET_VIEW: {"model_id": "abc"},
                                                         "text/plain": "interactive(children=...)"})
    text = nbformat.v4.new_output("stream", name="stdout", text="kept\n")
    nb.cells = [nbformat.v4.new_code_cell("w", outputs=[view, text])]
    out = export.strip_widgets(nb)
    assert "widgets" not in out.metadata and "widgets" in nb.metadata, "strip a copy, not the original"
    assert [o.output_type for o in out.cells[0].outputs] == ["display_data", "stream"]
    assert export.WIDGET_VIEW not in out.cells[0].outputs[0].data
    assert export.WIDGET_NOTE in out.cells[0].outputs[0].data["text/plain"]
    with pytest.raises(TypeError, match="nbformat"):
        export.strip_widgets({"cells": []})


def test_export_refuses_what_needs_the_network(tmp_path):
    with pytest.raises(FileNotFoundError, match="make slides"):
        export.check_vendor(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"\.ipynb"):
        export.export_deck(tmp_path / "missing.ipynb", tmp_path)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("```mermaid\ngraph LR; a-->b\n```")])
    assert export.uses_mermaid(nb)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_works_offline(notebook, browser):
    deck = export.export_deck(notebook)
    html = deck.read_text(encoding="utf-8")
    assert export.external_assets(html) == []
    nb = nbformat.read(notebook, as_version=4)

    target, session, found = open_offline(browser, deck.as_uri())
    try:
        ready = browser.evaluate(session, READY)
        facts = json.loads(browser.evaluate(session, DECK_FACTS))
        shot = browser.send("Page.captureScreenshot", session, format="png")["data"]
    finally:
        browser.send("Target.closeTarget", targetId=target)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{notebook.stem}.png").write_bytes(base64.b64decode(shot))

    assert not found, f"{deck.name} in an offline browser:\n" + "\n".join(found)
    assert ready, f"{deck.name}: reveal.js or MathJax did not finish starting within 60 s (blank page?)"
    assert facts["slides"] == expected_slides(nb) >= MIN_SLIDES, (
        f"{deck.name}: {facts['slides']} slides in the browser, {expected_slides(nb)} expected from the "
        f"slide metadata (at least {MIN_SLIDES})"
    )
    title = nb.cells[0].source.splitlines()[0].lstrip("#").strip()
    shown = " ".join(facts["first_text"].split()).lower()  # the theme upper-cases headings
    assert title.lower() in shown, f"{deck.name}: the first slide should show the title {title!r}"
    assert facts["math_errors"] == 0, f"{deck.name}: MathJax could not typeset {facts['math_errors']} formulas"
    has_math = any(c.cell_type == "markdown" and INLINE_MATH.search(c.source) for c in nb.cells)
    assert facts["math"] > 0 or not has_math, f"{deck.name}: the notebook has formulas but none was typeset"
