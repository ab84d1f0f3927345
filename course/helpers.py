"""What the test and slide commands need besides Python: the slides' JavaScript (npm) and a Chromium-based browser
(standard library only)."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from course.environment import SetupError, write_atomically
from utils.platforms import browser_advice, find_browser

NPM_STAMP = ".course-installed"


def ensure_slides_js(root, run=subprocess.run, which=shutil.which):
    """Install reveal.js, MathJax, require.js and jQuery (locked in slides/package-lock.json) into build/slides/."""
    root, out = Path(root), Path(root) / "build" / "slides"
    lock = (root / "slides" / "package-lock.json").read_bytes()
    stamp = out / "node_modules" / NPM_STAMP
    wanted = hashlib.sha256(lock).hexdigest()
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == wanted:
        return
    npm = which("npm")
    if not npm:
        raise SetupError("the offline slides need Node.js with npm: install it from https://nodejs.org "
                         "(Debian/Ubuntu: `sudo apt install npm`; macOS: `brew install node`; Windows: "
                         "`winget install OpenJS.NodeJS.LTS`), then run the command again")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(root / "slides" / name, out / name)
    if run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=out).returncode != 0:
        raise SetupError(f"`npm ci` failed in {out}: check the network connection to registry.npmjs.org")
    write_atomically(stamp, wanted + "\n")


def linux_browser_package(os_release="/etc/os-release"):
    """The apt package that installs Chromium here: ``chromium-browser`` on Ubuntu (a snap), else ``chromium``."""
    try:
        lines = Path(os_release).read_text(encoding="utf-8").splitlines()
    except OSError:
        return "chromium"
    fields = dict(line.split("=", 1) for line in lines if "=" in line)
    return "chromium-browser" if fields.get("ID", "").strip('"') == "ubuntu" else "chromium"


def can_apt_install(kind, which=shutil.which):
    """True on Linux as root with apt-get (a CI machine or a container): the browser may be installed unasked."""
    return kind.startswith("linux") and bool(which("apt-get")) and getattr(os, "geteuid", lambda: 1)() == 0


def emoji_font_missing(which=shutil.which, run=subprocess.run):
    """True when dpkg says the colour emoji font (for ✅/❌ in screenshots) is not installed."""
    if not which("dpkg"):
        return False
    done = run(["dpkg", "-s", "fonts-noto-color-emoji"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return done.returncode != 0


def ensure_browser(kind, environ=None, run=subprocess.run, which=shutil.which):
    """Path of a Chromium-based browser for the slide test; on Debian/Ubuntu as root install it (and an emoji font)."""
    browser = find_browser(kind, environ, which)
    if can_apt_install(kind, which) and (browser is None or emoji_font_missing(which, run)):
        packages = ["fonts-noto-color-emoji"] + ([] if browser else [linux_browser_package()])
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", *packages], env=env, stdout=subprocess.DEVNULL)
        browser = browser or find_browser(kind, environ, which)
    if browser is None:
        raise SetupError(f"the slide test needs Chrome, Chromium or Edge: {browser_advice(kind)}")
    return browser


def environ_for_tests(browser, environ=None):
    """Environment for pytest: CHROMIUM names the browser; a snap Chromium gets a temporary folder it can see."""
    env = dict(os.environ if environ is None else environ, CHROMIUM=str(browser))
    if str(browser).startswith("/snap/"):  # a snap has its own /tmp: keep the browser profile under the course
        env["TMPDIR"] = str(Path(__file__).resolve().parents[1] / "build" / "tmp")
        Path(env["TMPDIR"]).mkdir(parents=True, exist_ok=True)
    return env
