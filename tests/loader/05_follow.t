#!/usr/bin/env bash
# oversight-load follow: the engine notifies only an alert's number ({"alert_id": n}: LISTEN needs no
# privilege); follow reads each alert through row-level security, as the connected role, and prints it
# as one human line (or as the documented JSON with --json), stopping after --max alerts or --timeout
# seconds. A role sees only its units' alerts; a forged number prints nothing; a role that may not read
# alerts is told so. With --outbox it prints the escalation ladder's notifications. Rule titles, alert
# messages and the ladder's texts come in the database's language (setting "language", zh by default),
# the session's (PGOPTIONS -c oversight.language=en) or --language's.
source "$(dirname "$0")/lib.sh"
new_database follow
EDU_ROLE="follow_edu_$$"
LOADER_ROLE="follow_loader_$$"
q "SELECT oversight.install_default_rules()" >/dev/null
q "INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('EDU01', '市第一中学', 'budget_unit'), ('HLT02', '市中心医院', 'budget_unit')"
# Units of their own for the language checks: one cash payment each, under the monthly cumulative limit.
q "INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) SELECT 'LNG' || i, '语言测试单位' || i, 'budget_unit' FROM generate_series(1, 4) i"
q "CREATE ROLE $EDU_ROLE LOGIN IN ROLE oversight_analyst; CREATE ROLE $LOADER_ROLE LOGIN IN ROLE oversight_loader"
q "INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('$EDU_ROLE', 'EDU01')"
wait_listening() { # until the follower's LISTEN is registered
	for _ in $(seq 1 100); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'oversight-load' AND datname = '$DB'")" -ge 1 ] && sleep 0.2 && return 0
		sleep 0.05
	done
	return 1
}
cash() { # cash CODE UNIT AMOUNT: a cash payment (CASH.SINGLE over 50,000; round amounts fire PAY.ROUND_AMOUNT too)
	q "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
	   VALUES ('$1', '$2', '现金领取人', $3, 'cash', '2025-06-03')"
}

"$LOADER" --dsn "dbname=$DB" follow --max 2 --timeout 30 >"$WORK/human.out" 2>"$WORK/human.err" &
pid=$!
wait_listening
q "SELECT pg_notify('other_channel', 'ignored')" >/dev/null
cash C-1 EDU01 60000
wait "$pid"
is "$?" 0 "follow exits 0 after --max 2"
is "$(wc -l <"$WORK/human.out")" 2 "two lines printed: the two alerts of one cash payment"
like "$(cat "$WORK/human.out")" '^2025-06-30T10:00:00\+08:00 MEDIUM +CASH\.SINGLE v1 \[open\] .*\(oversight\.payment payment_code=C-1\) #[0-9]+' "human line of the cash alert, read back from the database"
like "$(cat "$WORK/human.out")" 'PAY\.ROUND_AMOUNT v1 \[open\]' "and of the round-amount alert"
like "$(cat "$WORK/human.out")" 'CASH\.SINGLE v1 \[open\] 单笔大额提取现金：单笔现金支付 60000 元，超过单笔提取现金限额 50000 \(' \
	"in Chinese by default: the rule's title and the message"

"$LOADER" --dsn "dbname=$DB" follow --json --max 1 --timeout 30 >"$WORK/json.out" 2>/dev/null &
pid=$!
wait_listening
cash C-2 EDU01 70000.5
wait "$pid"
id=$(q "SELECT alert_id FROM oversight.alert WHERE object_key ->> 'payment_code' = 'C-2'")
printed=$(sed "s/'/''/g" "$WORK/json.out")
is "$(q "SELECT (p - 'fired_at') = (n.notice - 'fired_at') AND (p ->> 'fired_at')::timestamptz = (n.notice ->> 'fired_at')::timestamptz
         FROM oversight.alert_notices(ARRAY[$id::bigint]) n, (SELECT '$printed'::jsonb AS p) x")" t "--json prints the documented alert JSON"
is "$(q "SELECT p ->> 'language' || ' ' || (p ->> 'rule_title') FROM (SELECT '$printed'::jsonb AS p) x")" "zh 单笔大额提取现金" "…in the database's language, which it names"

"$LOADER" --dsn "dbname=$DB" follow --language en --max 1 --timeout 30 >"$WORK/human-en.out" 2>/dev/null &
pid=$!
wait_listening
cash C-EN LNG1 61000.5
wait "$pid"
like "$(cat "$WORK/human-en.out")" 'CASH\.SINGLE v1 \[open\] Large single cash withdrawal: cash payment of 61000.5 CNY exceeds the single-withdrawal limit of 50000 \(oversight\.payment payment_code=C-EN\)' \
	"--language en prints the alerts in English"
PGOPTIONS="$PGOPTIONS -c oversight.language=en" "$LOADER" --dsn "dbname=$DB" follow --max 1 --timeout 30 >"$WORK/session-en.out" 2>/dev/null &
pid=$!
wait_listening
cash C-EN2 LNG2 72000.5
wait "$pid"
like "$(cat "$WORK/session-en.out")" 'Large single cash withdrawal: cash payment of 72000.5 CNY' "without --language, the session's language (oversight.language in PGOPTIONS)"
"$LOADER" --dsn "dbname=$DB" follow --language fr --timeout 1 >/dev/null 2>"$WORK/fr.err"
is "$?" 2 "--language fr is refused"
PGOPTIONS="$PGOPTIONS -c oversight.language=fr" "$LOADER" --dsn "dbname=$DB" follow --timeout 1 >/dev/null 2>"$WORK/fr-session.err"
is "$?" 5 "so is a session whose oversight.language is fr…"
like "$(cat "$WORK/fr-session.err")" 'invalid value for setting oversight.language: "fr"' "…by the database, saying why"

"$LOADER" --dsn "dbname=$DB" follow --timeout 2 >"$WORK/forged.out" 2>/dev/null &
pid=$!
wait_listening
q "SELECT pg_notify('oversight_alerts', '{\"alert_id\": 999999}')" >/dev/null
wait "$pid"
is "$(cat "$WORK/forged.out")" "" "a notification naming no alert prints nothing (anyone may NOTIFY)"

"$LOADER" --dsn "dbname=$DB user=$EDU_ROLE" follow --timeout 3 >"$WORK/edu.out" 2>/dev/null &
pid=$!
wait_listening
cash C-HLT HLT02 80000.5
cash C-EDU EDU01 90000.5
wait "$pid"
is "$(grep -c 'payment_code=' "$WORK/edu.out")" 1 "an analyst following sees one alert…"
like "$(cat "$WORK/edu.out")" 'payment_code=C-EDU' "…the one of the unit granted to them"

"$LOADER" --dsn "dbname=$DB user=$LOADER_ROLE" follow --timeout 10 >/dev/null 2>"$WORK/loader.err" &
pid=$!
wait_listening
cash C-3 EDU01 55000.5
wait "$pid"
is "$?" 5 "a role that may not read alerts stops with exit 5…"
like "$(cat "$WORK/loader.err")" 'permission denied' "…saying why"

# What the rules could not judge comes with the alerts (channel oversight_coverage, {"gap_id": n}): a USD
# cash payment is not judged by the CNY cash limit.
"$LOADER" --dsn "dbname=$DB" follow --language en --max 1 --timeout 30 >"$WORK/coverage.out" 2>/dev/null &
pid=$!
wait_listening
q "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, currency, payment_method, paid_on)
   VALUES ('C-USD', 'EDU01', 'cashier', 60000.5, 'USD', 'cash', '2025-06-03')"
wait "$pid"
like "$(cat "$WORK/coverage.out")" '^2025-06-30T10:00:00\+08:00 CANNOT-EVALUATE CASH\.(SINGLE|MONTHLY|ANNUAL) v1 oversight\.payment: 1 records, records in USD, not the currency of the rule.s amount thresholds #[0-9]+$' \
	"follow prints what a rule could not judge, and why"
"$LOADER" --dsn "dbname=$DB user=$EDU_ROLE" follow --max 1 --timeout 30 >"$WORK/coverage-zh.out" 2>/dev/null &
pid=$!
wait_listening
q "INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, currency, payment_method, paid_on)
   VALUES ('C-USD2', 'EDU01', 'cashier', 60000.5, 'USD', 'cash', '2025-06-04')"
wait "$pid"
like "$(cat "$WORK/coverage-zh.out")" '无法判断 CASH\.[A-Z]+ v1 oversight\.payment：[0-9]+ 条记录，记录币种为 USD' "to an analyst too, in Chinese by default"

# --outbox: the escalation ladder's notifications, in Chinese by default or in English.
q "SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'EDU01', '2025-06-03', '单一来源采购：教学设备', NULL, false, NULL)" >/dev/null
"$LOADER" --dsn "dbname=$DB" follow --outbox --max 1 --timeout 30 >"$WORK/outbox.out" 2>/dev/null &
pid=$!
wait_listening
q "SELECT oversight.sweep()" >/dev/null
wait "$pid"
like "$(cat "$WORK/outbox.out")" '^2025-06-30T10:00:00\+08:00 PROMPT +→ handler: 提示：「单一来源采购：教学设备」的.*将于2025-06-0[0-9]到期' "--outbox prints the ladder's notifications, in Chinese"
"$LOADER" --dsn "dbname=$DB" follow --outbox --language en --max 1 --timeout 30 >"$WORK/outbox-en.out" 2>/dev/null &
pid=$!
wait_listening
q "SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'EDU01', '2025-06-10', 'Second purchase', NULL, false, NULL)" >/dev/null
q "SELECT oversight.sweep()" >/dev/null
wait "$pid"
like "$(cat "$WORK/outbox-en.out")" 'PROMPT +→ handler: Prompt: the .* of "Second purchase" is due on' "or in English"

# A database whose setting "language" is en: alerts and the ladder's texts in English without any option.
q "INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('language', 'en', 'an English-speaking audit team')" >/dev/null
"$LOADER" --dsn "dbname=$DB" follow --max 1 --timeout 30 >"$WORK/db-en.out" 2>/dev/null &
pid=$!
wait_listening
cash C-DB-EN LNG3 83000.5
wait "$pid"
like "$(cat "$WORK/db-en.out")" 'Large single cash withdrawal: cash payment of 83000.5 CNY' "the database's setting language = en: alerts in English"
"$LOADER" --dsn "dbname=$DB" follow --outbox --max 1 --timeout 30 >"$WORK/outbox-db-en.out" 2>/dev/null &
pid=$!
wait_listening
q "SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'EDU01', '2025-06-11', 'Third purchase', NULL, false, NULL)" >/dev/null
q "SELECT oversight.sweep()" >/dev/null
wait "$pid"
like "$(cat "$WORK/outbox-db-en.out")" 'PROMPT +→ handler: Prompt: the .* of "Third purchase" is due on' "…and the ladder's notifications too"
"$LOADER" --dsn "dbname=$DB" follow --language zh --max 1 --timeout 30 >"$WORK/zh-over-en.out" 2>/dev/null &
pid=$!
wait_listening
cash C-ZH LNG4 94000.5
wait "$pid"
like "$(cat "$WORK/zh-over-en.out")" '单笔大额提取现金：单笔现金支付 94000.5 元' "--language zh overrides it"
q "DELETE FROM oversight.setting WHERE setting_key = 'language'" >/dev/null

start=$(date +%s)
"$LOADER" --dsn "dbname=$DB" follow --timeout 1 >"$WORK/none.out" 2>/dev/null
is "$?" 0 "--timeout ends a quiet follow with exit 0"
ok "$([ $(($(date +%s) - start)) -le 5 ]; echo $?)" "and promptly"

"$LOADER" --dsn "dbname=$DB" follow >/dev/null 2>&1 &
pid=$!
wait_listening
kill -TERM "$pid"
wait "$pid"
is "$?" 0 "SIGTERM ends follow cleanly"
q "DROP OWNED BY $EDU_ROLE; DROP ROLE $EDU_ROLE; DROP OWNED BY $LOADER_ROLE; DROP ROLE $LOADER_ROLE" >/dev/null 2>&1
done_testing
