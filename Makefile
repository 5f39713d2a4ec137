# PeerPrep: the two commands a newcomer needs.
#   make up    runs the stack natively (PostgreSQL and Redis installed or started as needed)
#   make test  runs every check and test, as CI does
.PHONY: up test services fmt lint

up:
	bash scripts/up.sh

test:
	bash scripts/test.sh

# Only make sure PostgreSQL and Redis are running.
services:
	bash scripts/ensure-services.sh

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
