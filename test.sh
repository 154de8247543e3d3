#!/usr/bin/env bash
# Runs every test of Cairn on a fresh machine and prints "N passed, N failed" at the end.
# The server tests run on embedded SQLite in temporary folders; the browser tests need Debian's Chromium,
# which this script installs when it is missing; the S3 artifact store's tests need moto_server (Python's
# moto[server]), which this script starts on a free loopback port unless CAIRN_TEST_S3_URL names a running one.
# Arguments go to `dotnet test` (./test.sh --filter "FullyQualifiedName~Artifacts").
set -uo pipefail
cd "$(dirname "$0")"

results="$(mktemp -d)"
moto_pid=""
trap '[ -n "$moto_pid" ] && { kill "$moto_pid"; wait "$moto_pid"; } 2>/dev/null; rm -rf "$results"' EXIT

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
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
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

# One test project at a time (-m:1): the browser tests draw charts in Chromium and must not share two cores
# with the server suite's hundreds of in-process servers, or their timeouts measure the neighbour's load.
dotnet test Cairn.slnx -c Release --no-build -nologo -m:1 \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
