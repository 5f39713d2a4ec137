#!/bin/sh
# The stand-in redis image's entrypoint, as the official one: options alone are given to
# redis-server, and redis-server runs with protected mode off (the container's network is
# what protects it).
set -eu
case "${1:-}" in
  "" | -*) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ]; then
  shift
  exec redis-server --protected-mode no "$@"
fi
exec "$@"
