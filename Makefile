# callstream: `make run` runs the whole stack on embedded defaults; `make test` runs every test.
# Both find a JDK 21+ themselves (JAVA_HOME, then the PATH, then /usr/lib/jvm): infra/bin/java-home.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell infra/bin/java-home)
ifeq ($(strip $(JAVA_HOME)),)
$(error No JDK 21 or newer found (JAVA_HOME, PATH, /usr/lib/jvm). Install one, e.g. Debian's openjdk-21-jdk, or set JAVA_HOME)
endif
export JAVA_HOME
MVN := ./mvnw -B -ntp
VERSION := 0.1.0-SNAPSHOT

.PHONY: help build test run demo chaos replay bench compose-check clean

help: ## Lists the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## Compiles and packages every module (no tests).
	$(MVN) -q -DskipTests package

test: ## Runs every test: unit, slice and integration (real Kafka, PostgreSQL, emulator, Azure SDK).
	$(MVN) verify

run: build ## Runs Kafka, PostgreSQL, the ACS emulator, command-service and ingress-service in the foreground.
	infra/bin/run-stack

demo: ## With `make run` up: an inbound and an outbound call through the stack, then their history from SQL.
	@[ -f e2e-tests/target/classpath.txt ] || $(MVN) -q -DskipTests package
	"$(JAVA_HOME)/bin/java" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile=e2e-tests/demo-logback.xml -cp "e2e-tests/target/e2e-tests-$(VERSION).jar:$$(cat e2e-tests/target/classpath.txt)" io.callstream.e2e.Demo

chaos: build ## Fault scenarios against a stack of separate processes; prints what was sent, accepted, lost, doubled.
	"$(JAVA_HOME)/bin/java" --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile=e2e-tests/chaos-logback.xml -cp "e2e-tests/target/e2e-tests-$(VERSION).jar:$$(cat e2e-tests/target/classpath.txt)" io.callstream.e2e.chaos.Chaos .

# The bench's JVM takes part in the latency figures (its HTTP sender, its SQL watcher), so it runs on
# ZGC, whose pauses stay under a millisecond, and logs its collections to bench/target/bench-jvm-gc.log.
bench: build ## Throughput and latency against a floor and a ceiling, on its own stack; writes bench/results/<date>.md.
	@command -v wrk >/dev/null || { echo "make bench: installing wrk (Debian's package)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; \
	  else sudo apt-get install -y -qq wrk; fi; }
	"$(JAVA_HOME)/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -XX:+UseZGC -Xlog:gc:file=bench/target/bench-jvm-gc.log -Dlogback.configurationFile=e2e-tests/chaos-logback.xml -cp "bench/target/bench-$(VERSION).jar:$$(cat bench/target/classpath.txt)" io.callstream.bench.Bench .

replay: build ## With `make run` stopped: rebuilds every projection from the Kafka log and swaps it in.
	infra/bin/replay

compose-check: ## Validates docker-compose.yml with `docker compose` or Debian's docker-compose (no engine needed).
	@if docker compose version >/dev/null 2>&1; then docker compose -f docker-compose.yml config --quiet; \
	elif command -v docker-compose >/dev/null; then docker-compose -f docker-compose.yml config --quiet; \
	else echo "no docker compose client: apt-get install docker-compose" >&2; exit 1; fi
	@echo "docker-compose.yml is valid"

clean: ## Removes build output (keeps .local/, the local stack's data).
	$(MVN) -q clean
