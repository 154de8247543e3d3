#!/usr/bin/env bash
# Runs every test of Cairn on a fresh machine and prints "N passed, N failed" at the end.
# Every test project runs on embedded SQLite in temporary folders; then the server tests run a second time on
# PostgreSQL 15, a throwaway cluster this script starts (installing Debian's postgresql-15 when it is missing)
# unless CAIRN_TEST_POSTGRES names a running server (a connection string of a user that may create databases).
# The browser tests need Debian's Chromium, which this script installs when it is missing; the S3 artifact store's
# tests need moto_server (Python's moto[server]), which this script starts on a free loopback port unless
# CAIRN_TEST_S3_URL names a running one.
# Arguments go to `dotnet test` (./test.sh --filter "FullyQualifiedName~Artifacts").
set -uo pipefail
cd "$(dirname "$0")"

results="$(mktemp -d)"
moto_pid=""
pg_dir=""
pg_bin=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    [ -n "$moto_pid" ] && { kill "$moto_pid"; wait "$moto_pid"; } 2>/dev/null
    [ -n "$pg_dir" ] && { as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
    rm -rf "$results"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ ! -x "${CAIRN_CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "Installing Debian's chromium for the browser tests..."
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null; then
        echo "Could not install chromium: the browser tests will fail." >&2
    fi
fi

dotnet tool restore >/dev/null
if ! dotnet build Cairn.slnx -c Release -nologo -clp:ErrorsOnly; then
    echo "0 passed, 1 failed"
    exit 1
fi

if [ -z "${CAIRN_TEST_S3_URL:-}" ]; then
    if ! command -v moto_server >/dev/null; then
        echo "moto_server is not on PATH: the S3 artifact store's tests need it (Python package moto[server]), or CAIRN_TEST_S3_URL naming a running S3-compatible server." >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
    port="$(free_port)"
    moto_server -H 127.0.0.1 -p "$port" >"$results/moto.log" 2>&1 &
    moto_pid=$!
    for _ in $(seq 60); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/" || ! kill -0 "$moto_pid" 2>/dev/null; then
            break
        fi
        sleep 0.5
    done
    if ! curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "moto_server did not start on 127.0.0.1:$port; the S3 artifact store's tests cannot run. Its output:" >&2
        cat "$results/moto.log" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
    export CAIRN_TEST_S3_URL="http://127.0.0.1:$port"
fi

# PostgreSQL for the server tests' second pass: a cluster of its own in a temporary folder, on a free loopback
# port, with PostgreSQL's durability defaults (fsync, synchronous_commit) kept: the durability tests mean them.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
if [ -z "${CAIRN_TEST_POSTGRES:-}" ]; then
    if [ ! -x "$pg_bin/initdb" ]; then
        echo "Installing Debian's postgresql-15 for the server tests on PostgreSQL..."
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; } >/dev/null
    fi
    pg_dir="$(mktemp -d)"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
    pg_port="$(free_port)"
    if ! { as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
        && as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 120 \
            -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null; }; then
        echo "PostgreSQL 15 could not be started on 127.0.0.1:$pg_port; the server tests cannot run on it. Its output:" >&2
        cat "$pg_dir/initdb.log" "$pg_dir/server.log" >&2 2>/dev/null
        echo "0 passed, 1 failed"
        exit 1
    fi
    export CAIRN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
fi
if ! python3 - "$CAIRN_TEST_POSTGRES" <<'PY'
import socket, sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
parts = {k.strip().lower(): v.strip() for k, v in parts.items()}
socket.create_connection((parts.get("host", "127.0.0.1"), int(parts.get("port", "5432"))), timeout=10).close()
PY
then
    echo "PostgreSQL does not answer at CAIRN_TEST_POSTGRES; the server tests cannot run on it." >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# The browser tests first, alone: they draw charts in Chromium, and their timeouts must not measure the load of the
# server suite's hundreds of in-process servers on two cores. Then the server tests on PostgreSQL in the background
# while the CLI, SDK and server tests run on SQLite one project at a time: the server suites wait on timers, child
# processes and fsync more than they compute, so the two stores' runs overlap well.
started=$SECONDS
mkdir -p "$results/sqlite" "$results/postgres"
test_project() { # test_project sqlite|postgres PROJECT [dotnet test args...]
    local store="$1" project="$2"
    shift 2
    local unset_postgres=()
    [ "$store" = sqlite ] && unset_postgres=(-u CAIRN_TEST_POSTGRES)
    env "${unset_postgres[@]}" dotnet test "tests/$project" -c Release --no-build -nologo \
        --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results/$store" "$@"
}
status=0
test_project sqlite Cairn.Ui.Tests "$@" || status=1
test_project postgres Cairn.Server.Tests "$@" >"$results/postgres.log" 2>&1 &
postgres_pid=$!
for project in Cairn.Cli.Tests Cairn.Client.Tests Cairn.Server.Tests; do
    test_project sqlite "$project" "$@" || status=1
done
sqlite_seconds=$((SECONDS - started))
wait "$postgres_pid" || status=1
postgres_seconds=$((SECONDS - started))
echo "Server tests on PostgreSQL:"
cat "$results/postgres.log"

# counts FILE...: "passed failed skipped" summed over the trx files given.
counts() {
    local p=0 f=0 s=0 trx counters
    for trx in "$@"; do
        [ -e "$trx" ] || continue
        counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
        p=$((p + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters" | grep . || echo 0)))
        f=$((f + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters" | grep . || echo 0)))
        # Skipped tests are counted by their results: the trx Counters' notExecuted stays 0 for them.
        s=$((s + $(grep -c 'outcome="NotExecuted"' "$trx" || true)))
    done
    echo "$p $f $s"
}
server_sqlite=()
for trx in "$results"/sqlite/*.trx; do
    grep -q 'Cairn\.Server\.Tests\.dll' "$trx" 2>/dev/null && server_sqlite+=("$trx")
done
read -r sp sf ss <<<"$(counts "${server_sqlite[@]}")"
read -r pp pf ps <<<"$(counts "$results"/postgres/*.trx)"
read -r ap af as <<<"$(counts "$results"/sqlite/*.trx)"
echo "Server tests on SQLite: $sp passed, $sf failed, $ss skipped; on PostgreSQL: $pp passed, $pf failed, $ps skipped."
echo "Time: ${sqlite_seconds}s until every project had run on SQLite, ${postgres_seconds}s until the server tests had run on PostgreSQL (alongside)."
if [ $((sp + sf)) -gt 0 ] && [ $((pp + pf)) -eq 0 ]; then
    echo "The server tests ran on SQLite but none ran on PostgreSQL." >&2
    pf=1
fi

passed=$((ap + pp))
failed=$((af + pf))
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
