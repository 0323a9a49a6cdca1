#!/usr/bin/env bash
# The measurements behind bench/analysis.md, for the figures of bench/RESULTS.md that need a
# cause. Run after bench/run.sh (it reuses bench/out/publish and the generated SQLite file):
#
#   bash bench/experiments.sh search-plans     the heaviest search's SQLite plan, and search p99 on
#                                              copies of the data (SQLite also after ANALYZE)
#   bash bench/experiments.sh warmup-curve     CreateEvent/s on PostgreSQL in 5 s windows from the
#                                              server's start, default JIT and DOTNET_TieredPGO=0
#   bash bench/experiments.sh sqlite-syncs     events per fsync of the SQLite store under load (perf)
#   bash bench/experiments.sh search-repeats   the SQLite search ratio BENCH_REPEATS [5] times, a
#                                              fresh server each time, workstation and server GC
#                                              taking turns
#   bash bench/experiments.sh query-plans      scenario h: each kind's SQL and plan (driver explain)
#                                              and paired figures, on SQLite as Tracker leaves it and
#                                              after ANALYZE, then on PostgreSQL loaded afresh
#   bash bench/experiments.sh overload-flood   scenario j's 32 callers (server on core 0, callers on
#                                              core 1) alone, then with h2load flooding the same
#                                              ListEvents from 288 more streams, closed loop: a
#                                              runaway client that costs its own core little
#   bash bench/experiments.sh overload-open    the same, with h2load offering 9x the 32 callers' own
#                                              served rate (--rps), so that they and the flood make
#                                              10x the load the server sustains: an open loop
#   bash bench/experiments.sh overload-slots   scenario j (server on core 0, N closed-loop callers,
#                                              then 10 x N) with the server settings in
#                                              FLOOD_SERVER_ENV and N in OVERLOAD_CALLERS [32]
#
# After a partial run (BENCH_SCENARIOS=...), point them at its output: BENCH_OUT=bench/out/partial.
#
# Nothing here changes src/; it works on copies of the bench data.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${BENCH_OUT:-bench/out}"
PUBLISH="$OUT/publish"
EXP="$OUT/experiments"
DATA="$EXP/data"
PGDIR="/tmp/tracker-bench-postgres"
export PATH="/usr/lib/postgresql/15/bin:$PATH"
[ -f "$PUBLISH/server/Tracker.Server.dll" ] || { echo "run bash bench/run.sh first" >&2; exit 1; }
missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v perf >/dev/null || missing+=(linux-perf)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
fi
mkdir -p "$EXP" "$DATA"

pids=()
pg_started=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$pg_started" ]; then TRACKER_PG_TEST_DIR="$PGDIR" bash build/postgres-test-server.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

driver() { dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" "$@"; }

start_postgres() {
  eval "$(TRACKER_PG_TEST_DIR="$PGDIR" TRACKER_PG_TEST_PORT=56432 bash build/postgres-test-server.sh start)"
  pg_started=1
  pg_port="$(cat "$PGDIR/port")"
  psql_admin -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
    -c "ALTER SYSTEM SET full_page_writes = on" -c "ALTER SYSTEM SET shared_buffers = '512MB'" -c "ALTER SYSTEM SET max_wal_size = '4GB'"
  TRACKER_PG_TEST_DIR="$PGDIR" bash build/postgres-test-server.sh halt
  eval "$(TRACKER_PG_TEST_DIR="$PGDIR" bash build/postgres-test-server.sh start)"
}
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "${PGDATABASE_NAME:-postgres}" "$@"; }
pg_cs() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"; }
new_db() { psql_admin -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

# start_tracker DIR PORT [ENV=VALUE ...]: sets SERVER_PID and GRPC_URL.
start_tracker() {
  local dir="$1" port="$2"; shift 2
  mkdir -p "$dir"
  (cd "$dir" && exec ${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} env "$@" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$port" Kestrel__Endpoints__Http__Url="http://127.0.0.1:$((port + 1))" \
      dotnet "$OLDPWD/$PUBLISH/server/Tracker.Server.dll" >>"$OLDPWD/$EXP/servers.log" 2>&1) &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  GRPC_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$((port + 1))/healthz" && return 0; sleep 0.1; done
  echo "server did not start" >&2; exit 1
}
stop_tracker() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

search() { # search NAME STORE
  driver latency --kind search --grpc "$GRPC_URL" --store "$2" --pid "$SERVER_PID" --warmup 10 --duration 15 --result "$EXP/$1.json" >/dev/null
  python3 - "$EXP/$1.json" "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
t, s = r["tracker"], r["sql"]
print(f'{sys.argv[2]:<28} Tracker p50 {t["p50_ms"]:7.2f} p99 {t["p99_ms"]:7.2f} ms | SQL p50 {s["p50_ms"]:7.2f} p99 {s["p99_ms"]:7.2f} ms | ratio p99 {t["p99_ms"] / s["p99_ms"]:.2f}x ({t["calls"]} paired calls)')
EOF
}

query() { # query NAME KIND STORE: scenario h's paired figures for one kind
  driver latency --kind "$2" --grpc "$GRPC_URL" --store "$3" --pid "$SERVER_PID" --warmup "${BENCH_READ_WARMUP:-10}" --duration "${BENCH_READ_DURATION:-15}" --result "$EXP/$1.json" >/dev/null
  python3 - "$EXP/$1.json" "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
t, s, m = r["tracker"], r["sql"], r["queries"]["matches_of_checked"]
print(f'{sys.argv[2]:<36} Tracker p50 {t["p50_ms"]:7.2f} p99 {t["p99_ms"]:7.2f} ms | SQL p50 {s["p50_ms"]:7.2f} p99 {s["p99_ms"]:7.2f} ms | ratio p99 {t["p99_ms"] / s["p99_ms"]:.2f}x | matches {m["min"]}/{m["median"]}/{m["max"]} ({t["calls"]} paired calls)')
EOF
}

h2load_create() { # h2load_create URL SECONDS: prints events/s
  h2load -t 1 -c 8 -m 8 -D "$2" -d "$OUT/create.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    "$1/tracker.event.v1alpha1.EventService/CreateEvent" | awk '/^finished in/ {print $4}'
}

case "${1:-}" in
  search-plans)
    source_db="$OUT/data/sqlite-read/data/tracker.db"
    [ -f "$source_db" ] || { echo "no generated SQLite data: run bash bench/run.sh first" >&2; exit 1; }
    mkdir -p "$DATA/sqlite/data"
    cp "$source_db" "$DATA/sqlite/data/tracker.db"
    db="$DATA/sqlite/data/tracker.db"
    # The heaviest week of the data: the most popular service and type.
    where="service = 'checkout' AND type = 1 AND event_time_us >= 1741564800000000 AND event_time_us <= 1742169599999999"
    echo "SQLite plan of the page, as the store builds it:"
    start_tracker "$DATA/sqlite" 18801
    sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT doc FROM events WHERE $where ORDER BY created_at_us DESC, id DESC LIMIT 50"
    search sqlite "sqlite:Data Source=$db"
    # Tracker never runs ANALYZE: does the planner need statistics to choose well?
    sqlite3 "$db" "ANALYZE;"
    search sqlite-after-analyze "sqlite:Data Source=$db"
    stop_tracker

    start_postgres
    new_db bench_exp
    driver generate --store "postgres:$(pg_cs bench_exp)" --count "${BENCH_EVENTS:-1000000}" >/dev/null
    start_tracker "$DATA/pg" 18811 Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_cs bench_exp)"
    search postgres "postgres:$(pg_cs bench_exp)"
    stop_tracker
    ;;

  warmup-curve)
    start_postgres
    for variant in default TieredPGO=0; do
      new_db bench_warm
      extra=(); [ "$variant" = default ] || extra=("DOTNET_$variant")
      start_tracker "$DATA/warm" 18821 "${extra[@]}" Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_cs bench_warm)"
      printf '%-12s events/s in 5 s windows from start:' "$variant"
      for _ in $(seq 1 10); do printf ' %s' "$(h2load_create "$GRPC_URL" 5)"; done
      echo
      stop_tracker
    done
    ;;

  sqlite-syncs)
    rm -rf "$DATA/syncs"
    start_tracker "$DATA/syncs" 18831
    h2load_create "$GRPC_URL" 20 >/dev/null
    before="$(sqlite3 "$DATA/syncs/data/tracker.db" 'SELECT count(*) FROM events')"
    # perf counts the fsync tracepoints of the server's threads (strace would slow every call).
    perf stat -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync -p "$SERVER_PID" -o "$EXP/sqlite-syncs.perf" &
    perf_pid=$!
    sleep 1
    rate="$(h2load_create "$GRPC_URL" 10)"
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    after="$(sqlite3 "$DATA/syncs/data/tracker.db" 'SELECT count(*) FROM events')"
    syncs="$(awk '/syscalls:sys_enter_f/ {gsub(",", "", $1); n += $1} END {print n + 0}' "$EXP/sqlite-syncs.perf")"
    echo "SQLite CreateEvent, 64 concurrent: $rate events/s, $((after - before)) events, $syncs fsync+fdatasync calls: $(python3 -c "print(round($((after - before)) / max($syncs, 1), 2))") events per sync"
    grep -E 'syscalls|elapsed' "$EXP/sqlite-syncs.perf"
    stop_tracker
    ;;

  search-repeats)
    # One run's figure is one sample of a noisy ratio: repeat it, and weigh the GC choice of
    # Tracker.Server.csproj (workstation) against the Web SDK's default (server GC) meanwhile.
    source_db="$OUT/data/sqlite-read/data/tracker.db"
    [ -f "$source_db" ] || { echo "no generated SQLite data: run bash bench/run.sh first" >&2; exit 1; }
    mkdir -p "$DATA/repeats/data"
    cp "$source_db" "$DATA/repeats/data/tracker.db"
    for i in $(seq 1 "${BENCH_REPEATS:-5}"); do
      for gc in workstation server; do
        extra=(); [ "$gc" = workstation ] || extra=(DOTNET_gcServer=1)
        start_tracker "$DATA/repeats" 18841 "${extra[@]}"
        search "sqlite-$gc-gc-$i" "sqlite:Data Source=$DATA/repeats/data/tracker.db"
        stop_tracker
      done
    done
    ;;

  query-plans)
    # Without statistics (Tracker never runs ANALYZE) SQLite's planner guesses between indexes:
    # each index's first column is taken to narrow to 10 rows, whatever it holds. The plans and
    # figures as the store leaves the file, then after ANALYZE on the same copy.
    source_db="$OUT/data/sqlite-read/data/tracker.db"
    [ -f "$source_db" ] || { echo "no generated SQLite data: run bash bench/run.sh (BENCH_SCENARIOS=h will do) first" >&2; exit 1; }
    mkdir -p "$DATA/query/data"
    cp "$source_db" "$DATA/query/data/tracker.db"
    db="$DATA/query/data/tracker.db"
    kinds="filter-or filter-label fulltext after-id"
    for variant in as-stored after-analyze; do
      [ "$variant" = as-stored ] || sqlite3 "$db" "ANALYZE;"
      start_tracker "$DATA/query" 18851
      for kind in $kinds; do
        driver explain --kind "$kind" --store "sqlite:Data Source=$db" >"$EXP/explain-$kind-sqlite-$variant.txt"
        echo "SQLite $variant, $kind: $(grep -E '^ +[0-9]+ +[0-9]+  (SEARCH|SCAN)' "$EXP/explain-$kind-sqlite-$variant.txt" | sed -E 's/^ +[0-9]+ +[0-9]+  //' | paste -sd ';' -)"
        query "sqlite-$variant-$kind" "$kind" "sqlite:Data Source=$db"
      done
      stop_tracker
    done

    start_postgres
    new_db bench_exp
    driver generate --store "postgres:$(pg_cs bench_exp)" --count "${BENCH_EVENTS:-1000000}" >/dev/null
    start_tracker "$DATA/query-pg" 18861 Storage__Provider=Postgres "ConnectionStrings__Postgres=$(pg_cs bench_exp)"
    for kind in $kinds; do
      driver explain --kind "$kind" --store "postgres:$(pg_cs bench_exp)" >"$EXP/explain-$kind-postgres.txt"
      echo "PostgreSQL, $kind: $(grep -oE '(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan) (using|on) [a-z_]+' "$EXP/explain-$kind-postgres.txt" | sort | uniq -c | sed -E 's/^ +//' | paste -sd ';' -)"
      query "postgres-$kind" "$kind" "postgres:$(pg_cs bench_exp)"
    done
    stop_tracker
    echo "Plans in full: $EXP/explain-*.txt"
    ;;

  overload-slots)
    rm -rf "$DATA/slots"
    # shellcheck disable=SC2086
    SERVER_CPUS=0 start_tracker "$DATA/slots" 18873 ${FLOOD_SERVER_ENV:-}
    callers="${OVERLOAD_CALLERS:-32}"
    taskset -c 1 dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" overload --grpc "$GRPC_URL" --metrics "http://127.0.0.1:18874/metrics" \
      --pid "$SERVER_PID" --callers "$callers" --factor 10 --warmup 3 --duration 15 --server-cpus 0 --result "$EXP/slots.json" >/dev/null
    stop_tracker
    python3 - "$EXP/slots.json" "${FLOOD_SERVER_ENV:-defaults}" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"server settings: {sys.argv[2]}")
for name in ("normal", "overload"):
    phase = r[name]
    served, refused = phase["served"], phase["refused"]
    print(f'{name:<8} {phase["callers"]} callers: served {served["per_second"]}/s p50 {served.get("p50_ms")} p99 {served.get("p99_ms")} ms'
          f' | refused {refused["per_second"]}/s | server: served {phase["server_served"]}, refused {phase["server_refused"]}, RSS {phase["server"]["rss_max_mb"]} MB')
EOF
    ;;

  overload-flood|overload-open)
    driver prepare --out "$EXP" >/dev/null
    # FLOOD_SERVER_ENV: settings for the server, e.g. "Limits__MaxConcurrentRequests=2 Limits__QueueLength=30".
    # shellcheck disable=SC2086
    SERVER_CPUS=0 start_tracker "$DATA/flood" 18871 ${FLOOD_SERVER_ENV:-}
    overload() { # overload NAME [driver options]: 32 callers, no 10x phase (--factor 1)
      local name="$1"; shift
      taskset -c 1 dotnet "$PUBLISH/driver/Tracker.Bench.Driver.dll" overload --grpc "$GRPC_URL" --metrics "http://127.0.0.1:18872/metrics" \
        --pid "$SERVER_PID" --callers 32 --factor 1 --warmup 5 --duration 15 "$@" --result "$EXP/flood-$name.json" >/dev/null
    }
    overload quiet
    pace=()
    if [ "$1" = overload-open ]; then
      # 9x the quiet phase's served calls, spread over h2load's 6 connections.
      sustained="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["overload"]["served"]["per_second"])' "$EXP/flood-quiet.json")"
      pace=(--rps "$(python3 -c 'import math,sys; print(math.ceil(9 * float(sys.argv[1]) / 6))' "$sustained")")
      echo "quiet phase served $sustained calls/s; h2load offers ${pace[1]} calls/s on each of 6 connections"
    fi
    taskset -c 1 h2load -t 1 -c 6 -m 48 -D 45 ${pace[@]+"${pace[@]}"} -H 'content-type: application/grpc' -H 'te: trailers' -d "$EXP/list.grpc" \
      "$GRPC_URL/tracker.event.v1alpha1.EventService/ListEvents" >"$EXP/flood-h2load.txt" &
    flood=$!
    sleep 2
    overload flooded --seed 0
    wait "$flood"
    stop_tracker
    echo "h2load: $(grep -E '^finished in' "$EXP/flood-h2load.txt")"
    python3 - "$EXP" <<'EOF'
import json, sys
for name in ("quiet", "flooded"):
    phase = json.load(open(f"{sys.argv[1]}/flood-{name}.json"))["overload"]
    served, refused = phase["served"], phase["refused"]
    print(f'{name:<8} 32 callers: served {served["per_second"]}/s p50 {served.get("p50_ms")} p99 {served.get("p99_ms")} ms'
          f' | refused {refused["per_second"]}/s | server, all callers: served {phase["server_served"]}, refused {phase["server_refused"]}, RSS {phase["server"]["rss_max_mb"]} MB')
EOF
    ;;

  *)
    echo "usage: bash bench/experiments.sh search-plans|warmup-curve|sqlite-syncs|search-repeats|query-plans|overload-flood" >&2
    exit 2
    ;;
esac
