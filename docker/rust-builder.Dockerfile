# syntax=docker/dockerfile:1
# The six Rust services compiled together, once: each service's image takes its binary from
# this one (docker/<service>.Dockerfile, `FROM ${RUST_BUILDER}`). Build it first, from the
# repository root:
#   docker build --platform linux/amd64 -f docker/rust-builder.Dockerfile -t peerprep/rust-builder .
# The workspace's dependencies compile in a layer of their own, keyed on a recipe of the
# manifests and Cargo.lock (cargo-chef): a change to the code rebuilds the workspace's own
# crates, never the dependencies. The binaries end up in /out.

FROM --platform=linux/amd64 rust:1.95-slim-bookworm AS chef
RUN cargo install --locked cargo-chef --version 0.1.78 \
 && rm -rf "$CARGO_HOME/registry"
WORKDIR /src

# Cargo.lock and the manifests, with the sources only for cargo-chef to find the targets.
FROM chef AS planner
COPY Cargo.toml Cargo.lock ./
COPY shared/ shared/
COPY crud/ crud/
COPY realtime/ realtime/
COPY bench/ bench/
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
# The same selection for the dependencies and the services, so that features resolve the
# same way and the second build finds every dependency compiled.
ENV SERVICES="-p user -p question -p history -p matching -p collaboration -p chat"
COPY --from=planner /src/recipe.json recipe.json
# hadolint ignore=SC2086
RUN cargo chef cook --release --locked --recipe-path recipe.json $SERVICES
COPY Cargo.toml Cargo.lock ./
COPY shared/ shared/
COPY crud/ crud/
COPY realtime/ realtime/
COPY bench/ bench/
# hadolint ignore=SC2086
RUN cargo build --release --locked --bins $SERVICES \
 && mkdir -p /out \
 && for service in user question history matching collaboration chat; do \
      cp "target/release/$service-service" /out/; \
    done
# The release profile keeps line tables (backtraces with file:line), which make a binary
# five times larger: the images get the binaries without them (symbols kept, so backtraces
# still name functions), and the line tables stay here in /out/debug, linked by
# .gnu_debuglink, for a debugger or a symbol upload to Sentry.
WORKDIR /out
RUN mkdir -p debug \
 && for binary in ./*-service; do \
      objcopy --only-keep-debug "$binary" "debug/$binary.debug" \
      && strip --strip-debug "$binary" \
      && objcopy --add-gnu-debuglink="debug/$binary.debug" "$binary"; \
    done
