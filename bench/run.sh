#!/usr/bin/env bash
# Tracker's benchmarks (README, "Benchmarks"; targets in bench/RESULTS.md), one command:  bash bench/run.sh
#
# Installs what it needs (h2load, PostgreSQL 15 with pgbench), publishes Release builds of the
# server and of the bench projects (which are not in Tracker.sln, so the test command never
# builds them), starts a durable PostgreSQL and each server as its own process on 127.0.0.1,
# runs every scenario for a fixed time after a warm-up, checks each run independently of the
# load tool (events counted with SQL, calls counted by the server, grpc-status read per call by
# the driver) and writes bench/RESULTS.md, each figure beside the last run's on the home-made gRPC
# runtime (bench/previous-homemade-runtime.tsv). Not run by CI or by build/test.sh.
#
# Environment (defaults in brackets): BENCH_ROUNDS [3] rounds of BENCH_WARMUP [3] plus
# BENCH_DURATION [5] measured seconds for each side of a throughput comparison (15 s measured in
# all), the first round warming up for BENCH_BURN_IN [30] s; BENCH_READ_DURATION [15] seconds of
# paired read calls (search, get) after BENCH_READ_WARMUP [10] s of warm-up; for each of scenario
# h's 14 kinds of query, BENCH_H_DURATION [READ_DURATION / 3] s after BENCH_H_WARMUP
# [READ_WARMUP / 5] s (READ_WARMUP s on the first kind), and BENCH_H_SQL_PATH [auto] for its SQL
# side (statements: the store's built SQL run directly; store: the store class in process; auto:
# statements while the store builds them where the driver finds them);
# BENCH_EVENTS [1000000] events for the read scenarios; BENCH_STARTUP_RUNS [10].
#
# BENCH_SCENARIOS [a,b,c,d,e,f,g,h,i,j,k] runs only the scenarios named (a and b run together; f's
# memory at rest follows the reads of d and h) and BENCH_STORES [sqlite postgres] the read
# scenarios on those stores only. A run of only some of them writes to bench/out/partial and
# its report to bench/out/partial/RESULTS.md, leaving bench/out and bench/RESULTS.md as the last
# full run left them. To iterate on the query language (h) on a small data set:
#
#   BENCH_SCENARIOS=h BENCH_EVENTS=20000 BENCH_READ_WARMUP=3 BENCH_READ_DURATION=5 bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP="${BENCH_WARMUP:-3}"
# The first round's warm-up: under load on 2 cores the JIT's tiering takes some 20 s to reach
# steady code (measured: CreateEvent on PostgreSQL climbs from 1,300 to 4,000 events/s over the
# first 20 s of load), so each side gets this long a warm-up before its first measured run.
BURN_IN="${BENCH_BURN_IN:-30}"
DURATION="${BENCH_DURATION:-5}"
ROUNDS="${BENCH_ROUNDS:-3}"
EVENTS="${BENCH_EVENTS:-1000000}"
READ_DURATION="${BENCH_READ_DURATION:-15}"
READ_WARMUP="${BENCH_READ_WARMUP:-10}"
STARTUP_RUNS="${BENCH_STARTUP_RUNS:-10}"
# Scenario h's kinds (QueryLanguage.Kinds), each measured for a share of READ_DURATION.
H_KINDS=(filter-or filter-label fulltext fulltext-service fulltext-common fulltext-common-service
  fulltext-rare fulltext-rare-service fulltext-absent fulltext-absent-service fulltext-prefix
  fulltext-prefix-service after-id after-id-service)
H_DURATION="${BENCH_H_DURATION:-$(( READ_DURATION / 3 > 2 ? READ_DURATION / 3 : 2 ))}"
H_WARMUP="${BENCH_H_WARMUP:-$(( READ_WARMUP / 5 > 1 ? READ_WARMUP / 5 : 1 ))}"
H_SQL_PATH="${BENCH_H_SQL_PATH:-auto}"
ALL_SCENARIOS="a,b,c,d,e,f,g,h,i,j,k"
SCENARIOS="${BENCH_SCENARIOS:-$ALL_SCENARIOS}"
STORES="${BENCH_STORES:-sqlite postgres}"
wants() { [[ ",$SCENARIOS," == *",$1,"* ]]; }
# 64 concurrent calls: 8 HTTP/2 connections of 8 streams each, one h2load thread.
H2LOAD_CONCURRENCY=(-t 1 -c 8 -m 8)

OUT="bench/out"
REPORT="bench/RESULTS.md"
if [ "$SCENARIOS" != "$ALL_SCENARIOS" ] || [ "$STORES" != "sqlite postgres" ]; then
  OUT="bench/out/partial"
  REPORT="$OUT/RESULTS.md"
fi
RESULTS="$OUT/results"
PUBLISH="$OUT/publish"
DATA="$OUT/data"
COMMANDS="$OUT/commands.md"
PGDIR="/tmp/tracker-bench-postgres"
SERVER_LOG="$OUT/servers.log"

say() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

# Prints a command into the record of exact commands, then runs it.
run() {
  printf '%s\n' "$(printf '%q ' "$@")" >>"$COMMANDS"
  "$@"
}

driver() { run dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" "$@"; }

# --- 1. What the bench needs ---------------------------------------------------------------
say "install"
missing=()
command -v h2load >/dev/null || missing+=(nghttp2-client)
[ -x /usr/lib/postgresql/15/bin/pgbench ] || missing+=(postgresql postgresql-contrib)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
fi
export PATH="/usr/lib/postgresql/15/bin:$PATH"

rm -rf "$OUT"
mkdir -p "$RESULTS" "$PUBLISH" "$DATA"
: >"$SERVER_LOG"
cat >"$COMMANDS" <<'EOF'
# Exact commands of the last run (bench/run.sh)

```sh
EOF

# --- 2. Release builds ---------------------------------------------------------------------
say "publish Release builds"
# For this machine's runtime, so it is precompiled (ReadyToRun, see Tracker.Server.csproj), as a
# deployment would be; framework-dependent, like the container image.
run dotnet publish src/Tracker.Server/Tracker.Server.csproj -c Release -r linux-x64 --self-contained false -o "$PUBLISH/server" --nologo -v quiet
run dotnet publish bench/Tracker.Bench.Driver/Tracker.Bench.Driver.csproj -c Release -o "$PUBLISH/driver" --nologo -v quiet
if wants c; then
  run dotnet publish bench/Tracker.Bench.NoopHost/Tracker.Bench.NoopHost.csproj -c Release -o "$PUBLISH/noop" --nologo -v quiet
  run dotnet publish bench/Tracker.Bench.KestrelBaseline/Tracker.Bench.KestrelBaseline.csproj -c Release -o "$PUBLISH/kestrel" --nologo -v quiet
fi
driver prepare --out "$OUT"

# --- 3. Processes: PostgreSQL and the servers, all stopped on exit ---------------------------
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  TRACKER_PG_TEST_DIR="$PGDIR" bash build/postgres-test-server.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

say "start PostgreSQL (durable: fsync, synchronous_commit, full_page_writes on)"
# The test script's throwaway cluster, made durable again: ALTER SYSTEM overrides the test
# settings (fsync=off ...) it writes into postgresql.conf; a restart applies shared_buffers.
eval "$(TRACKER_PG_TEST_DIR="$PGDIR" TRACKER_PG_TEST_PORT=56432 bash build/postgres-test-server.sh start)"
PG="$TRACKER_TEST_POSTGRES"
pg_port="$(cat "$PGDIR/port")"
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
psql_admin -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
  -c "ALTER SYSTEM SET full_page_writes = on" -c "ALTER SYSTEM SET shared_buffers = '512MB'" \
  -c "ALTER SYSTEM SET max_wal_size = '4GB'"
TRACKER_PG_TEST_DIR="$PGDIR" bash build/postgres-test-server.sh halt
eval "$(TRACKER_PG_TEST_DIR="$PGDIR" bash build/postgres-test-server.sh start)"
psql_admin -At -c "SELECT name || ' = ' || setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','wal_sync_method','shared_buffers','commit_delay','max_connections') ORDER BY name" >"$OUT/postgres-settings.txt"
cat "$OUT/postgres-settings.txt"
pg_db() { echo "${PG/Database=postgres/Database=$1}"; }
new_db() { psql_admin -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

# Starts the published server in its own directory; sets SERVER_PID, GRPC_URL, HTTP_URL.
start_tracker() {
  local name="$1" grpc_port="$2" http_port="$3"; shift 3
  local dir="$DATA/$name"
  mkdir -p "$dir"
  printf '%s\n' "(cd $dir && ${SERVER_CPUS:+taskset -c $SERVER_CPUS }env ${SERVER_LIMITS-Limits__QueueLength=256} ${*:+$(printf '%q ' "$@")}Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:$grpc_port Kestrel__Endpoints__Http__Url=http://127.0.0.1:$http_port dotnet Tracker.Server.dll)" >>"$COMMANDS"
  # Throughput scenarios keep up to 128 calls in flight (i's paced creates): a long queue, so
  # that none is refused whatever the server's processor count; refusals are j's subject.
  (cd "$dir" && exec ${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} env ${SERVER_LIMITS-Limits__QueueLength=256} "$@" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$grpc_port" Kestrel__Endpoints__Http__Url="http://127.0.0.1:$http_port" \
      dotnet "$PWD/../../publish/server/Tracker.Server.dll" >>"$PWD/../../servers.log" 2>&1) &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  GRPC_URL="http://127.0.0.1:$grpc_port"
  HTTP_URL="http://127.0.0.1:$http_port"
  wait_http "$HTTP_URL/healthz"
}

# Starts a published bench host (noop or kestrel); sets SERVER_PID.
start_host() {
  local project="$1" dll="$2" port="$3"
  printf '%s\n' "dotnet $dll --urls http://127.0.0.1:$port" >>"$COMMANDS"
  dotnet "$PUBLISH/$project/$dll" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  wait_http "http://127.0.0.1:$port/calls" --http2-prior-knowledge
}

wait_http() {
  local url="$1"; shift
  for _ in $(seq 1 300); do
    curl -sf "$@" -o /dev/null "$url" && return 0
    sleep 0.1
  done
  echo "no answer from $url; server log:" >&2
  tail -n 30 "$SERVER_LOG" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# The warm-up of round $1: long for the first, short after.
warmup_of() { if [ "$1" -eq 1 ]; then echo "$BURN_IN"; else echo "$WARMUP"; fi; }

grpc_h2load() {
  # h2load cannot read grpc-status: the driver checks its count against an independent one.
  local round="$1" url="$2" body="$3"; shift 3
  driver h2load --warmup "$(warmup_of "$round")" --duration "$DURATION" "$@" -- \
    "${H2LOAD_CONCURRENCY[@]}" -d "$body" -H 'content-type: application/grpc' -H 'te: trailers' "$url"
}

# Machine and date, for the report.
cat >"$RESULTS/machine.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "cores": $(nproc),
  "memory_mb": $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo),
  "cpu": "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)",
  "kernel": "$(uname -r)",
  "dotnet": "$(dotnet --version)",
  "postgres": "$(psql_admin -At -c 'SHOW server_version')",
  "h2load": "$(h2load --version | head -n 1)",
  "load_average_at_start": "$(cut -d' ' -f1-3 /proc/loadavg)",
  "commit": "$(git rev-parse --short HEAD)",
  "scenarios": "$SCENARIOS",
  "all_scenarios": "$ALL_SCENARIOS",
  "stores": "$STORES"
}
EOF

# --- g. Start-up to ready, embedded store --------------------------------------------------
if wants g; then
  say "g: start-up to ready (SQLite)"
  driver startup --server "$PUBLISH/server/Tracker.Server.dll" --runs "$STARTUP_RUNS" --result "$RESULTS/g-startup.json"
fi

# Throughput comparisons run in rounds, the two sides taking turns (A B, then B A, ...), so that
# both meet the same moments of a shared machine; the report adds the rounds up.
order() { if [ $(($1 % 2)) -eq 1 ]; then echo "$2"; else echo "$2" | tr ' ' '\n' | tac | tr '\n' ' '; fi; }

# --- c. The gRPC runtime (Grpc.AspNetCore): no-op unary method vs plain Kestrel -------------
if wants c; then
  say "c: no-op gRPC method on Grpc.AspNetCore vs plain Kestrel, h2load, $ROUNDS rounds"
  start_host noop Tracker.Bench.NoopHost.dll 18901
  NOOP_PID=$SERVER_PID
  start_host kestrel Tracker.Bench.KestrelBaseline.dll 18902
  KESTREL_PID=$SERVER_PID
  for r in $(seq 1 "$ROUNDS"); do
    for side in $(order "$r" "tracker kestrel"); do
      if [ "$side" = tracker ]; then port=18901; pid=$NOOP_PID; else port=18902; pid=$KESTREL_PID; fi
      grpc_h2load "$r" "http://127.0.0.1:$port/tracker.bench.v1.NoopService/Noop" "$OUT/noop.grpc" \
        --calls "http://127.0.0.1:$port/calls" --pid "$pid" --result "$RESULTS/c-noop-$side.r$r.json"
    done
  done
  kill "$NOOP_PID" "$KESTREL_PID"; wait "$NOOP_PID" "$KESTREL_PID" 2>/dev/null || true
fi

# --- a, b. CreateEvent on PostgreSQL: pgbench, gRPC, REST ----------------------------------
if wants a || wants b; then
  say "a, b: CreateEvent on PostgreSQL at 64 concurrent: pgbench INSERT, gRPC, REST, $ROUNDS rounds"
  new_db bench_pgbench
  driver migrate --store "postgres:$(pg_db bench_pgbench)"
  new_db bench_tracker
  start_tracker pg-write 18765 18080 Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_db bench_tracker)"
  rest_status="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' --data-binary "@$OUT/create.json" "$HTTP_URL/api/v1alpha1/event")"
  sides="pgbench grpc rest"
  if [ "$rest_status" != 200 ]; then
    sides="pgbench grpc"
    echo "{\"unavailable\": \"POST /api/v1alpha1/event answered HTTP $rest_status: REST transcoding is not served by this build\"}" >"$RESULTS/b-rest-postgres.json"
  fi
  for r in $(seq 1 "$ROUNDS"); do
    for side in $(order "$r" "$sides"); do
      case "$side" in
        pgbench)
          driver pgbench --count "postgres:$(pg_db bench_pgbench)" --warmup "$(warmup_of "$r")" --duration "$DURATION" --result "$RESULTS/a-pgbench.r$r.json" -- \
            -n -M prepared -c 64 -j 2 -f "$OUT/pgbench-insert.sql" -h 127.0.0.1 -p "$pg_port" -U postgres bench_pgbench ;;
        grpc)
          grpc_h2load "$r" "$GRPC_URL/tracker.event.v1alpha1.EventService/CreateEvent" "$OUT/create.grpc" \
            --count "postgres:$(pg_db bench_tracker)" --pid "$SERVER_PID" --result "$RESULTS/a-grpc-postgres.r$r.json" ;;
        rest)
          driver h2load --warmup "$(warmup_of "$r")" --duration "$DURATION" --count "postgres:$(pg_db bench_tracker)" --pid "$SERVER_PID" --result "$RESULTS/b-rest-postgres.r$r.json" -- \
            "${H2LOAD_CONCURRENCY[@]}" -d "$OUT/create.json" -H 'content-type: application/json' "$HTTP_URL/api/v1alpha1/event" ;;
      esac
    done
  done
  stop_server

  say "a (stages): PostgresEventStore.CreateAsync in process, 64 concurrent callers"
  new_db bench_store
  driver store-create --store "postgres:$(pg_db bench_store)" --concurrency 64 --warmup "$BURN_IN" --duration "$DURATION" --result "$RESULTS/a-store-postgres.json"
fi

# --- e. CreateEvent on SQLite vs a raw Microsoft.Data.Sqlite loop ---------------------------
# The target's baseline is the raw loop committing 64 events per transaction into the same schema
# (the store's own row writer: the events row and its indexes, full text, side rows, change log),
# what group commit allows at 64 concurrent; it takes turns with gRPC in every round. The loop
# committing each event alone is the floor, one fsync per event.
if wants e; then
  say "e: gRPC CreateEvent on SQLite at 64 concurrent vs raw Microsoft.Data.Sqlite loops (64 events per commit, one), $ROUNDS rounds"
  start_tracker sqlite-write 18767 18082
  for r in $(seq 1 "$ROUNDS"); do
    for side in $(order "$r" "grpc raw64 raw"); do
      case "$side" in
        grpc)
          grpc_h2load "$r" "$GRPC_URL/tracker.event.v1alpha1.EventService/CreateEvent" "$OUT/create.grpc" \
            --count "sqlite:Data Source=$DATA/sqlite-write/data/tracker.db" --pid "$SERVER_PID" --result "$RESULTS/e-grpc-sqlite.r$r.json" ;;
        raw64)
          driver sqlite-raw --cs "Data Source=$DATA/sqlite-raw64.db" --warmup "$(warmup_of "$r")" --duration "$DURATION" --batch 64 --result "$RESULTS/e-raw64-sqlite.r$r.json" ;;
        raw)
          driver sqlite-raw --cs "Data Source=$DATA/sqlite-raw.db" --warmup "$(warmup_of "$r")" --duration "$DURATION" --result "$RESULTS/e-raw-sqlite.r$r.json" ;;
      esac
    done
  done
  stop_server
fi

# --- d, f, h. 1,000,000 events: search, get and the query language on each store ------------
# Each store is loaded right before its own reads, so neither store's reads share the machine
# with the other's loading (PostgreSQL's checkpoint after a bulk load, say).
if wants d || wants f || wants h; then
  for store in $STORES; do
    say "generate $EVENTS events into $store (d, f, h)"
    if [ "$store" = sqlite ]; then
      mkdir -p "$DATA/sqlite-read/data"
      driver generate --store "sqlite:Data Source=$DATA/sqlite-read/data/tracker.db" --count "$EVENTS" --result "$RESULTS/d-generate-sqlite.json"
    else
      new_db bench_read
      driver generate --store "postgres:$(pg_db bench_read)" --count "$EVENTS" --result "$RESULTS/d-generate-postgres.json"
    fi

    if [ "$store" = sqlite ]; then
      start_tracker sqlite-read 18768 18083
      target="sqlite:Data Source=$DATA/sqlite-read/data/tracker.db"
    else
      start_tracker pg-read 18769 18084 Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_db bench_read)"
      target="postgres:$(pg_db bench_read)"
    fi
    if wants d; then
      say "d: SearchEvents and GetEvent over $EVENTS events on $store, vs the store's SQL"
      driver latency --kind search --grpc "$GRPC_URL" --store "$target" --pid "$SERVER_PID" --warmup "$READ_WARMUP" --duration "$READ_DURATION" --result "$RESULTS/d-search-$store.json"
      driver latency --kind get --grpc "$GRPC_URL" --store "$target" --pid "$SERVER_PID" --warmup "$READ_WARMUP" --duration "$READ_DURATION" --result "$RESULTS/d-get-$store.json"
    fi

    if wants h; then
      # The query language (README, "Searching"; QueryLanguage.cs): filters, full text with common,
      # rare, absent and prefix words and a deployment's name, after_id polls, the last four and
      # the deployment also with a service filter; each paired with the store's SQL as d's search
      # is. Each kind gets a share of the read time: H_WARMUP (READ_WARMUP on the first kind, the
      # server and cache then warm) and H_DURATION, then as long again for the store class in process.
      say "h: ListEvents with the query language over $EVENTS events on $store, vs the store's SQL (${#H_KINDS[@]} kinds, ${H_DURATION} s each)"
      h_warmup="$READ_WARMUP"
      for kind in "${H_KINDS[@]}"; do
        driver latency --kind "$kind" --grpc "$GRPC_URL" --store "$target" --pid "$SERVER_PID" --sql-path "$H_SQL_PATH" --warmup "$h_warmup" --duration "$H_DURATION" --result "$RESULTS/h-$kind-$store.json"
        h_warmup="$H_WARMUP"
      done
    fi

    if wants f; then
      driver rss --pid "$SERVER_PID" --result "$RESULTS/f-loaded-$store.json"
    fi
    stop_server
  done
fi

# --- i. WatchEvents (README, "Watching events"): delivery, throughput with watchers, idle watchers' memory -------
if wants i; then
  for store in $STORES; do
    if [ "$store" = sqlite ]; then
      start_tracker watch-sqlite 18770 18085
    else
      new_db bench_watch
      start_tracker watch-postgres 18771 18086 Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_db bench_watch)"
    fi
    say "i: 100 watchers while 1,000 creates/s arrive, $store: create acknowledged to arrival"
    # A fresh server: the burn-in's warm-up, as before any first measured round (method notes).
    # --metrics: the server's own tracker.watch.lag over the measured part, beside the client's figure.
    driver watch --mode delivery --grpc "$GRPC_URL" --metrics "$HTTP_URL/metrics" --pid "$SERVER_PID" --watchers 100 --rate 1000 --warmup "$BURN_IN" --duration "$READ_DURATION" --result "$RESULTS/i-delivery-$store.json"
    say "i: CreateEvent at 64 concurrent with no watcher and with 100, $ROUNDS rounds, $store"
    driver watch --mode throughput --grpc "$GRPC_URL" --pid "$SERVER_PID" --watchers 100 --warmup "$WARMUP" --duration "$DURATION" --rounds "$ROUNDS" --result "$RESULTS/i-throughput-$store.json"
    if [ "$store" = sqlite ]; then
      say "i: server memory with 1,000 idle watchers"
      driver watch --mode idle --grpc "$GRPC_URL" --pid "$SERVER_PID" --watchers 1000 --result "$RESULTS/i-idle.json"
    fi
    stop_server
  done
fi

# --- j. Overload (README, "Limits"): 10x the callers against the default concurrency limit ---------------
# The server on core 0 and the driver on the others, so that the 10x callers' own work does not
# take the server's core: the load as if from another machine. The server then sees one
# processor: 16 read slots and 16 queue places by default, and the normal load is those 32 callers.
if wants j; then
  if [ "$(nproc)" -ge 2 ]; then j_server=0; j_driver="1-$(($(nproc) - 1))"; j_callers=32; else j_server=""; j_driver=""; j_callers=64; fi
  SERVER_LIMITS="" SERVER_CPUS="$j_server" start_tracker overload-sqlite 18772 18087
  say "j: ListEvents by $j_callers closed-loop callers, then by $((j_callers * 10)) (10x), SQLite, default Limits, server on cpu ${j_server:-any}, driver on ${j_driver:-any}"
  run ${j_driver:+taskset -c "$j_driver"} dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" overload --grpc "$GRPC_URL" --metrics "$HTTP_URL/metrics" --pid "$SERVER_PID" \
    --callers "$j_callers" --factor 10 --warmup "$WARMUP" --duration "$READ_DURATION" --server-cpus "${j_server:-any}" --result "$RESULTS/j-overload.json"
  stop_server
fi

# --- k. Notifications (README, "Notifications"): 10 webhook channels, creates at 200/s, on each store ---------
# Private and http targets allowed, for the driver's receiver on 127.0.0.1. Rounds take turns with
# and without the channels; each with-round waits until every event reached every channel.
if wants k; then
  for store in $STORES; do
    if [ "$store" = sqlite ]; then
      start_tracker notify-sqlite 18773 18088 Notifications__AllowPrivateTargets=true Notifications__AllowHttp=true
    else
      new_db bench_notify
      start_tracker notify-postgres 18774 18089 Notifications__AllowPrivateTargets=true Notifications__AllowHttp=true Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_db bench_notify)"
    fi
    say "k: 10 webhook channels, CreateEvent paced at 200/s, with and without the channels, $ROUNDS rounds, $store"
    driver notify --grpc "$GRPC_URL" --http "$HTTP_URL" --channels 10 --rate 200 --burn-in "$BURN_IN" --warmup "$WARMUP" --duration "$DURATION" --rounds "$ROUNDS" --result "$RESULTS/k-notify-$store.json"
    stop_server
  done
fi

# --- Report ----------------------------------------------------------------------------------
echo '```' >>"$COMMANDS"
say "report"
dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" report --results "$RESULTS" --commands "$COMMANDS" \
  --analysis bench/analysis.md --previous bench/previous-homemade-runtime.tsv --out "$REPORT"
echo "$REPORT written"
