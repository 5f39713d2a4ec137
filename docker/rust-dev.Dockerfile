# syntax=docker/dockerfile:1
# The development image every Rust service's container runs in the compose stack
# (docker-compose.yml): the toolchain and cargo-watch, nothing of PeerPrep's. The source is
# mounted at /src, and docker/dev/rust-service.sh builds and runs the service named by
# PEERPREP_SERVICE, again on every change. CARGO_TARGET_DIR (/target) and the cargo
# registry are named volumes shared by the six containers, so the dependencies compile once
# and a change recompiles only the crates it touches.
FROM --platform=linux/amd64 rust:1.95-slim-bookworm
# openssl: the user service's development signing key (docker/dev/rust-service.sh). The
# build runs as a user of its own (1000); its volumes start owned by it.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/* \
 && cargo install --locked cargo-watch --version 8.5.3 \
 && rm -rf "$CARGO_HOME/registry" \
 && useradd --create-home --uid 1000 developer \
 && mkdir -p /target "$CARGO_HOME/registry" \
 && chown developer:developer /target "$CARGO_HOME/registry"
COPY docker/dev/rust-service.sh /usr/local/bin/rust-service.sh
ENV CARGO_TARGET_DIR=/target \
    HOST=0.0.0.0 \
    PORT=8000 \
    ENVIRONMENT=development
WORKDIR /src
USER 1000:1000
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=5s --start-period=15m --retries=3 \
  CMD ["rust-service.sh", "--healthcheck"]
ENTRYPOINT ["rust-service.sh"]
