# Two commands do all set-up (see README.md):
#   make course   create/update the environment and open the course in JupyterLab
#   make test     create/update the environment and run every test
#   make slides   export every notebook to an offline reveal.js deck in build/slides/
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SLIDES := build/slides
SLIDES_JS := $(SLIDES)/node_modules/.installed
CHROMIUM ?= chromium

.PHONY: course test env execute clean slides browser

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# JupyterLab refuses to run as root without --allow-root (containers, CI machines, classroom VMs).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=
course: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $(ROOT_FLAG) $(LAB_ARGS) notebooks/00_welcome.ipynb

test: $(STAMP) $(SLIDES_JS) browser
	$(BIN)/python -m pytest

# Re-execute notebooks top to bottom in fresh kernels and store their outputs (authors only):
#   make execute NB=notebooks/01_pixels.ipynb     (default: every notebook)
NB ?= notebooks/*.ipynb
execute: $(STAMP)
	for nb in $(NB); do $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.store_widget_state=False "$$nb" || exit 1; done

# Offline slides: reveal.js, require.js, jQuery and MathJax from npm (versions locked in
# slides/package-lock.json) are installed next to the decks, which load them by relative paths.
slides: $(STAMP) $(SLIDES_JS)
	$(BIN)/python slides/export.py --out $(SLIDES)

$(SLIDES_JS): slides/package.json slides/package-lock.json
	@command -v npm >/dev/null || { echo "Offline slides need Node.js with npm (https://nodejs.org; Debian/Ubuntu: apt-get install -y npm)"; exit 1; }
	mkdir -p $(SLIDES)
	cp slides/package.json slides/package-lock.json $(SLIDES)/
	cd $(SLIDES) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Headless Chromium for tests/test_slides.py (plus an emoji font, so screenshots show ✅/❌); installed with
# apt-get when missing (Debian/Ubuntu, as root). Elsewhere install Chromium and run make test CHROMIUM=/path/to/it
browser:
	@if ! command -v $(CHROMIUM) >/dev/null || { command -v dpkg >/dev/null && ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; }; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
	  elif ! command -v $(CHROMIUM) >/dev/null; then \
	    echo "The slide test needs Chromium: install it, then run make test CHROMIUM=/path/to/chromium"; exit 1; fi; fi

clean:
	rm -rf $(VENV) build
