# Two commands do all set-up (see README.md):
#   make course   create/update the environment and open the course in JupyterLab
#   make test     create/update the environment and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: course test env execute clean

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

course: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. notebooks/00_welcome.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest

# Re-execute notebooks top to bottom in fresh kernels and store their outputs (authors only):
#   make execute NB=notebooks/01_pixels.ipynb     (default: every notebook)
NB ?= notebooks/*.ipynb
execute: $(STAMP)
	for nb in $(NB); do $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 "$$nb" || exit 1; done

clean:
	rm -rf $(VENV) build
