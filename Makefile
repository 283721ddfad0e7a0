# Deux commandes pour démarrer : `make demo` et `make test` (voir README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installe

.PHONY: install lock chromium demo verifier test lint format bench charge docs captures clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installation reproductible : les versions exactes et leurs empreintes (requirements-dev.txt, produit par
# `make lock` à partir de pyproject.toml). Le projet lui-même n'a pas à être installé (manage.py à la racine).
# Le verrou garde les extras (`fonttools[woff]==…`, `psycopg[binary]==…`) : sans eux, le pip que donne
# `python3 -m venv` sur Python 3.11 (23.x) lit l'extra demandé par une dépendance (weasyprint → fonttools[woff])
# comme une exigence à part, prend la dernière version de l'index et refuse alors le mode --require-hashes.
# Avec chaque exigence épinglée, extras compris, ce pip-là et le plus récent installent les mêmes versions,
# quoi que l'index publie le jour même. On n'installe pas un autre pip d'abord : le premier pas serait déjà
# celui qui dépend du jour (tests/test_verrou.py vérifie le verrou contre pyproject.toml). --no-compile : Python
# compile chaque module à son premier import, au lieu que pip compile d'avance tous ceux des paquets (27 s → 16 s).
$(STAMP): requirements-dev.txt | $(BIN)/python
	@echo "pip de départ : $$($(BIN)/python -m pip --version)"
	$(BIN)/python -m pip install --quiet --no-compile --require-hashes -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Recalcule les fichiers de verrouillage après un changement de pyproject.toml (bornes des dépendances).
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links
lock: install
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --output-file requirements-dev.txt pyproject.toml

# Paquets Debian des tests : Chromium pour les tests de bout en bout (jamais `playwright install`, qui
# télécharge), poppler-utils (pdftoppm, pdftotext) pour les tests de mise en page du Bilan.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installation de Chromium et de poppler-utils (Debian)…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
		else \
			echo "Chromium ou poppler-utils absent : sudo apt-get install chromium poppler-utils."; \
		fi; \
	fi

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py donnees_demo
	@echo ""
	@echo "  Application : http://127.0.0.1:$(PORT)/"
	@echo "  Comptes (mot de passe « demo ») : accueil, mediation, formation, arcs, coordination"
	@echo "  Un processus de fond (manage.py db_worker) tourne à côté : imports, exports, rendus du Bilan."
	@echo ""
	$(BIN)/python manage.py db_worker --no-reload --interval 1 -v0 & TRAVAILLEUR=$$!; \
	trap 'kill $$TRAVAILLEUR 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# La suite sur tous les cœurs (pytest-xdist ; PROCESSUS=1 pour un seul processus ; « worksteal » : un processus
# libre prend des tests à l'autre, les longs ne restent pas en file derrière un seul). DEJA_SUR_POSTGRESQL=1 laisse
# de côté ce que la passe PostgreSQL de la CI a déjà lancé et qui ne dépend pas de la base : les tests de
# navigateur et ceux marqués une_fois (mises en page et formats, lourds). Sans lui, tout tourne. Les 25 tests les
# plus longs sont listés à la fin : où va le temps de la CI se lit dans son journal.
PROCESSUS ?= auto
MARQUES := $(if $(DEJA_SUR_POSTGRESQL),-m "not navigateur and not une_fois",)

verifier: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=inclusion.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=inclusion.settings.test $(BIN)/python manage.py check

test: install chromium $(if $(SANS_VERIFIER),,verifier)
	$(BIN)/pytest -n $(PROCESSUS) --dist worksteal --durations=25 $(MARQUES)

# Images des Bilans de la démo pour le README (docs/), dans une base SQLite jetable : la première page du Bilan
# 2023, les pages 1, 2 et 3 du Bilan 2025.
DOCS_BASE := $(CURDIR)/.docs.sqlite3
docs: install chromium
	rm -f $(DOCS_BASE) docs/bilan-2023.pdf docs/bilan-2025.pdf
	DATABASE_URL=sqlite:///$(DOCS_BASE) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(DOCS_BASE) $(BIN)/python manage.py donnees_demo -v0
	DATABASE_URL=sqlite:///$(DOCS_BASE) $(BIN)/python manage.py bilan 2023 --format pdf --output docs/bilan-2023.pdf
	DATABASE_URL=sqlite:///$(DOCS_BASE) $(BIN)/python manage.py bilan 2025 --format pdf --output docs/bilan-2025.pdf
	pdftoppm -png -r 60 -singlefile -f 1 -l 1 docs/bilan-2023.pdf docs/bilan-2023-page-1
	for page in 1 2 3; do \
		pdftoppm -png -r 60 -singlefile -f $$page -l $$page docs/bilan-2025.pdf docs/bilan-2025-page-$$page; \
	done
	rm -f $(DOCS_BASE) docs/bilan-2023.pdf docs/bilan-2025.pdf

# Captures d'écran du README (accueil sur tablette, saisie rapide), tirées de la démonstration.
captures: install chromium
	$(BIN)/python docs/captures.py

bench: install
	$(BIN)/python bench/import_passages.py
	$(BIN)/python bench/bilan.py
	$(BIN)/python bench/travaux.py
	$(BIN)/python bench/tableau.py

charge: install
	$(BIN)/python bench/charge_accueil.py
	$(BIN)/python bench/tableau.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
