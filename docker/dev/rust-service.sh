#!/bin/sh
# Runs one PeerPrep Rust service in its development container (docker/rust-dev.Dockerfile)
# from the source mounted at /src: cargo-watch builds it and starts it, and does both again
# whenever its crate, the crates it uses or the workspace manifests change.
#   PEERPREP_SERVICE   user | question | history | matching | collaboration | chat
#   rust-service.sh                 build, run, rebuild on change (the container's command)
#   rust-service.sh --healthcheck   the service's own health check, once it has been built
# Every container builds the same selection as docker/rust-builder.Dockerfile: whichever
# starts first compiles them all into the shared /target, the others find them fresh.
set -eu

service=${PEERPREP_SERVICE:?PEERPREP_SERVICE names the service to run}
case "$service" in
  user | question | history) crate=crud/$service ;;
  matching | collaboration | chat) crate=realtime/$service ;;
  *) echo "rust-service.sh: unknown service '$service'" >&2; exit 2 ;;
esac
binary=${CARGO_TARGET_DIR:-/target}/debug/$service-service

if [ "${1:-}" = --healthcheck ]; then
  exec "$binary" --healthcheck
fi

set -- -w Cargo.toml -w Cargo.lock -w shared -w "$crate"
case "$crate" in
  realtime/*) set -- "$@" -w realtime/toolkit ;;
esac

# The user service signs tokens, and the others fetch its public key once, when they start:
# a key that changed on every rebuild would leave them trusting the old one. So development
# keeps one key in the target volume, made on first start, unless JWT_PRIVATE_KEY is given.
if [ "$service" = user ] && [ -z "${JWT_PRIVATE_KEY:-}" ]; then
  key=${CARGO_TARGET_DIR:-/target}/development-jwt-ed25519.pem
  [ -s "$key" ] || openssl genpkey -algorithm ed25519 -out "$key"
  JWT_PRIVATE_KEY=$(cat "$key")
  export JWT_PRIVATE_KEY
fi

# A service that stops by itself (its database not answering yet, say) starts again after
# 5 s, as a restart policy would; cargo-watch alone would wait for the next change.
services="-p user -p question -p history -p matching -p collaboration -p chat"
run="until $binary; do echo \"rust-service.sh: $service-service stopped; starting it again in 5 s\" >&2; sleep 5; done"
exec cargo watch --why "$@" \
  -s "cargo build --locked --bins $services && $run"
