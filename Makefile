# PeerPrep: the two commands a newcomer needs.
#   make up    runs the stack natively (PostgreSQL, Redis and nginx installed or started as
#              needed) on http://localhost:8080, in the foreground; Ctrl-C stops it
#   make up-detached / make down   the same in the background, and stopping it
#   make test  runs every check and test, as CI does
.PHONY: up up-detached down test bench services fmt lint

up:
	bash scripts/up.sh

up-detached:
	bash scripts/up-detached.sh

down:
	bash scripts/down.sh

test:
	bash scripts/test.sh

# The load generator (bench/): every scenario of the performance targets against release
# builds, 3 runs each; writes bench/report/latest.md and .json. ARGS go to the generator,
# e.g. make bench ARGS="--only chat --runs 1".
bench:
	bash scripts/bench.sh $(ARGS)

# Only make sure PostgreSQL and Redis are running.
services:
	bash scripts/ensure-services.sh

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
