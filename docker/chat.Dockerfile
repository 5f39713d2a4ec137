# syntax=docker/dockerfile:1
# The chat service's image: its binary from the shared Rust build (RUST_BUILDER, built
# first from docker/rust-builder.Dockerfile), on distroless cc as user 65532. Its migrations
# are embedded in the binary; it reads nothing else from the image but the CA bundle.
# Build from the repository root:
#   docker build --platform linux/amd64 -f docker/chat.Dockerfile \
#     --build-arg RUST_BUILDER_TAG=... --build-arg VERSION=... --build-arg GIT_SHA=... .
# The builder is named with its tag apart, so a pipeline pins the one it built (the git SHA).
ARG RUST_BUILDER=peerprep/rust-builder
ARG RUST_BUILDER_TAG=latest

FROM ${RUST_BUILDER}:${RUST_BUILDER_TAG} AS build

FROM --platform=linux/amd64 gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=0.0.0-dev
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="peerprep-chat" \
      org.opencontainers.image.description="PeerPrep chat service: room chat over a websocket that loses nothing, kept for good in chat_db." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /out/chat-service /usr/local/bin/chat-service
# Production unless told otherwise: secrets are then required, never defaulted.
ENV HOST=0.0.0.0 \
    PORT=8000 \
    ENVIRONMENT=production \
    RUST_LOG=info
USER 65532:65532
EXPOSE 8000
# No curl here: the binary itself asks its own GET /health (shared::healthcheck).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/chat-service", "--healthcheck"]
ENTRYPOINT ["/usr/local/bin/chat-service"]
