#!/usr/bin/env bash
# A query cancel from another session (pg_cancel_backend, what a DBA or a client's Ctrl-C sends)
# stops a long C++ loop, the backend survives, and the loop's C++ objects are destroyed. TAP.
set -uo pipefail
WORK=$(mktemp -d -t ov-cancel.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
source "$(dirname "$0")/tap.sh"
q() { psql -XAtq -d cancel_test "$@"; }

dropdb --if-exists cancel_test >/dev/null 2>&1
createdb cancel_test && q -c 'CREATE EXTENSION oversight'

# Session A spins for hours unless cancelled; it reports the SQLSTATE it ends with and its live objects.
psql -XAtq -d cancel_test -v ON_ERROR_STOP=0 >"$WORK/a.out" 2>&1 <<'SQL' &
SELECT pg_backend_pid();
\set VERBOSITY sqlstate
SELECT oversight.selftest_spin(1000000000000);
SELECT 'live ' || oversight.selftest_live_objects();
SQL
client=$!
for _ in $(seq 1 100); do # wait until the spin is running (bounded: 10 s)
	pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE query LIKE '%selftest_spin(1000000000000)%' AND state = 'active' AND pid <> pg_backend_pid()")
	[ -n "$pid" ] && break
	sleep 0.1
done
if [ -n "${pid:-}" ]; then ok "the C++ loop is running in backend $pid"; else not_ok "the C++ loop started"; fi
q -c "SELECT pg_cancel_backend(${pid:-0})" >/dev/null
wait $client
if grep -q '^ERROR:  57014' "$WORK/a.out"; then ok "pg_cancel_backend stops the loop with SQLSTATE 57014"; else not_ok "cancel gives 57014"; sed 's/^/# /' "$WORK/a.out"; fi
if grep -q '^live 0$' "$WORK/a.out"; then ok "the same backend goes on, with no C++ object left alive"; else not_ok "backend usable, objects destroyed"; sed 's/^/# /' "$WORK/a.out"; fi
dropdb cancel_test
echo "1..$n"
