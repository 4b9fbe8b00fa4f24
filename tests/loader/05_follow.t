#!/usr/bin/env bash
# oversight-load follow: prints each alert sent on channel oversight_alerts as one human line (or as JSON
# lines with --json), and stops after --max alerts or --timeout seconds.
source "$(dirname "$0")/lib.sh"
new_database follow
payload() { # payload ID RULE SEVERITY
	printf '{"alert_id": %s, "rule_code": "%s", "rule_version": 3, "severity": "%s", "status": "open", "object_table": "oversight.payment", "object_key": {"payment_code": "P-%s"}, "fingerprint": "fp-%s", "repeat_count": %s, "message": "重复支付 duplicate payment", "fired_at": "2025-06-30T10:00:00+08:00"}' \
		"$1" "$2" "$3" "$1" "$1" "$1"
}
wait_listening() { # until the follower's LISTEN is registered
	for _ in $(seq 1 100); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'oversight-load' AND datname = '$DB'")" -ge 1 ] && sleep 0.2 && return 0
		sleep 0.05
	done
	return 1
}

"$LOADER" --dsn "dbname=$DB" follow --max 2 --timeout 30 >"$WORK/human.out" 2>"$WORK/human.err" &
pid=$!
wait_listening
q "SELECT pg_notify('oversight_alerts', '$(payload 1 PAY.DUPLICATE warning)'), pg_notify('other_channel', 'ignored')" >/dev/null
q "SELECT pg_notify('oversight_alerts', '$(payload 2 PAY.CASH_FOR_CARD yellow)')" >/dev/null
wait "$pid"
is "$?" 0 "follow exits 0 after --max 2"
is "$(wc -l <"$WORK/human.out")" 2 "two lines printed"
is "$(sed -n 1p "$WORK/human.out")" \
	"2025-06-30T10:00:00+08:00 WARNING  PAY.DUPLICATE v3 [open] 重复支付 duplicate payment (oversight.payment payment_code=P-1) #1" "human line of the first alert"
like "$(sed -n 2p "$WORK/human.out")" 'YELLOW +PAY.CASH_FOR_CARD v3 .* ×2 #2$' "second alert with its repeat count"

"$LOADER" --dsn "dbname=$DB" follow --json --max 1 --timeout 30 >"$WORK/json.out" 2>/dev/null &
pid=$!
wait_listening
q "SELECT pg_notify('oversight_alerts', '$(payload 3 PAY.ROUND_AMOUNT prompt)')" >/dev/null
wait "$pid"
is "$(cat "$WORK/json.out")" "$(payload 3 PAY.ROUND_AMOUNT prompt)" "--json prints the payload unchanged"

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
done_testing
