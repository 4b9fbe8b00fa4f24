#!/usr/bin/env bash
# A single-row write's index look-ups (engine/lookups.cpp) read as the rule's SQL would: with the transaction's
# snapshot at the current command. Under REPEATABLE READ and SERIALIZABLE, a payment written by an earlier
# statement of the same transaction is found; and two SERIALIZABLE transactions writing duplicates of each other
# at the same time end the way they end without the look-ups (the look-up's index scan takes the predicate locks
# the SQL's would). Each case runs with oversight.index_lookups on and off. TAP.
set -uo pipefail
source "$(dirname "$0")/tap.sh"
throwaway_database lookup_isolation_test && q <<'SQL' >/dev/null
CREATE EXTENSION oversight;
SELECT oversight.install_default_rules();
CREATE SCHEMA t;
CREATE TABLE t.pay (payment_code text PRIMARY KEY, payer_unit_code text, payee_name text, payee_account text,
                    amount numeric(16,2), invoice_no text, paid_on date, payment_method text);
CREATE INDEX ON t.pay (invoice_no, amount);
CREATE INDEX ON t.pay (payee_name, paid_on);
SELECT oversight.watch('t.pay', 'payment');
INSERT INTO t.pay SELECT 'S' || g, 'U1', 'Payee ' || g, 'ACC' || g, 10000 + g, 'SINV' || g, DATE '2025-03-01' + g % 30, 'transfer'
  FROM generate_series(1, 2000) g;
SQL

pay() { echo "INSERT INTO t.pay VALUES ('$1', 'U1', '$2', NULL, $3, '$4', DATE '$5', 'transfer');"; }
alerts() { q -c "SELECT string_agg(rule_code || ' ' || (object_key ->> 'payment_code'), ', ' ORDER BY rule_code, object_key ->> 'payment_code') FROM oversight.alert WHERE rule_code IN ('PAY.DUPLICATE', 'PAY.NEAR_DUPLICATE') AND object_key ->> 'payment_code' LIKE '$1%'"; }

for lookups in on off; do
	for level in 'REPEATABLE READ' SERIALIZABLE; do
		tag="${lookups:0:2}${level:0:1}"
		{
			echo "SET oversight.index_lookups = $lookups;"
			echo "BEGIN ISOLATION LEVEL $level;"
			echo "SELECT count(*) FROM t.pay;" # the transaction's snapshot is taken here
			pay "${tag}A" "Newcomer $tag" 50000 "INV-$tag-1" 2025-05-02
			pay "${tag}B" "Newcomer $tag" 50100 "INV-$tag-2" 2025-05-04
			pay "${tag}C" "Newcomer $tag" 50000 "INV-$tag-1" 2025-05-09
			echo "COMMIT;"
		} | psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" >"$WORK/$tag.out" 2>&1 || cat "$WORK/$tag.out"
		is "$(alerts "$tag")" "PAY.DUPLICATE ${tag}C, PAY.NEAR_DUPLICATE ${tag}B, PAY.NEAR_DUPLICATE ${tag}C" \
			"$level, look-ups $lookups: payments of earlier statements of the transaction are partners"
	done

	# Two SERIALIZABLE writers of duplicates of each other, overlapping: whatever PostgreSQL decides (one fails
	# to serialize, or both commit and the later judgement sees the other), a duplicate is never left unseen.
	tag="${lookups:0:2}X"
	writer() { # writer NAME PAUSE_BEFORE_COMMIT
		{
			echo "SET oversight.index_lookups = $lookups;"
			echo "BEGIN ISOLATION LEVEL SERIALIZABLE;"
			echo "SELECT count(*) FROM t.pay;"
			pay "${tag}$1" "Twin $tag" 70000 "INV-$tag" 2025-06-10
			echo "SELECT pg_sleep($2);"
			echo "COMMIT;"
		} | psql -XAtq -d "$DB" >"$WORK/$tag$1.out" 2>&1
	}
	writer 1 1.0 &
	first=$!
	sleep 0.3
	writer 2 0.1
	wait $first
	failed=$(cat "$WORK/${tag}1.out" "$WORK/${tag}2.out" | grep -c "could not serialize")
	committed=$(q -c "SELECT count(*) FROM t.pay WHERE payment_code LIKE '${tag}%'")
	found=$(q -c "SELECT count(*) FROM oversight.alert WHERE rule_code = 'PAY.DUPLICATE' AND object_key ->> 'payment_code' LIKE '${tag}%'")
	like "$failed $committed $found" "^(1 1 0|0 2 1)$" \
		"SERIALIZABLE, look-ups $lookups: concurrent duplicates end with one writer failing to serialize, or with the alert (failed committed alerts: $failed $committed $found)"
	echo "# SERIALIZABLE twins, look-ups $lookups: $failed failed, $committed committed, $found alerts"
done

echo "1..$n"
