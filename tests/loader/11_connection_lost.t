#!/usr/bin/env bash
# The loader's connection killed by the server (pg_terminate_backend) mid-load: exit 6 with one plain line
# saying the connection was lost and nothing was committed, whatever libpqxx call noticed it first; nothing
# is left behind and a rerun loads. Killed during COMMIT: exit 7, outcome unknown, a rerun is harmless.
source "$(dirname "$0")/lib.sh"
new_database lost
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
is "$?" 0 "org units load with exit 0"

awk 'BEGIN {
	print "payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on"
	for (i = 1; i <= 300000; i++)
		printf "L%07d,%s,供应商%d,%d.%02d,transfer,2024-%02d-%02d\n", i, (i % 2) ? "EDU01" : "HLT02", i % 5000, i % 100000 + 1, i % 100, i % 12 + 1, i % 28 + 1
}' >"$WORK/big.csv"

# Starts a load of big.csv, terminates its backend once pg_stat_activity shows it running a statement that
# matches WHEN (SQL on query), and leaves the loader's exit code in $rc and its stderr in $err.
kill_load_when() { # kill_load_when DESCRIPTION SQL_CONDITION
	"$LOADER" --dsn "dbname=$DB" payments -q --no-progress --reject-dir "$WORK" "$WORK/big.csv" >/dev/null 2>"$WORK/err" &
	local pid=$! killed=""
	for _ in $(seq 1 1500); do
		killed=$(q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'oversight-load'
		            AND datname = current_database() AND state = 'active' AND ($2)")
		[ -n "$killed" ] && break
		sleep 0.01
	done
	wait "$pid"
	rc=$?
	err=$(cat "$WORK/err")
	is "$killed" t "the loader's backend was terminated $1"
}
lost_message='^oversight-load: .*big\.csv: the connection to the server was lost \(the server ended the session, or the network failed\): the load was rolled back and nothing was committed; rerun is safe'
nothing_left() { # nothing_left DESCRIPTION
	is "$(q "SELECT count(*) FROM oversight.payment") $(q "SELECT count(*) FROM oversight.load WHERE record_kind = 'payments'") $(q "SELECT count(*) FROM oversight.quarantine")" \
		"0 0 0" "nothing of the load killed $1 remains (payments, ledger, quarantine)"
	ok "$([ ! -e "$WORK/big.csv.rejects.csv" ]; echo $?)" "no reject file from the load killed $1"
}

kill_load_when "while streaming" "query LIKE 'COPY%'"
is "$rc" 6 "killed while streaming: exit 6"
like "$err" "$lost_message" "the message says the connection was lost and nothing was committed"
is "$(printf '%s\n' "$err" | wc -l)" 1 "one line"
nothing_left "while streaming"

# After the COPY, between and during the set-based statements: where libpqxx said "Could not obtain client encoding".
kill_load_when "while merging" "query LIKE 'INSERT INTO oversight.quarantine%' OR query LIKE 'WITH %'"
is "$rc" 6 "killed while merging: exit 6"
like "$err" "$lost_message" "the message says the connection was lost and nothing was committed"
is "$(printf '%s\n' "$err" | grep -c 'client encoding')" 0 "no word of the client encoding"
is "$(printf '%s\n' "$err" | wc -l)" 1 "one line"
nothing_left "while merging"

# During COMMIT: a deferred trigger on the ledger holds the COMMIT long enough to terminate the backend then.
psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<'SQL'
CREATE FUNCTION public.slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON oversight.load DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION public.slow_commit();
SQL
head -1001 "$WORK/big.csv" >"$WORK/small.csv"
"$LOADER" --dsn "dbname=$DB" payments -q --no-progress "$WORK/small.csv" >/dev/null 2>"$WORK/err" &
pid=$!
killed=""
for _ in $(seq 1 1500); do
	killed=$(q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'oversight-load' AND datname = current_database() AND query = 'COMMIT'")
	[ -n "$killed" ] && break
	sleep 0.01
done
wait "$pid"
rc=$?
is "$killed" t "the loader's backend was terminated during COMMIT"
is "$rc" 7 "killed during COMMIT: exit 7"
like "$(cat "$WORK/err")" '^oversight-load: .*small\.csv: the connection to the server was lost during COMMIT: whether the load was committed is unknown; look for the file.s SHA-256 in oversight\.load, or simply rerun' "the message says the outcome is unknown and a rerun is harmless"
q "DROP TRIGGER slow_commit ON oversight.load; DROP FUNCTION public.slow_commit()" >/dev/null

load payments -q --no-progress --reject-dir "$WORK" "$WORK/big.csv" >/dev/null 2>&1
is "$?" 0 "a rerun after the lost connections loads (exit 0)"
is "$(q "SELECT rows_read || ' ' || rows_loaded FROM oversight.load WHERE record_kind = 'payments'")" "300000 300000" "every row, once"
done_testing
