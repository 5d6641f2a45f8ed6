# relay — build, test and lint entry points. `make help` lists the targets.
#
# Everything this file installs goes under bin/ (bin/tools for pinned tools),
# so a clean clone needs nothing but Go and git.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

GO      ?= go
BIN     := bin
TOOLS   := $(abspath $(BIN)/tools)
MODULE  := github.com/relay-dev/relay
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -X $(MODULE)/internal/cli.version=$(VERSION) -X $(MODULE)/internal/cli.commit=$(COMMIT)

# Pinned tools. Bump deliberately: a new linter release can add findings.
GOLANGCI_LINT_VERSION ?= v2.15.0
GOLANGCI_LINT         := $(TOOLS)/golangci-lint

# fuzz-smoke: how long each Fuzz target runs.
FUZZTIME ?= 10s
# bench: flags and output. The previous run is kept as bench.old.txt so that
# benchstat can compare the two.
BENCHFLAGS ?= -run '^$$' -bench . -benchmem -count 5
BENCH_OUT  := $(BIN)/bench.txt

# release: the platforms cross-compiled, and where the archives go.
RELEASE_PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
DIST ?= dist

DEMO_DIR := testdata/examples/petstore
DEMO_OUT := $(BIN)/demo

.PHONY: all build release release-check test race lint fmt-check vet golangci-lint tools bench fuzz-smoke demo clean help

all: lint test build ## lint, test and build

build: ## build bin/relay (trimmed paths, version from git describe)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/relay ./cmd/relay

# Static binaries (CGO_ENABLED=0) with the same flags as build, one archive
# per platform (.zip for Windows) and SHA256SUMS, all under $(DIST)/.
release: ## cross-compile for linux/darwin/windows x amd64/arm64 into dist/ with SHA256SUMS
	@mkdir -p $(DIST) && rm -rf $(DIST)/relay_* $(DIST)/SHA256SUMS
	@for p in $(RELEASE_PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
		dir=$(DIST)/relay_$(VERSION)_$${os}_$${arch}; mkdir -p "$$dir"; \
		echo "building $$dir/relay$$ext"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o "$$dir/relay$$ext" ./cmd/relay; \
		cp README.md "$$dir/"; \
	done
	$(GO) run ./scripts/release $(DIST)
	@echo "release $(VERSION): $$(ls $(DIST) | tr '\n' ' ')"

release-check: ## build the release into a temporary dir and check archives and checksums (slow)
	RELAY_TEST_RELEASE=1 $(GO) test -count=1 -timeout 60m -run TestMakeRelease ./scripts/release

test: ## run every test (the README's test command)
	$(GO) test ./...

race: ## run the tests under the race detector (-short: corpus tests skipped, they run in make test)
	$(GO) test -race -short ./...

lint: fmt-check vet golangci-lint ## gofmt check, go vet and golangci-lint

fmt-check: ## fail listing the Go files gofmt would change
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path './$(BIN)/*' -not -path '*/testdata/*' -print0 \
		| xargs -0 -r gofmt -l); \
	if [ -n "$$files" ]; then \
		echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$files" | sed 's/^/  /'; exit 1; \
	fi; echo "gofmt: ok"

vet: ## go vet ./...
	$(GO) vet ./...

golangci-lint: tools ## golangci-lint run (pinned version, .golangci.yml)
	$(GOLANGCI_LINT) run ./...

tools: ## install the pinned tools into bin/tools unless already there
	@if ! "$(GOLANGCI_LINT)" version 2>/dev/null | grep -q "version $(GOLANGCI_LINT_VERSION:v%=%) "; then \
		echo "installing golangci-lint $(GOLANGCI_LINT_VERSION) into $(TOOLS)"; \
		GOBIN="$(TOOLS)" $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION); \
	fi

bench: ## benchmarks into bin/bench.txt; benchstat summary (vs the previous run) when installed
	@mkdir -p $(BIN)
	@if [ -f $(BENCH_OUT) ]; then mv $(BENCH_OUT) $(BIN)/bench.old.txt; fi
	$(GO) test $(BENCHFLAGS) ./... | tee $(BENCH_OUT)
	@if command -v benchstat >/dev/null 2>&1; then \
		if [ -f $(BIN)/bench.old.txt ]; then benchstat $(BIN)/bench.old.txt $(BENCH_OUT); else benchstat $(BENCH_OUT); fi; \
	else \
		echo "benchstat not installed (go install golang.org/x/perf/cmd/benchstat@latest); raw results in $(BENCH_OUT)"; \
	fi

fuzz-smoke: ## run every Fuzz target of the module for FUZZTIME (10s) each
	@n=0; \
	for pkg in $$($(GO) list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...); do \
		list=$$($(GO) test -list '^Fuzz' "$$pkg"); \
		for fz in $$(grep '^Fuzz' <<<"$$list" || true); do \
			echo "== $$pkg $$fz ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$fz\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
			n=$$((n+1)); \
		done; \
	done; \
	echo "fuzz-smoke: $$n fuzz targets ran for $(FUZZTIME) each"

# The demo shows the text report of the bundled petstore pair, then writes the
# same diff as JSON. relay's exit codes 0/10/20 are verdicts, not failures, so
# they don't fail make; 1 (bad input), 2 (usage) and 70 (internal error) do.
demo: build ## run bin/relay on testdata/examples/petstore and explain its exit code
	@mkdir -p $(DEMO_OUT)
	@verdict() { case $$1 in \
		0) echo "nothing above info";; \
		10) echo "non-breaking changes or warnings";; \
		20) echo "breaking changes";; \
		1) echo "could not compare: bad input";; \
		2) echo "usage error";; \
		70) echo "internal error, please report";; \
		*) echo "unexpected exit code";; esac; }; \
	echo "\$$ relay contract diff $(DEMO_DIR)/base.yaml $(DEMO_DIR)/revision.yaml"; \
	rc=0; $(BIN)/relay contract diff $(DEMO_DIR)/base.yaml $(DEMO_DIR)/revision.yaml || rc=$$?; \
	echo; echo "relay exited $$rc ($$(verdict $$rc))"; \
	case $$rc in 0|10|20) ;; *) exit 1;; esac; \
	json=0; $(BIN)/relay contract diff $(DEMO_DIR)/base.yaml $(DEMO_DIR)/revision.yaml \
		--format json --output $(DEMO_OUT)/contract_diff.json || json=$$?; \
	if [ "$$json" != "$$rc" ]; then echo "the JSON run exited $$json ($$(verdict $$json)), the text run $$rc"; exit 1; fi; \
	echo "JSON report: $(DEMO_OUT)/contract_diff.json"

clean: ## remove build outputs (keeps the pinned tools in bin/tools)
	@if [ -d $(BIN) ]; then find $(BIN) -mindepth 1 -maxdepth 1 ! -name tools -exec rm -rf {} +; fi

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'
