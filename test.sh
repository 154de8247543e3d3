#!/usr/bin/env bash
# Runs every test of Cairn on a fresh machine and prints "N passed, N failed" at the end.
# The server tests run on embedded SQLite in temporary folders; the browser tests need Debian's Chromium,
# which this script installs when it is missing.
set -uo pipefail
cd "$(dirname "$0")"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

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

dotnet test Cairn.slnx -c Release --no-build -nologo \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
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
