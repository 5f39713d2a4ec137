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

# Match latency, edit propagation and chat delivery against the real services (see
# bench/src/main.rs); the chat scenario runs the chat-service binary as two processes.
bench:
	bash scripts/ensure-services.sh
	cargo build --locked -q --bins
	cargo run --locked -q -p bench

# Only make sure PostgreSQL and Redis are running.
services:
	bash scripts/ensure-services.sh

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
