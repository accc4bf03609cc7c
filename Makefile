# Thin wrapper: every target calls a script in scripts/ or benchmarks/.
.PHONY: run test test-core lint i18n bench bench-install load readme screenshots

run:            ## serve Odoo with crm_vertrieb and German demo data on http://localhost:8069
	@scripts/run

test:           ## fresh database, all crm_vertrieb tests and tours, log check, linters
	@scripts/test

test-core:      ## Odoo's own crm test suite with crm_vertrieb installed
	@scripts/test-core

lint:           ## ruff and pylint-odoo
	@scripts/lint

i18n:           ## regenerate i18n/*.pot and merge new terms into i18n/de.po
	@scripts/i18n

bench:          ## benchmarks (SCALE=small by default, SCALE=large for the target figures)
	@benchmarks/run

bench-install:  ## BENCH install_into_large: install the addons into a generated database without them (SCALE=large)
	@benchmarks/install_into_large

load:           ## many users on a multi-process Odoo (SCALE=large; SMOKE=1 short run; REPLICA=1 with a read replica)
	@benchmarks/load

screenshots:    ## fresh German demo database, screenshots of the main screens in headless Chromium
	@scripts/screenshots

readme:         ## rebuild README.rst of the addons from their readme/ fragments
	@.venv/bin/python scripts/gen_readme.py crm_vertrieb*

.PHONY: wheels test-wheels
wheels:         ## build a Python wheel per addon into dist/ (whool) and check it against the manifest
	@scripts/wheels

test-wheels:    ## install the wheels into a fresh venv and the addons from there into a fresh database
	@scripts/test-wheels
