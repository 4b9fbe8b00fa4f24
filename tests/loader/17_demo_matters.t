#!/usr/bin/env bash
# Matters from the write path (issue 9): the bundled demo, with the default catalog, rules and node owners
# (demo/setup.sql), forms its matters as it loads — large payments, non-open methods, contracts — with
# their obligations; the sweeper takes the steps due. Loading the demo a second time, and sweeping again,
# creates no second matter, obligation, ladder step or notification.
source "$(dirname "$0")/lib.sh"
new_database demo_matters
D=$OVERSIGHT_ROOT/demo/data
# The demo's clock: mid-July 2024, after the bundled Q1/Q2 exports.
export PGOPTIONS="-c oversight.now=2024-07-15T17:00:00+08:00 -c TimeZone=Asia/Shanghai"
run() { load "$1" -q --no-progress --reject-dir "$WORK" "$D/$2" >/dev/null 2>&1; }
load_demo() {
	for k in org-units:org-units.csv people:people.csv assignments:assignments.csv parties:parties.csv \
		budget-projects:budget-projects.csv calendar:calendar-2027.csv; do
		run "${k%%:*}" "${k#*:}"
	done
	if [ "${1:-}" = first ]; then psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$OVERSIGHT_ROOT/demo/setup.sql" >/dev/null; fi
	run payments payments-2024Q1.csv
	run payments payments-2024Q2-gb18030.csv
	run ocds procurement-ocds.jsonl
	q "SELECT count(*) FROM oversight.sweep()" >/dev/null
}
counts() {
	q "SELECT (SELECT count(*) FROM oversight.matter) || ' matters, ' || (SELECT count(*) FROM oversight.obligation) || ' obligations, '
	       || (SELECT count(*) FROM oversight.escalation_step) || ' steps, ' || (SELECT count(*) FROM oversight.outbox) || ' notifications, '
	       || (SELECT count(*) FROM oversight.hold) || ' holds'"
}
load_demo first
first=$(counts)
diag "after the first load: $first"
like "$(q "SELECT string_agg(DISTINCT node_code, ',' ORDER BY node_code) FROM oversight.matter")" 'FUND\.PAY\.LARGE' \
	"the demo's large payments form matters at FUND.PAY.LARGE"
is "$(q "SELECT count(*) FROM oversight.matter m WHERE NOT EXISTS (SELECT FROM oversight.obligation o WHERE o.matter_id = m.matter_id)")" 0 \
	"every matter has its obligations"
is "$(q "SELECT count(*) FROM oversight.matter WHERE first_responsible IS NULL OR primary_responsible IS NULL")" 0 \
	"and the people responsible on the day of the act (the node owners of demo/setup.sql)"
is "$(q "SELECT count(*) FROM oversight.alert WHERE rule_code LIKE 'MATTER.%'")" 0 "matter rules raise no alerts"
is "$(q "SELECT count(*) FROM oversight.engine_fault")" 0 "no engine fault"
like "$(q "SELECT count(*) FROM oversight.escalation_step")" '^[1-9]' "the sweeper has taken the steps due by mid-July"
load_demo
is "$(counts)" "$first" "loading the demo twice creates no second matter, obligation, step or notification"
is "$(q "SELECT count(*) FROM oversight.matter WHERE updated_at IS NOT NULL")" 0 "and changes no matter"
done_testing
