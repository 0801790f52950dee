# envfactory-compiler: `make demo` builds every spec in specs/ into generated/
# and exercises one sandbox; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPECS := $(wildcard specs/*.yaml specs/*.json)

.PHONY: demo test regen bench bench-sandbox corpus wide-corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

regen: $(STAMP)
	rm -rf generated/*_env
	@for spec in $(SPECS); do \
		name=$$(basename $$spec | sed 's/\.[a-z]*$$//'); \
		$(BIN)/envc build $$spec -o generated --name $$name || exit 1; \
	done

demo: regen
	$(BIN)/python bench/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py

# Every spec in specs/corpus built, served to Schemathesis (--checks all) and
# sampled -> docs/corpus.md/.json; then a 1,000-operation spec -> docs/corpus-large.md/.json.
corpus: $(STAMP)
	$(BIN)/envc corpus specs/corpus --jobs 2 $(CORPUS_ARGS); status=$$?; $(BIN)/python bench/large_spec.py && exit $$status

# Real specs we did not tune on: a seeded sample of the APIs.guru directory (extracted to
# WIDE by bench/wide-corpus.sh, never committed), 300 built -> docs/wide-corpus.md/.json,
# 40 built, served to Schemathesis and sampled -> docs/wide-corpus-served.md/.json.
# Judge a fix on another seed too: make wide-corpus WIDE_SEED=7.
WIDE ?= /tmp/wide-corpus
WIDE_SEED ?= 2026
wide-corpus: $(STAMP)
	bash bench/wide-corpus.sh $(WIDE)
	$(BIN)/envc corpus $(WIDE) --sample 300 --seed $(WIDE_SEED) --stages build --jobs 2 --build-timeout 180 \
		--markdown docs/wide-corpus.md --json docs/wide-corpus.json; built=$$?; \
	$(BIN)/envc corpus $(WIDE) --sample 40 --seed $(WIDE_SEED) --jobs 2 --build-timeout 180 \
		--markdown docs/wide-corpus-served.md --json docs/wide-corpus-served.json && exit $$built

# One served sandbox under load (needs wrk and Node.js for the Prism comparison).
bench-sandbox: $(STAMP)
	$(BIN)/python bench/load_test.py
	$(BIN)/python bench/fault_test.py
	$(BIN)/python bench/throughput_bench.py

clean:
	rm -rf $(VENV) .pytest_cache
