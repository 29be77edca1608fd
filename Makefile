# One task runner. `make test` is what CI runs; `make demo` is what a newcomer runs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test test-clone lint demo bench browser office screenshots traditional clean

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

# LibreOffice's Writer, headless, through which wrqa reads Word 97–2003 (.doc), WPS and RTF files; without it
# such a file gets one line saying to save it as .docx, and the tests that convert one are skipped.
office:
	@if command -v soffice >/dev/null || command -v libreoffice >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui >/dev/null) \
		|| echo "make office: could not install Debian's libreoffice-writer-nogui; .doc and .wps tests will be skipped"; \
	else echo "make office: no soffice and no root apt-get; .doc and .wps tests will be skipped"; fi

# The traditional characters normalization reads as simplified, made again from OpenCC (a test holds the file to it).
traditional: install
	$(BIN)/python tests/traditional.py

lint: install
	$(BIN)/ruff check .

test: install browser office
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# `make test` in a fresh clone of this commit in a temporary folder, with nothing beside it (no ../shared):
# the tests over third-party texts skip there and say why, every other test must pass.
test-clone: browser office
	@clone=$$(mktemp -d)/wrqa; trap 'rm -rf "$$(dirname $$clone)"' EXIT; \
	git clone --quiet --no-hardlinks "$(CURDIR)" "$$clone" && $(MAKE) -C "$$clone" test PYTHON=$(PYTHON)

# The newcomer's first command, offline: the bundled replica of the two sites on two free loopback ports,
# the main job (`wrqa run`) against it with examples/demo-config.toml, the documents that failed, and where
# the HTML report is. It exits 0 although the demo data has findings: showing them is the point.
DEMO := out/demo
demo: install
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@port=$$($(BIN)/python -c 'import socket; free = lambda p: socket.socket().connect_ex(("127.0.0.1", p)) != 0; print(next(p for p in range(18001, 19999, 2) if free(p) and free(p + 1)))'); \
	PYTHONUNBUFFERED=1 $(BIN)/wrqa demo-sites --port $$port > $(DEMO)/sites.log 2>&1 & sites=$$!; \
	trap 'kill $$sites 2>/dev/null' EXIT; \
	for i in $$(seq 100); do grep -q "provincial site" $(DEMO)/sites.log && break; sleep 0.1; done; \
	grep -v "Ctrl-C stops" $(DEMO)/sites.log; \
	sed -e "s|127.0.0.1:8001|127.0.0.1:$$port|" -e "s|127.0.0.1:8002|127.0.0.1:$$((port + 1))|" \
		examples/demo-config.toml > $(DEMO)/config.toml; \
	$(BIN)/wrqa run --config $(DEMO)/config.toml; code=$$?; \
	echo "wrqa run exited $$code (1: the demo data has findings, as it should)."; \
	$(BIN)/python -c "$$DEMO_FAILING" $(DEMO)/report/results.json; \
	echo "The HTML report is at $(CURDIR)/$(DEMO)/report/index.html (open it in a browser)."; \
	test $$code -le 1

# The documents a run failed and the rules they broke, read from the results the report folder holds.
define DEMO_FAILING
import json, sys
from collections import Counter
from reports.rules import rule_name
documents = json.load(open(sys.argv[1], encoding="utf-8"))["documents"]
errors = [(d, Counter(f["rule"] for f in d["findings"] if f["severity"] == "error" and not f.get("waived")))
          for d in documents]
failed = sorted(((d, rules) for d, rules in errors if rules), key=lambda item: -sum(item[1].values()))
print(f"{len(documents)} 份文档，{len(failed)} 份未通过：")
for d, rules in failed:
    broken = "、".join(rule_name(rule) + (f" ×{n}" if n > 1 else "") for rule, n in rules.items())
    print(f"  {d['title']}（{broken}）  {d['path']}")
endef
export DEMO_FAILING

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
