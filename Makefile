# cej — the two commands of the README:
#   make run    installs what is missing, builds, migrates, seeds the demo data, starts the
#               i-milo simulator and the server, prints the URLs and demo logins
#   make test   the same set-up, then every test (unit, sanitizers, fuzzing, e2e)
# Other targets: build, unit, asan, fuzz, e2e, bench, bench-sse, clean.

SHELL := /bin/bash
APT_PACKAGES := build-essential meson ninja-build pkg-config clang libclang-rt-14-dev \
	libglib2.0-dev libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev \
	libcurl4-openssl-dev libcriterion-dev libqrencode-dev libical-dev nodejs chromium sqlite3 wrk nginx-light curl \
	libpq-dev postgresql libstemmer-dev
BUILD := build
CEJ := $(BUILD)/cej
export CEJ_BIN := $(CURDIR)/$(CEJ)

.PHONY: run test deps build unit sql-census asan fuzz e2e bench bench-sse clean

run: build
	@tools/run.sh

# Two cej nodes on a local PostgreSQL cluster (var/pg) behind nginx (README, docs/postgres.md).
run-cluster: build
	@tools/run-cluster.sh

test: build unit asan fuzz e2e
	@echo "make test : tout est vert."

# Debian packages, installed only when one is missing (needs root on a fresh machine).
# A phony target checked on every make: a stamp file's time says nothing on a fresh clone
# (git gives every file the checkout's time), and `dpkg -s` on the list costs ~0.1 s.
deps:
	@tools/check-tree.sh
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installation des paquets Debian manquants :" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "Lancez make en root (ou installez-les : apt-get install $$missing)"; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@# Debian's nodejs comes without npm (a separate package); other node builds carry it.
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }

node_modules/.stamp: package.json package-lock.json | deps
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

static/vendor/.stamp: node_modules/.stamp tools/vendor-assets.sh
	tools/vendor-assets.sh
	@touch $@

$(BUILD)/build.ninja: | deps static/vendor/.stamp
	meson setup $(BUILD) --buildtype=debugoptimized

# Templates and assets are listed at configure time: reconfigure on every build (fast).
build: deps static/vendor/.stamp $(BUILD)/build.ninja
	@meson setup --reconfigure $(BUILD) >/dev/null
	ninja -C $(BUILD)

# The store tests also run on PostgreSQL: a throwaway cluster (tools/with-pg.sh), where
# tools/check-schemas.sh first compares the schemas the two migration folders build.
unit: build
	tools/with-pg.sh sh -c 'tools/check-schemas.sh && meson test -C $(BUILD) --print-errorlogs && \
		meson test -C $(BUILD) --print-errorlogs --setup postgres --suite both_engines'

# Every statement of the stores prepared on PostgreSQL (docs/postgres.md, "The census").
sql-census: build
	tools/sql-census.sh

# Unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included).
asan: deps static/vendor/.stamp
	@[ -f build-asan/build.ninja ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug
	@meson setup --reconfigure build-asan >/dev/null
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		tools/with-pg.sh meson test -C build-asan --print-errorlogs
	@# Criterion forks each test: a leak or UB report in a child does not change its exit
	@# status, so the sanitizer run also fails on any report in the log.
	@if grep -E "ERROR: (Leak|Address)Sanitizer|runtime error:" build-asan/meson-logs/testlog.txt; then \
		echo "asan: rapport de sanitizer dans build-asan/meson-logs/testlog.txt"; exit 1; fi

# libFuzzer targets, each run briefly (FUZZ_SECONDS) from an empty corpus.
FUZZ_SECONDS ?= 20
fuzz: deps static/vendor/.stamp
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true --buildtype=debug
	@meson setup --reconfigure build-fuzz >/dev/null
	ninja -C build-fuzz
	@set -o pipefail; for t in build-fuzz/fuzz_*; do \
		[ -f "$$t" ] && [ -x "$$t" ] || continue; \
		name=$${t#build-fuzz/fuzz_}; dict=""; \
		[ -f tests/fuzz/$$name.dict ] && dict="-dict=tests/fuzz/$$name.dict"; \
		echo "fuzz: $$name ($(FUZZ_SECONDS) s)"; \
		mkdir -p build-fuzz/corpus/$$name; \
		$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 $$dict \
			build-fuzz/corpus/$$name tests/fuzz/seeds/$$name 2>&1 | tail -n 1 || exit 1; \
	done

# The whole suite on SQLite and on PostgreSQL at once (tools/e2e-both.sh; logs in build/).
e2e: build node_modules/.stamp
	tools/e2e-both.sh

bench: build
	bench/run.sh

# Live events: 1,000 / 5,000 / 10,000 streams, delivery latency, RSS; the conversation page.
bench-sse: build
	bench/sse.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz static/vendor
