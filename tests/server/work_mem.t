#!/usr/bin/env bash
# The engine's own row stores past work_mem (PostgreSQL's default is 4 MB; the benchmark's 64 MB hid it): a large
# batch's candidate rows per rule and a row-level watch's buffered rows spill to temporary files. A file belongs
# to the resource owner current when its store was made, so a store filled in a subtransaction and read after it
# must be made outside it, and a buffer must be freed before the statement ends: otherwise PostgreSQL closes the
# file early, warns "temporary file leak", and the rows written to it are silently not judged. The same 30,000
# payments are judged at work_mem = 64kB and 64MB, statement and row level: same alerts, no WARNING. TAP.
set -uo pipefail
source "$(dirname "$0")/tap.sh"
throwaway_database work_mem_test && q <<'SQL' >/dev/null
CREATE EXTENSION oversight;
SELECT oversight.install_default_rules();
CREATE SCHEMA t;
-- 30,000 payments: one in 17 in cash (the cash rules' candidate rows, past 64 kB), and the 12,000 first paid again
-- (same payee, amount and invoice) under other codes 60 and 120 days later.
CREATE TABLE t.rows AS
SELECT 'P' || g AS payment_code, 'U' || (h % 50) AS payer_unit_code, 'Payee ' || (h % 400) AS payee_name,
       'ACC' || (h % 400) AS payee_account, (20000 + h * 37 % 997 * 50 + CASE WHEN h % 17 = 0 THEN 30000 ELSE 0 END)::numeric(16,2) AS amount,
       'INV' || h AS invoice_no, DATE '2025-01-01' + (g / 200) % 300 AS paid_on,
       CASE WHEN h % 17 = 0 THEN 'cash' ELSE 'transfer' END AS payment_method
  FROM generate_series(1, 30000) g, LATERAL (SELECT g % 12000 AS h) x;
CREATE FUNCTION t.make(p_name text, p_level text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE t.%I (LIKE t.rows)', p_name);
  EXECUTE format('ALTER TABLE t.%I ADD PRIMARY KEY (payment_code)', p_name);
  PERFORM oversight.watch(('t.' || p_name)::regclass, 'payment', '{}', p_level);
END $$;
SELECT t.make(n, l) FROM (VALUES ('small_stmt', 'statement'), ('large_stmt', 'statement'), ('small_row', 'row'), ('large_row', 'row')) v(n, l);
SQL

load() { # load TABLE WORK_MEM: one INSERT of the 30,000 rows; what it printed (warnings included)
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "SET work_mem = '$2'" -c "INSERT INTO t.$1 SELECT * FROM t.rows" 2>&1
}
alerts() { q -c "SELECT rule_code || ':' || count(*) FROM oversight.alert WHERE object_table = 't.$1' GROUP BY rule_code ORDER BY 1" | tr '\n' ' '; }

for level in stmt row; do
	out_small=$(load "small_$level" 64kB)
	out_large=$(load "large_$level" 64MB)
	is "$out_small" "" "$level level, work_mem 64kB: no warning (no temporary file closed under the engine)"
	is "$out_large" "" "$level level, work_mem 64MB: no warning"
	like "$(alerts "small_$level")" "CASH\\.MONTHLY:[0-9]+ .*PAY\\.DUPLICATE:[0-9]+" "$level level: the cash and duplicate rules fired"
	is "$(alerts "small_$level")" "$(alerts "large_$level")" "$level level: the same alerts per rule whether the engine's stores spill to disk or not"
done

echo "1..$n"
