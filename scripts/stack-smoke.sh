#!/usr/bin/env bash
# The stack as `make up` runs it, checked through nginx on 127.0.0.1:8080: the app and its
# caching and security headers, every service prefix (websockets too, and both processes of
# each real-time service), internal routes not proxied, the client's address reaching the
# user service; then `make down`, and Ctrl-C on a foreground stack, leave no process behind.
# Needs ports 8080 and 8001-8016 free. FRONTEND_DIST=<dir> serves that folder (as make up).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stack-lib.sh
. scripts/stack-lib.sh

BASE=http://127.0.0.1:8080
PG_SERVER="${PG_SERVER_URL:-postgres://postgres:postgres@127.0.0.1:5432}"
tmp=$(mktemp -d)
running=0

fail() { echo "[smoke] FAILED: $*" >&2; exit 1; }
ok() { echo "[smoke] ok: $*"; }
cleanup() {
  [ "$running" = 0 ] || bash scripts/down.sh >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# fetch <name> <path> [curl args...]: headers in $tmp/<name>.h, body in $tmp/<name>.b;
# prints the status.
fetch() {
  local name=$1 path=$2
  shift 2
  curl -sS -o "$tmp/$name.b" -D "$tmp/$name.h" -w '%{http_code}' "$@" "$BASE$path" ||
    fail "GET $path: curl could not reach nginx"
}
header() { # name header
  grep -i "^$2:" "$tmp/$1.h" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//' || true
}
expect_status() { # name path want got
  [ "$4" = "$3" ] || fail "GET $2 answered $4, not $3: $(head -c 300 "$tmp/$1.b")"
}
expect_header() { # name header want
  local got
  got=$(header "$1" "$2")
  [ "$got" = "$3" ] || fail "$1: $2 is '$got', not '$3'"
}
stack_pids() { awk '{print $2}' "$STACK_PIDS"; }
# Every listed process has ended, every port is closed, and no nginx runs our config.
nothing_left() { # what pids...
  local what=$1 pid port
  shift
  for pid in "$@"; do
    ! alive "$pid" || fail "$what: process $pid ($(ps -o args= -p "$pid")) still runs"
  done
  for port in "${STACK_PORTS[@]}"; do
    ! port_open "$port" || fail "$what: port $port still answers"
  done
  ! pgrep -f "$PWD/.local/nginx/" >/dev/null || fail "$what: an nginx with .local/nginx/ still runs"
  ok "$what: all $# processes ended, ports ${STACK_PORTS[*]} closed (pgrep finds no nginx)"
}

echo "[smoke] starting the stack in the background (make up-detached)"
running=1
make --no-print-directory up-detached || fail "the stack did not start (see $STACK_LOGS/up.log)"
# The ready line says nothing of a missing build: that is for a person; here it must be built.

# The app: index.html, never cached, with the security headers.
status=$(fetch index /)
expect_status index / 200 "$status"
case $(header index Content-Type) in text/html*) ;; *) fail "/ is not text/html" ;; esac
expect_header index Cache-Control no-cache
expect_header index X-Content-Type-Options nosniff
expect_header index X-Frame-Options DENY
expect_header index Referrer-Policy strict-origin-when-cross-origin
csp=$(header index Content-Security-Policy)
for part in "default-src 'self'" "script-src 'self'" "connect-src 'self' ws://127.0.0.1:8080" \
  "img-src 'self' data:" "object-src 'none'" "frame-ancestors 'none'"; do
  [[ $csp == *"$part"* ]] || fail "the Content-Security-Policy lacks \"$part\": $csp"
done
ok "/ is index.html, Cache-Control: no-cache, with nosniff, DENY, Referrer-Policy and the CSP"

# A hashed asset index.html loads: a year, immutable, gzipped.
asset=$(grep -o '/assets/[^"'"'"' >]*' "$tmp/index.b" | head -n 1 || true)
[ -n "$asset" ] || fail "index.html references no /assets/ file: is the frontend built?"
status=$(fetch asset "$asset" -H 'Accept-Encoding: gzip')
expect_status asset "$asset" 200 "$status"
expect_header asset Cache-Control "public, max-age=31536000, immutable"
if [ "$(stat -c %s "$tmp/asset.b")" -ge 1024 ] || [ -n "$(header asset Content-Encoding)" ]; then
  expect_header asset Content-Encoding gzip
fi
expect_header asset X-Content-Type-Options nosniff
status=$(fetch missing /assets/no-such-file-0000.js)
expect_status missing /assets/no-such-file-0000.js 404 "$status"
[ -z "$(header missing Cache-Control)" ] || fail "a missing asset's 404 carries Cache-Control"
ok "$asset: Cache-Control a year, immutable, gzip; a missing asset is 404, not index.html"

# A deep link is the app.
status=$(fetch deep /session/abc)
expect_status deep /session/abc 200 "$status"
cmp -s "$tmp/index.b" "$tmp/deep.b" || fail "/session/abc is not index.html"
expect_header deep Cache-Control no-cache
ok "/session/abc is index.html"

# Every prefix reaches its service.
for service in user question history matching collaboration chat; do
  path=/$service-service-api/health
  status=$(fetch health "$path")
  expect_status health "$path" 200 "$status"
  grep -q '"status"' "$tmp/health.b" || fail "$path is not the service's health: $(cat "$tmp/health.b")"
done
ok "/<service>-service-api/health is 200 for all six prefixes"
# API answers are not compressed (tokens beside reflected input: BREACH).
status=$(fetch questions '/question-service-api/questions?per_page=50' -H 'Accept-Encoding: gzip')
expect_status questions /question-service-api/questions 200 "$status"
[ "$(stat -c %s "$tmp/questions.b")" -ge 1024 ] || fail "the question list is too short to tell"
expect_header questions Content-Encoding ""
ok "API answers are not gzipped (a $(stat -c %s "$tmp/questions.b")-byte question list)"

# Request ids pass through (an unacceptable one is replaced), and each real-time prefix
# reaches both of its processes.
status=$(fetch rid /user-service-api/health -H 'X-Request-Id: smoke-id-1')
expect_header rid X-Request-Id smoke-id-1
status=$(fetch rid /user-service-api/health -H 'X-Request-Id: not acceptable!')
[[ $(header rid X-Request-Id) =~ ^[0-9a-f]{32}$ ]] || fail "a bad X-Request-Id was not replaced by nginx's"
for service in matching collaboration chat; do
  ids=()
  for i in 1 2 3 4 5 6; do
    ids+=("smoke-$service-$i-$$")
    fetch probe "/$service-service-api/smoke-probe" -H "X-Request-Id: ${ids[-1]}" >/dev/null
  done
  for log in "$service" "$service-2"; do
    found=0
    for id in "${ids[@]}"; do grep -q "request_id=$id " "$STACK_LOGS/$log.log" && found=1; done
    [ "$found" = 1 ] || fail "none of 6 requests to /$service-service-api/ reached the process $log"
  done
done
ok "X-Request-Id passes (a bad one is replaced); matching, collaboration and chat each spread over 2 processes"

# Internal routes and metrics stay inside, though the services serve them.
room=3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b
curl -fsS -o /dev/null http://127.0.0.1:8006/metrics || fail "chat serves no /metrics itself"
for path in "/internal/rooms/$room" /metrics /chat-service-api/metrics; do
  status=$(fetch internal "$path")
  expect_status internal "$path" 404 "$status"
  ! grep -q '"error"' "$tmp/internal.b" || fail "$path reached a service: $(cat "$tmp/internal.b")"
done
ok "/internal/…, /metrics: 404 from nginx"

# Sign up through nginx from a loopback address other than nginx's own (127.0.0.1), with
# an X-Forwarded-For the client wrote itself: the user service records the address nginx
# saw, not the forged one nor nginx's.
client="127.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 2))"
email="smoke-$$-$RANDOM@example.com"
status=$(fetch signup /user-service-api/auth/signup --interface "$client" \
  -H 'X-Forwarded-For: 203.0.113.7' -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"username\":\"smoke$$$RANDOM\",\"password\":\"a smoke test passphrase\"}")
expect_status signup /user-service-api/auth/signup 201 "$status"
recorded=$(psql "$PG_SERVER/user_db" -Atqc \
  "SELECT s.ip FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '$email'")
[ "$recorded" = "$client" ] ||
  fail "the user service recorded '$recorded' for a sign-up from $client (X-Forwarded-For: 203.0.113.7)"
ok "a sign-up through nginx from $client is recorded as $client (not 203.0.113.7, not 127.0.0.1)"
token=$(sed -E 's/.*"access_token":"([^"]+)".*/\1/' "$tmp/signup.b")

# Websockets: upgraded through nginx (matching, with a token), and chat's own 401 without.
ws_headers=(-H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13'
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Origin: http://localhost:8080')
status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 "${ws_headers[@]}" \
  -H "Authorization: Bearer $token" "$BASE/matching-service-api/ws" 2>/dev/null || true)
[ "$status" = 101 ] || fail "a websocket to /matching-service-api/ws with a token got $status, not 101"
status=$(fetch ws "/chat-service-api/ws/$room" "${ws_headers[@]}")
expect_status ws "/chat-service-api/ws/$room" 401 "$status"
grep -q '"error"' "$tmp/ws.b" || fail "the 401 is not chat's: $(cat "$tmp/ws.b")"
ok "websockets: 101 from matching through nginx; chat's own 401 without a token"

# make down leaves nothing behind.
mapfile -t pids < <(stack_pids)
make --no-print-directory down >/dev/null || fail "make down failed"
running=0
[ ! -f "$STACK_PIDS" ] || fail "make down left $STACK_PIDS"
nothing_left "make down" "${pids[@]}"

# Ctrl-C on a foreground `make up`: the terminal sends SIGINT to its whole process group.
echo "[smoke] starting the stack in the foreground and pressing Ctrl-C"
running=1
# (a background job of a script starts with SIGINT ignored: env gives it back, as a terminal's
# foreground `make up` has it)
setsid env --default-signal=INT bash scripts/up.sh </dev/null >"$tmp/up.log" 2>&1 &
up=$!
for _ in $(seq 1 600); do
  grep -q '^\[up\] ready: ' "$tmp/up.log" && break
  alive "$up" || fail "the stack did not start: $(tail -n 20 "$tmp/up.log")"
  sleep 0.5
done
grep -q '^\[up\] ready: ' "$tmp/up.log" || fail "the stack was not ready in 5 minutes"
mapfile -t pids < <(stack_pids)
kill -INT -- "-$up"
for _ in $(seq 1 300); do alive "$up" || break; sleep 0.2; done
! alive "$up" || fail "up.sh still runs 60s after Ctrl-C"
wait "$up" && code=0 || code=$?
[ "$code" = 130 ] || fail "up.sh ended with $code after Ctrl-C, not 130: $(tail -n 5 "$tmp/up.log")"
grep -q '^\[up\] stopping' "$tmp/up.log" || fail "up.sh did not say it was stopping"
running=0
nothing_left "Ctrl-C" "${pids[@]}"
echo "[smoke] all checks passed"
