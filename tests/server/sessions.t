#!/usr/bin/env bash
# Issue 7 attacks that need several sessions, as the unprivileged login roles: LISTEN by a role with no
# oversight rights, two loaders updating the same row, and an inspector acknowledging an alert while a
# large corrective load is still open (writers never queue behind one another in the audit trail). TAP.
set -uo pipefail
WORK=$(mktemp -d -t ov-sessions.XXXXXX)
DB=sessions_test
drop_all() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	for r in ov_outsider ov_edu ov_loader1 ov_loader2 ov_inspector; do psql -XAtq -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
trap 'drop_all; rm -rf "$WORK"' EXIT
source "$(dirname "$0")/tap.sh"
q() { psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
as() { local role=$1; shift; psql -XAtq -v ON_ERROR_STOP=1 -U "$role" -d "$DB" "$@"; }

drop_all
createdb "$DB" && q <<'SQL' >/dev/null
CREATE EXTENSION oversight;
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) VALUES
  ('CITY', '市本级', 'bureau', NULL), ('EDU', '教育局', 'budget_unit', 'CITY'), ('HEALTH', '卫健委', 'budget_unit', 'CITY');
CREATE ROLE ov_outsider LOGIN;
CREATE ROLE ov_edu LOGIN IN ROLE oversight_analyst;
CREATE ROLE ov_loader1 LOGIN IN ROLE oversight_loader;
CREATE ROLE ov_loader2 LOGIN IN ROLE oversight_loader;
CREATE ROLE ov_inspector LOGIN IN ROLE oversight_inspector;
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('ov_edu', 'EDU');
SQL

# --- LISTEN needs no privilege: the payload must say nothing ---------------------------------------------
psql -XAtq -U ov_outsider -d "$DB" >"$WORK/listen.out" 2>&1 <<'SQL' &
LISTEN oversight_alerts;
SELECT pg_sleep(2);
SELECT 1;
SQL
listener=$!
sleep 0.7
as ov_loader1 -c "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES
                  ('CASH-HLT', 'HEALTH', '现金领取人', 60000, 'cash', '2025-06-03'), ('CASH-EDU', 'EDU', '现金领取人', 70000, 'cash', '2025-06-03')"
wait $listener
payloads=$(sed -n 's/.*with payload "\(.*\)" received from server process.*/\1/p' "$WORK/listen.out")
like "$payloads" '^\{"alert_id": [0-9]+\}' "a role with no oversight rights that LISTENs gets notifications…"
is "$(printf '%s\n' "$payloads" | grep -cvE '^\{"alert_id": [0-9]+\}$')" 0 "…carrying the alert number and nothing else (no unit, amount, message or key)"
hlt=$(q -c "SELECT alert_id FROM oversight.alert WHERE object_key ->> 'payment_code' = 'CASH-HLT' AND rule_code = 'CASH.SINGLE'")
edu=$(q -c "SELECT alert_id FROM oversight.alert WHERE object_key ->> 'payment_code' = 'CASH-EDU' AND rule_code = 'CASH.SINGLE'")
like "$(as ov_outsider -c "SELECT * FROM oversight.alert_notices(ARRAY[$hlt, $edu])" 2>&1)" 'permission denied' "the outsider cannot read the alerts behind them"
is "$(as ov_edu -c "SELECT notice ->> 'object_key' FROM oversight.alert_notices(ARRAY[$hlt, $edu])")" '{"payment_code": "CASH-EDU"}' \
	"an analyst reads only the alerts of the units granted (row-level security)"
like "$(as ov_edu -c "SELECT notice FROM oversight.alert_notices(ARRAY[$edu])")" '"message": "[^"]+".*"unit_code": "EDU"' "with the documented payload"

# --- two loaders on the same row: the second waits, then writes (0.2.0: permission denied for unit_access) ---
psql -XAtq -U ov_loader1 -d "$DB" -v ON_ERROR_STOP=1 >"$WORK/l1.out" 2>&1 <<'SQL' &
BEGIN;
UPDATE oversight.payment SET purpose = 'first loader' WHERE payment_code = 'CASH-EDU';
SELECT pg_sleep(1.5);
COMMIT;
SQL
first=$!
sleep 0.5
as ov_loader2 -c "UPDATE oversight.payment SET purpose = 'second loader' WHERE payment_code = 'CASH-EDU'" >"$WORK/l2.out" 2>&1
second_rc=$?
wait $first
is "$second_rc" 0 "the second loader's update succeeds after the row lock wait"
is "$(q -c "SELECT purpose FROM oversight.payment WHERE payment_code = 'CASH-EDU'")" "second loader" "and is the one that stands"
is "$(q -c "SELECT string_agg(acting_role, ',' ORDER BY audit_id) FROM oversight.audit_log WHERE object_key ->> 'payment_code' = 'CASH-EDU' AND action = 'update'")" \
	"ov_loader1,ov_loader2" "both corrections are audited, each under the loader that made it"

# --- an inspector is not held up by a large corrective load still in progress -----------------------------
q -c "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
      SELECT 'BULK-' || i, 'HEALTH', 'payee ' || i, 100 + i, 'transfer', '2025-06-02' FROM generate_series(1, 20000) i"
psql -XAtq -U ov_loader1 -d "$DB" -v ON_ERROR_STOP=1 >"$WORK/bulk.out" 2>&1 <<'SQL' &
BEGIN;
UPDATE oversight.payment SET purpose = 'corrected' WHERE payment_code LIKE 'BULK-%';
SELECT pg_sleep(3);
COMMIT;
SQL
bulk=$!
for _ in $(seq 1 100); do # until the corrective load is in its sleep
	[ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND state = 'active' AND pid <> pg_backend_pid()")" = 1 ] && break
	sleep 0.1
done
start=$(date +%s%N)
ack=$(as ov_inspector -c "SET lock_timeout = '1s'" -c "SELECT oversight.acknowledge_alert($hlt, 'seen')" 2>&1)
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
wait $bulk
is "$ack" acknowledged "acknowledging an alert during an open 20,000-row audited load does not wait for it (lock_timeout 1 s)"
is "$(q -c "SELECT count(*) FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'update' AND object_key ->> 'payment_code' LIKE 'BULK-%'")" 20000 \
	"and the load's 20,000 corrections are all in the trail"
echo "# acknowledge took ${elapsed_ms} ms during the open load"

echo "1..$n"
