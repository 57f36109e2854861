# The stages people run. `make run` and `make test` are the two README commands.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test serve bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Idempotent: creates .venv with the project and its locked dependencies.
install: $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --quiet
	@echo "installed: $(BIN)/county-returns"

run: install
	$(BIN)/county-returns demo

test: install
	$(BIN)/python -m pytest -q

serve: install
	$(BIN)/python -m pipelines.serve

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
