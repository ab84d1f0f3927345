# Shortcuts for `python3 -m course ...` (see README.md); the course command itself works without make (Windows).
#   make course   create/update the environment and open the course in JupyterLab
#   make test     create/update the environment and run every test
#   make slides / student / env / check / execute NB=notebooks/04_padding_stride.ipynb
#   make grade SUBMISSIONS=folder [OUT=grades.csv]
PYTHON ?= python3
COURSE := "$(PYTHON)" -m course
LAB_ARGS ?=
NB ?=
SUBMISSIONS ?= submissions
OUT ?= grades.csv
# A browser for the slide test, e.g. make test CHROMIUM="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
ifdef CHROMIUM
export CHROMIUM
endif

.PHONY: course test env check slides student grade execute clean

course:
	$(COURSE) lab $(LAB_ARGS)

test env check slides student:
	$(COURSE) $@

grade:
	$(COURSE) grade "$(SUBMISSIONS)" --out "$(OUT)"

execute:
	$(COURSE) execute $(NB)

clean:
	"$(PYTHON)" -c "import shutil; [shutil.rmtree(p, ignore_errors=True) for p in ('.venv', 'build')]"
