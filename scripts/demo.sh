#!/usr/bin/env bash
# Installs what bibkg needs, builds it, imports the five bundled sample
# documents into a fresh embedded RocksDB database, serves it over gRPC on a
# free loopback port and shows some answers.
# Usage: scripts/demo.sh [DB_DIR]   (default: ./demo-db, replaced on each run)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j2 --target bibkg
BIBKG="$BUILD_DIR/tools/bibkg"
DB=${1:-demo-db}
rm -rf "$DB"
DOI=10.1080/15309576.2024.2302059

step() { printf '\n== %s\n' "$*"; }

step "bibkg import --db $DB tests/data/samples/*"
"$BIBKG" import --db "$DB" tests/data/samples/*

step "bibkg stats --db $DB"
"$BIBKG" stats --db "$DB"

step "bibkg serve --db $DB --listen 127.0.0.1:0"
LOG=$(mktemp)
"$BIBKG" serve --db "$DB" --listen 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 50); do grep -q serving "$LOG" && break; sleep 0.1; done
cat "$LOG"
ADDR=$(sed -n 's/.* on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$LOG")
Q() { "$BIBKG" query --server "$ADDR" "$@"; }

step "bibkg query get $DOI"
Q get "$DOI"

step "bibkg query related $DOI   (related work, with the reasons)"
Q related "$DOI"

step "bibkg query search digital leadership"
Q search digital leadership

step "bibkg query search digitalisering kommune   (Norwegian forms meet)"
Q search digitalisering kommune

step "bibkg reading-list --seed $DOI --topic 'digital leadership' --format markdown"
"$BIBKG" reading-list --server "$ADDR" --seed "$DOI" --topic "digital leadership" --size 5

printf '\nThe database is in %s. Serve it with: %s serve --db %s\n' "$DB" "$BIBKG" "$DB"
