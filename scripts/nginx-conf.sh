#!/usr/bin/env bash
# Writes the local stack's nginx config under .local/nginx/: peerprep.conf is
# frontend/nginx.conf.template filled by envsubst (the same template as the container's),
# nginx.conf wraps it with a pid file, temp paths and logs of its own, so this nginx is
# a process of `make up`, not the system service.
# Needs NGINX_LISTEN, STATIC_ROOT and the *_SERVERS variables (see the template).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="$PWD/.local/nginx"
logs="$PWD/.local/logs"
mkdir -p "$dir/tmp" "$logs"

# shellcheck disable=SC2016 # envsubst gets the names, not their values
vars='${NGINX_LISTEN} ${STATIC_ROOT} ${USER_SERVERS} ${QUESTION_SERVERS} ${HISTORY_SERVERS}'
# shellcheck disable=SC2016
vars+=' ${MATCHING_SERVERS} ${COLLABORATION_SERVERS} ${CHAT_SERVERS}'
for name in $vars; do
  name=${name#\$\{}
  name=${name%\}}
  [ -n "${!name:-}" ] || { echo "[nginx] error: $name is not set" >&2; exit 1; }
done
envsubst "$vars" <frontend/nginx.conf.template >"$dir/peerprep.conf"

# nginx's workers run as nobody when started by root; a checkout nobody cannot read
# (e.g. under /root) is served by root-owned workers instead, on loopback only.
user=""
if [ "$(id -u)" -eq 0 ] && ! runuser -u nobody -- test -r "$STATIC_ROOT/index.html" 2>/dev/null; then
  user="user root;"
fi

cat >"$dir/nginx.conf" <<CONF
# Written by scripts/nginx-conf.sh for make up; edit frontend/nginx.conf.template instead.
$user
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $logs/nginx.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $logs/nginx.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/peerprep.conf;
}
CONF
