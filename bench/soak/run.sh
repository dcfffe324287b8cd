#!/usr/bin/env bash
# Fault soak: the API (in-process workers off) and three VidPress.Worker processes on one PostgreSQL and one storage
# root; 60 short videos posted through the API while workers are killed with kill -9 (whole process group, ffmpeg
# included) and restarted, and PostgreSQL is restarted once. Checks at the end that every video succeeded exactly
# once (one MP4, ffprobe-readable with its duration, one logical success webhook), no scratch or half-written file
# is left, Hangfire is empty and nothing is left running. Exit 0 only when every check passed.
#   bench/soak/run.sh [--seed N] [--videos 60] [...]      (options: dotnet .../VidPress.Soak.dll --help)
# Its own cluster and state: VIDPRESS_PG_PORT (default 55470) and SOAK_STATE (default .vidpress/soak), a fresh
# database each run; SOAK_DEADLINE_MINUTES (45) bounds the whole run; SOAK_KEEP_DB=1 leaves the cluster running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$(mkdir -p "${SOAK_STATE:-$ROOT/.vidpress/soak}" && cd "${SOAK_STATE:-$ROOT/.vidpress/soak}" && pwd)"
PG_PORT="${VIDPRESS_PG_PORT:-55470}"
PG_DATA="$STATE/pg/data"
PG_BIN=/usr/lib/postgresql/15/bin
DEADLINE_MINUTES="${SOAK_DEADLINE_MINUTES:-45}"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

log "PostgreSQL for the soak: $PG_DATA on port $PG_PORT"
VIDPRESS_STATE="$STATE" VIDPRESS_PG_PORT="$PG_PORT" "$ROOT/vidpress" db
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "drop database if exists vidpress with (force)" -c "create database vidpress"

log "building Release (API, worker, soak)"
for project in src/VidPress.Api src/VidPress.Worker bench/soak; do
  (cd "$ROOT" && dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly) >&2
done

rc=0
# The soak stops its own children at its deadline; timeout is the backstop should it hang itself.
timeout --signal=TERM --kill-after=120 $(( (DEADLINE_MINUTES + 5) * 60 )) \
  dotnet "$ROOT/bench/soak/bin/Release/net10.0/VidPress.Soak.dll" --root "$ROOT" --state "$STATE" \
    --pg-port "$PG_PORT" --pg-data "$PG_DATA" --deadline-minutes "$DEADLINE_MINUTES" "$@" || rc=$?

# Every process group the soak started (one per host) must be gone; any left is killed here, by its id, and fails the run.
left=0
if [ -f "$STATE/groups" ]; then
  while read -r group; do
    if [ -n "$group" ] && kill -0 -- "-$group" 2>/dev/null; then
      log "process group $group is still running: killing it"; kill -9 -- "-$group" 2>/dev/null || true; left=1
    fi
  done <"$STATE/groups"
fi
if [ "$left" = 1 ]; then rc=1; fi

if [ "${SOAK_KEEP_DB:-0}" != 1 ]; then
  as_pg $PG_BIN/pg_ctl -D "$PG_DATA" -m fast stop >/dev/null && log "PostgreSQL stopped"
fi
exit $rc
