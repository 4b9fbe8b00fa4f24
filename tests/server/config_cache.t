#!/usr/bin/env bash
# The engine keeps each watch's configuration per backend until a table it is read from changes
# (extension/src/engine/config.cpp): a long-lived writer's session must see another session's committed rule,
# calendar and setting changes at its next transaction, and its own changes at its next statement, rolled-back
# ones never. TAP.
set -uo pipefail
source "$(dirname "$0")/tap.sh"
throwaway_database config_cache_test && q <<'SQL' >/dev/null
CREATE EXTENSION oversight;
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
SQL

# The writer: one session, one statement per transaction, pausing while another session changes the rules.
pay() { echo "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('$1', 'U1', 'Cash desk', 60000, 'cash', '2025-06-03');"; }
loads() { echo "SELECT 'loads ' || (oversight.engine_session_stats() ->> 'config_loads');"; }
{
	pay C1; pay C2; loads
	echo "SELECT pg_sleep(1.5);" # another session disables CASH.SINGLE
	pay C3; loads
	echo "SELECT pg_sleep(1.5);" # another session enables it again
	pay C4; loads
	# its own change, seen at its next statement; a rolled-back one never
	echo "BEGIN;"
	echo "UPDATE oversight.rule SET is_enabled = false WHERE rule_code = 'CASH.SINGLE';"
	pay C5
	echo "ROLLBACK;"
	echo "BEGIN;"
	echo "SAVEPOINT s;"
	echo "UPDATE oversight.rule SET is_enabled = false WHERE rule_code = 'CASH.SINGLE';"
	echo "ROLLBACK TO SAVEPOINT s;"
	pay C6
	echo "COMMIT;"
} | psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" >"$WORK/writer.out" 2>&1 &
writer=$!
sleep 0.7
q -c "UPDATE oversight.rule SET is_enabled = false WHERE rule_code = 'CASH.SINGLE'"
sleep 1.5
q -c "UPDATE oversight.rule SET is_enabled = true WHERE rule_code = 'CASH.SINGLE'"
wait $writer || { cat "$WORK/writer.out"; }

fired() { q -c "SELECT count(*) FROM oversight.alert WHERE rule_code = 'CASH.SINGLE' AND object_key ->> 'payment_code' = '$1'"; }
is "$(fired C1)$(fired C2)" "11" "the writer's first statements judge with the rule set"
is "$(sed -n 's/^loads //p' "$WORK/writer.out" | head -1)" "1" "…reading the configuration once for both"
is "$(fired C3)" "0" "another session's committed change (a rule disabled) is seen at the writer's next transaction"
is "$(sed -n 's/^loads //p' "$WORK/writer.out" | sed -n 2p)" "2" "…by reading the configuration again, once"
is "$(fired C4)" "1" "and so is the rule enabled again"
is "$(fired C5)" "0" "the writer's own change is seen at its next statement"
is "$(fired C6)" "1" "a change rolled back to a savepoint is forgotten"

# The calendar and the settings are kept and refreshed the same way: a holiday added by another session makes
# the next approval on that day a non-working-day approval.
{
	echo "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, approved_at) VALUES ('W1', 'U1', 'Supplier', 1234.56, 'transfer', '2025-06-04', '2025-06-04 10:00+08');"
	echo "SELECT pg_sleep(1.5);"
	echo "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, approved_at) VALUES ('W2', 'U1', 'Supplier', 1234.57, 'transfer', '2025-06-04', '2025-06-04 11:00+08');"
} | psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" >"$WORK/calendar.out" 2>&1 &
writer=$!
sleep 0.7
q -c "INSERT INTO oversight.calendar_day (calendar_date, day_kind, name_zh, name_en) VALUES ('2025-06-04', 'holiday', '测试假日', 'Test holiday')" >/dev/null 2>"$WORK/cal.err" || cat "$WORK/cal.err"
wait $writer || cat "$WORK/calendar.out"
nonworking() { q -c "SELECT count(*) FROM oversight.alert WHERE rule_code = 'PAY.NONWORKING_APPROVAL' AND object_key ->> 'payment_code' = '$1'"; }
is "$(nonworking W1)$(nonworking W2)" "01" "a holiday another session added is in the writer's next judgement"

echo "1..$n"
