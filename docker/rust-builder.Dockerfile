# syntax=docker/dockerfile:1
# The six Rust services compiled together, once: each service's image takes its binary from
# this one (docker/<service>.Dockerfile, `FROM ${RUST_BUILDER}`). Build it first, from the
# repository root:
#   docker build --platform linux/amd64 -f docker/rust-builder.Dockerfile -t peerprep/rust-builder .
# The workspace's dependencies compile in a layer of their own, keyed on a recipe of the
# manifests and Cargo.lock (cargo-chef): a change to the code rebuilds the workspace's own
# crates, never the dependencies. The binaries end up in /out.

# Never run: the services' images copy their binaries out of it.
# checkov:skip=CKV_DOCKER_2: a build stage, never run as a container: nothing to check
# checkov:skip=CKV_DOCKER_3: a build stage, never run as a container: the images run as 65532
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
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# The workspace's own crates build in a cache that outlives the build where the builder
# keeps cache mounts (podman, BuildKit): a change to one service recompiles that service
# alone. The cache starts again from the dependencies above whenever the recipe or the
# toolchain changes; a CI without the cache builds as from an empty one, with the same result.
# Cargo judges freshness by modification times, and a reused COPY layer can bring back an
# older file with an older time: so every file whose content differs from what the cache
# was last built from (every file, when that is not known) is touched first, which makes
# freshness follow content.
# hadolint ignore=SC2086
RUN --mount=type=cache,id=peerprep-rust-target,target=/cache \
    key=$( (cat recipe.json; rustc -vV) | sha256sum | cut -d' ' -f1) \
 && if [ "$(cat /cache/key 2>/dev/null)" != "$key" ]; then \
      rm -rf /cache/target /cache/sources && cp -a target /cache/target && echo "$key" >/cache/key; \
    fi \
 && find Cargo.toml Cargo.lock shared crud realtime bench -type f -print0 | sort -z \
      | xargs -0 sha256sum >/tmp/sources \
 && if [ -f /cache/sources ]; then comm -13 <(sort /cache/sources) <(sort /tmp/sources); \
    else cat /tmp/sources; fi | cut -c67- | xargs -r -d '\n' touch \
 && rm -f /cache/sources \
 && CARGO_TARGET_DIR=/cache/target cargo build --release --locked --bins $SERVICES \
 && mv /tmp/sources /cache/sources \
 && mkdir -p /out \
 && for service in user question history matching collaboration chat; do \
      cp "/cache/target/release/$service-service" /out/; \
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
