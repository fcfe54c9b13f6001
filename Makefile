# Two commands do everything on a fresh machine:
#   make run   - install, migrate, load demo data, start web + worker + beat
#   make test  - install, then run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt build-constraints.txt | cksum | cut -d' ' -f1)
PORT ?= 8000
# Links in SMS, emails, QR codes and the WeChat sandbox's notify URL follow the port the
# portal runs on (every process gets the same address; honcho gives each its own PORT).
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run run-cluster test setup lint migrate demo bench clean

$(STAMP): requirements.txt build-constraints.txt
	@bash scripts/system-packages.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.3"
	$(BIN)/python -m pip install --quiet --build-constraint build-constraints.txt -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "门户已启动：$(SITE_URL)/    管理后台：$(SITE_URL)/admin/"
	@echo "（Ctrl+C 停止 web、worker 和 beat）"
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) SITE_URL="$(SITE_URL)" $(BIN)/honcho start -f Procfile

# Two web processes (ports 8001 and 8002) and two workers on PostgreSQL, Redis and a local S3
# server (SeaweedFS under var/s3): what a deployment on several machines shares.
LOCAL_S3 := s3://portal-local:portal-local-secret-0123456789@127.0.0.1:8333/portal-private?scheme=http
run-cluster: setup
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "run-cluster needs DATABASE_URL and REDIS_URL (PostgreSQL and Redis)"; exit 2; }
	$(BIN)/python manage.py migrate --noinput
	PATH="$(CURDIR)/$(BIN):$$PATH" PRIVATE_STORAGE_URL="$${PRIVATE_STORAGE_URL:-$(LOCAL_S3)}" WEB1_PORT=8001 WEB2_PORT=8002 \
		SITE_URL="http://127.0.0.1:8001" $(BIN)/honcho start -f Procfile.cluster

# One worker per core, each with its own database, Redis key prefix and media folder; the
# modules that use the demo data run on one worker (conftest.py), which seeds the demo once.
TEST_WORKERS ?= auto
test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=30

bench: setup
	$(BIN)/python bench/load.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf var .pytest_cache .ruff_cache
