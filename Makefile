# One task runner. `make test` is what CI runs; `make demo` is what a newcomer runs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint demo bench browser screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the HTML report's browser tests; Playwright drives it by executable path.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "make browser: could not install Debian's chromium; browser tests will be skipped"; \
	else echo "make browser: no /usr/bin/chromium and no root apt-get; browser tests will be skipped"; fi

lint: install
	$(BIN)/ruff check .

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

demo: install
	$(BIN)/wrqa validate examples/ ; test $$? -le 1

bench: install
	$(BIN)/python bench/validate_corpus.py

# Screenshots of the HTML report (overview and one document page) from the seeds, for reviewers.
# Chinese text needs a CJK font in the headless browser; Debian's WenQuanYi Micro Hei is small.
screenshots: install browser
	@if ! fc-list :lang=zh 2>/dev/null | grep -q . && [ "$$(id -u)" = 0 ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null \
		|| echo "make screenshots: no CJK font could be installed; Chinese will show as boxes"; fi
	$(BIN)/python docs/screenshots.py --out docs/screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
