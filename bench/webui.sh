#!/usr/bin/env bash
# The web UI's first view over a large store (README, "Web UI"), one command:  bash bench/webui.sh
#
# Publishes Release builds of the server (as bench/run.sh does), the data generator
# (Tracker.Bench.Driver) and Tracker.Bench.WebUi; fills a SQLite file with WEBUI_EVENTS
# [1000000] generated events under bench/out/webui/data (kept, and reused while it holds that
# many); starts the server on it on 127.0.0.1:WEBUI_PORT [18280]; and loads each page below
# WEBUI_RUNS [10] times in Debian's chromium, each in a fresh browser context (empty cache),
# timing the navigation until the 50th event row is visible. Prints a table of each page's
# median and p90 and whether its target is met (a median under 1 s for the default timeline,
# ?type=incident&severity=error and ?q=rollback: the URL parameters of the UI's urlstate.js), and
# writes bench/out/webui/first-view.json. Not run by CI or by build/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="${WEBUI_EVENTS:-1000000}"
RUNS="${WEBUI_RUNS:-10}"
PORT="${WEBUI_PORT:-18280}"
OUT="bench/out/webui"
PUBLISH="bench/out/publish"

say() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

SHELL_BROWSER=/usr/lib/chromium/chromium-headless-shell
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x "$SHELL_BROWSER" ] || missing+=(chromium-headless-shell)
if [ ${#missing[@]} -gt 0 ]; then
  say "install ${missing[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
fi

say "publish Release builds"
dotnet publish src/Tracker.Server/Tracker.Server.csproj -c Release -r linux-x64 --self-contained false -o "$PUBLISH/server" --nologo -v quiet
dotnet publish bench/Tracker.Bench.Driver/Tracker.Bench.Driver.csproj -c Release -o "$PUBLISH/driver" --nologo -v quiet
dotnet publish bench/Tracker.Bench.WebUi/Tracker.Bench.WebUi.csproj -c Release -o "$PUBLISH/webui" --nologo -v quiet

mkdir -p "$OUT/data"
if [ ! -f "$OUT/data/generated-$EVENTS" ]; then
  say "generate $EVENTS events"
  rm -f "$OUT"/data/*
  dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" generate --store "sqlite:Data Source=$PWD/$OUT/data/tracker.db" --count "$EVENTS"
  touch "$OUT/data/generated-$EVENTS"
fi

say "start the server on $OUT/data/tracker.db"
server_dll="$PWD/$PUBLISH/server/Tracker.Server.dll"
(cd "$OUT" && exec env Kestrel__Endpoints__Http__Url="http://127.0.0.1:$PORT" \
  Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$((PORT + 1))" Logging__LogLevel__Default=Warning \
  dotnet "$server_dll") >"$OUT/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.2
done

say "first view, $RUNS loads per page, chromium-headless-shell"
dotnet "$PUBLISH/webui/Tracker.Bench.WebUi.dll" --url "http://127.0.0.1:$PORT" --runs "$RUNS" --chromium "$SHELL_BROWSER" \
  --path "/" --path "/?service=orders&environment=production" --path "/?type=incident&severity=error" \
  --path "/?q=rollback" --path "/?view=today" --result "$OUT/first-view.json" \
  --target "/" --target "/?type=incident&severity=error" --target "/?q=rollback" --target-ms 1000

say "the timeline, $RUNS loads, the full chromium"
dotnet "$PUBLISH/webui/Tracker.Bench.WebUi.dll" --url "http://127.0.0.1:$PORT" --runs "$RUNS" --chromium /usr/bin/chromium \
  --path "/" --result "$OUT/first-view-chromium.json"

say "where the time went: two traced loads of the timeline in each browser (not timed above)"
for browser in "$SHELL_BROWSER" /usr/bin/chromium; do
  echo "$browser"
  dotnet "$PUBLISH/webui/Tracker.Bench.WebUi.dll" --url "http://127.0.0.1:$PORT" --runs 2 --chromium "$browser" \
    --path "/" --threads true | grep -Ev '^([{|]|$)'
done
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
