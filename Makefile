# The two commands a fresh machine needs: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
DATA ?= ../shared/data/imdb

.PHONY: demo test lint bench floors train evaluate serve clean

# The demo needs the package alone; the tests add the web service, the test tools and the peers.
$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(DEMO_STAMP)

$(STAMP): $(DEMO_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(DEMO_STAMP)  ## analyse our example reviews
	$(BIN)/reelsense analyze examples/mixed-harbour-lights.txt
	$(BIN)/reelsense analyze examples/*.txt

test: $(STAMP)  ## the whole test suite (real-data tests skip without ../shared)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# ENCODER=DIR adds the optional encoder's row to the critic snippets (bench/encoder_folder.py).
bench: $(STAMP)  ## every figure in the README (writes bench/results/; about 65 minutes)
	$(BIN)/python bench/model_load.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/verdict.py --data $(DATA) --jobs 2
	$(BIN)/python bench/anatomy.py --data $(DATA) --jobs 2
	$(BIN)/python bench/critics.py --part eval $(if $(ENCODER),--encoder $(ENCODER))
	$(BIN)/python bench/critics.py --part dev
	OPENBLAS_NUM_THREADS=1 $(BIN)/python bench/short_reviews.py
	$(BIN)/python bench/critic_reviews.py
	$(BIN)/python bench/quotes.py --part eval
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/worst_case.py
	$(BIN)/python bench/people.py --data $(DATA) --jobs 2
	$(BIN)/python bench/corpus.py --data $(DATA) --jobs 2
	$(BIN)/python bench/corpus.py --data $(DATA) --jobs 2 --reviews 1000000
	$(BIN)/python bench/spark.py --data $(DATA) --reviews 100000
	$(BIN)/python bench/web.py --data $(DATA) --seconds 15
	$(BIN)/python bench/titles.py --part eval
	$(BIN)/python bench/titles.py --part dev
	$(BIN)/python bench/readme.py

floors: $(STAMP)  ## the accuracy floors, kept out of the unit suite (under a minute)
	$(BIN)/python bench/verdict.py --data $(DATA) --check --limit 1000 --jobs 2
	$(BIN)/python bench/anatomy.py --data $(DATA) --check --part eval --jobs 2

train: $(STAMP)  ## rebuild the shipped models from the shared data (each later one reads the earlier ones)
	$(BIN)/reelsense train --data $(DATA) --out src/reelsense/data/verdict-model.zip
	$(BIN)/reelsense train-opinion --data $(DATA) --out src/reelsense/data/opinion-model.json
	OPENBLAS_NUM_THREADS=1 $(BIN)/reelsense train-sentences --data $(DATA)/.. --out src/reelsense/data/sentence-model.zip

serve: $(STAMP)  ## the web pages and API on http://127.0.0.1:8000 (database: reelsense.db)
	$(BIN)/reelsense serve

evaluate: $(STAMP)
	$(BIN)/reelsense evaluate $(DATA)/test.jsonl.gz --jobs 2

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
