# syntax=docker/dockerfile:1
# The frontend's image: the app built with Node, served by nginx with
# frontend/nginx.conf.template, which also proxies each /<name>-service-api/ prefix
# (websockets included) to its service. nginx runs as its user nginx (101) on port 8080.
# Build from the repository root:
#   docker build --platform linux/amd64 -f docker/frontend.Dockerfile \
#     --build-arg VERSION=... --build-arg GIT_SHA=... .
# At start the image's entrypoint fills the template from the environment (only the
# variables NGINX_ENVSUBST_FILTER names, so nginx's own $host etc. survive); the defaults
# below suit a compose stack whose services are named user, question, ... on port 8000.

FROM --platform=linux/amd64 node:20-bookworm-slim AS build
WORKDIR /app
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM --platform=linux/amd64 nginx:1.28-bookworm
ARG VERSION=0.0.0-dev
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="peerprep-frontend" \
      org.opencontainers.image.description="PeerPrep frontend: the app, and nginx in front of the services" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.licenses="MIT"
# curl for the health check. Without root: no `user` directive. Everything nginx writes is
# under /tmp, so the root filesystem can be read-only (a tmpfs /tmp is all it needs): the
# pid file, the template's output (conf.d, a link to /tmp/nginx-conf.d) and the temp files
# (/var/cache/nginx, a link to /tmp/nginx-cache); 10-tmp-dirs.sh makes both at start.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && sed -i -e '/^user /d' -e 's,^pid .*,pid /tmp/nginx.pid;,' /etc/nginx/nginx.conf \
 && rm -rf /etc/nginx/conf.d /var/cache/nginx \
 && ln -s /tmp/nginx-conf.d /etc/nginx/conf.d \
 && ln -s /tmp/nginx-cache /var/cache/nginx \
 && printf '#!/bin/sh\nmkdir -p /tmp/nginx-conf.d /tmp/nginx-cache\n' >/docker-entrypoint.d/10-tmp-dirs.sh \
 && chmod 0755 /docker-entrypoint.d/10-tmp-dirs.sh
COPY frontend/nginx.conf.template /etc/nginx/templates/peerprep.conf.template
COPY --from=build /app/dist /usr/share/nginx/html
ENV NGINX_ENVSUBST_FILTER="^(NGINX_LISTEN|STATIC_ROOT|[A-Z]+_SERVERS)$" \
    NGINX_LISTEN=8080 \
    STATIC_ROOT=/usr/share/nginx/html \
    USER_SERVERS="server user:8000;" \
    QUESTION_SERVERS="server question:8000;" \
    HISTORY_SERVERS="server history:8000;" \
    MATCHING_SERVERS="server matching:8000;" \
    COLLABORATION_SERVERS="server collaboration:8000;" \
    CHAT_SERVERS="server chat:8000;"
USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/bin/sh", "-c", "curl -fsS -o /dev/null http://127.0.0.1:${NGINX_LISTEN##*:}/"]
