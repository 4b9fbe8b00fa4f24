#!/usr/bin/env bash
# A load killed with SIGKILL in the middle leaves nothing (no records, no ledger row, no quarantine), and a
# rerun then gives exactly the database a clean single load gives, compared by a row-level digest.
source "$(dirname "$0")/lib.sh"
new_database killed
killed_db=$DB
new_database clean
clean_db=$DB
write_units "$WORK/units.csv"
for d in "$killed_db" "$clean_db"; do DB=$d load org-units -q "$WORK/units.csv" >/dev/null 2>&1; done

# 600,000 payments (some refused: every 997th has a bad amount, every 1009th an unknown unit).
awk 'BEGIN {
	print "payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on,purpose,expense_type"
	for (i = 1; i <= 600000; i++) {
		unit = (i % 1009 == 0) ? "NOPE" : ((i % 2) ? "EDU01" : "HLT02")
		amount = (i % 997 == 0) ? "12,3x" : sprintf("%d.%02d", (i * 7919) % 100000 + 1, i % 100)
		printf "PAY%07d,%s,供应商%d,%s,%s,2024-%02d-%02d,办公用品,office\n", i, unit, i % 5000, amount, (i % 3 ? "transfer" : "official_card"), i % 12 + 1, i % 28 + 1
	}
}' >"$WORK/big.csv"

DB=$killed_db
"$LOADER" --dsn "dbname=$DB" payments -q --no-progress --reject-dir "$WORK" "$WORK/big.csv" >/dev/null 2>&1 &
pid=$! # the loader itself, not a subshell
# Wait until the loader is streaming (its COPY is running), then kill it without warning.
for _ in $(seq 1 400); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'oversight-load' AND query LIKE 'COPY%'")" = 1 ] && break
	sleep 0.02
done
streaming=$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'oversight-load' AND query LIKE 'COPY%'")
kill -9 "$pid"
wait "$pid" 2>/dev/null
is "$streaming" 1 "the loader was killed while streaming"
for _ in $(seq 1 200); do # the server rolls the transaction back when it sees the connection gone
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'oversight-load'")" = 0 ] && break
	sleep 0.05
done
is "$(q "SELECT count(*) FROM oversight.payment")" 0 "no payment of the killed load remains"
is "$(q "SELECT count(*) FROM oversight.load WHERE record_kind = 'payments'")" 0 "no ledger row of the killed load"
is "$(q "SELECT count(*) FROM oversight.quarantine")" 0 "no quarantine row of the killed load"
ok "$([ ! -e "$WORK/big.csv.rejects.csv" ]; echo $?)" "no reject file from the killed load"

load payments -q --no-progress --reject-dir "$WORK" "$WORK/big.csv" >/dev/null 2>&1
is "$?" 4 "rerun commits (exit 4: some rows quarantined)"
DB=$clean_db load payments -q --no-progress --reject-dir "$WORK" "$WORK/big.csv" >/dev/null 2>&1
is "$?" 4 "clean single load in another database"
is "$(digest "$killed_db")" "$(digest "$clean_db")" "killed-then-rerun database equals the clean one (row digest)"
q_both="SELECT rows_read || ' ' || rows_loaded || ' ' || rows_quarantined FROM oversight.load WHERE record_kind = 'payments'"
is "$(q "$q_both" "$killed_db")" "$(q "$q_both" "$clean_db")" "same ledger counts"
is "$(q "$q_both" "$clean_db")" "600000 598805 1195" "counts: 600000 read, 601 bad amounts + 594 unknown units quarantined"
is "$(q "SELECT md5(string_agg(line_no || reason, ',' ORDER BY line_no)) FROM oversight.quarantine" "$killed_db")" \
	"$(q "SELECT md5(string_agg(line_no || reason, ',' ORDER BY line_no)) FROM oversight.quarantine" "$clean_db")" "same quarantine rows"
done_testing
