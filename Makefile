# Two commands get you going: `make run` and `make test`. Both bootstrap .venv themselves.
PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
CONSTRAINTS := $(if $(wildcard constraints.txt),-c constraints.txt)

# sample values for the city's own account in the demo (a real deployment sets its own)
DEMO_ZENGIN := JURYO_ZENGIN_REQUESTER_CODE=1234567890 JURYO_ZENGIN_REQUESTER_NAME='ｼﾞﾕﾘﾖｳｼ ｶｲｹｲｶ' \
	JURYO_ZENGIN_BANK_CODE=0001 JURYO_ZENGIN_BRANCH_CODE=001 JURYO_ZENGIN_ACCOUNT_TYPE=1 \
	JURYO_ZENGIN_ACCOUNT_NUMBER=7654321

.PHONY: run test check install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(wildcard constraints.txt) | $(BIN)/python
	$(PIP) install --quiet $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet $(CONSTRAINTS) -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	mkdir -p var
	test -s var/audit.key || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > var/audit.key
	$(BIN)/juryo db upgrade
	$(BIN)/juryo demo
	@echo
	@echo "  juryo is starting: open http://$(HOST):$(PORT)/ in your browser"
	@echo "  API documentation: http://$(HOST):$(PORT)/docs"
	@echo "  demo logins (login / password):"
	@$(BIN)/python -c "from service.demo import demo_logins; [print(f'    {l:<11} / {p:<16} ({r})') for l, p, r in demo_logins()]"
	@echo
	$(DEMO_ZENGIN) JURYO_AUDIT_KEY=$$(cat var/audit.key) JURYO_VALIDATION_PROCESSES=$${JURYO_VALIDATION_PROCESSES:-1} \
		$(BIN)/juryo serve --host $(HOST) --port $(PORT)

# The date-dependent tests again with the clock half an hour before and after midnight in Tokyo.
test: install-dev
	JURYO_SCREENSHOTS=var/screenshots $(BIN)/pytest
	JURYO_TEST_CLOCK=14:30 $(BIN)/pytest -q -m clock
	JURYO_TEST_CLOCK=15:30 $(BIN)/pytest -q -m clock

check: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
