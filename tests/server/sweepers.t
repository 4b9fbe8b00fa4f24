#!/usr/bin/env bash
# Two sweepers started at once (two sessions) take every due ladder step exactly once between them,
# with one card per yellow or red step and one notification per step; a third sweep takes nothing. TAP.
set -uo pipefail
source "$(dirname "$0")/tap.sh"
throwaway_database sweepers_test && q <<'SQL' >/dev/null
CREATE EXTENSION oversight;
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'test of concurrent sweepers');
SELECT oversight.set_clock('2024-03-01 10:00+08');
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('S1', '科室', 'section');
INSERT INTO oversight.person (person_code, full_name) VALUES ('L', '领导'), ('C', '科长'), ('H', '经办');
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES
  ('L', 'S1', 'leader_in_charge', '2024-01-01'), ('C', 'S1', 'section_chief', '2024-01-01');
-- 400 matters of 1 March, each owing a report, a filing and a public disclosure: all past every step by June.
SELECT count(oversight.register_matter('PROC.METHOD.NONOPEN', 'S1', '2024-03-01', '事项 ' || i, NULL, false, 'H')) FROM generate_series(1, 400) i;
SQL
expected=$(q -c "SELECT count(*) * 5 FROM oversight.obligation")
sweeper() { psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "SELECT oversight.set_clock('2024-06-28 18:00+08')" -c 'SELECT ladder_steps FROM oversight.sweep()' 2>&1 | tail -1; }
sweeper >"$WORK/a" &
a=$!
sweeper >"$WORK/b" &
b=$!
wait $a
wait $b
is "$(q -c 'SELECT count(*) FROM oversight.escalation_step')" "$expected" "two sweepers at once take every due step ($expected)"
is "$(( $(cat "$WORK/a") + $(cat "$WORK/b") ))" "$expected" "each step once: the two sweepers' counts add up to it ($(cat "$WORK/a") + $(cat "$WORK/b"))"
is "$(q -c "SELECT count(*) FROM oversight.card") $(q -c "SELECT count(*) FROM oversight.escalation_step WHERE step IN ('yellow_card', 'red_card')")" \
	"$(q -c "SELECT count(*) * 2 FROM oversight.obligation") $(q -c "SELECT count(*) * 2 FROM oversight.obligation")" "one card per yellow and red step"
is "$(q -c 'SELECT count(*) FROM oversight.outbox')" "$expected" "one notification per step"
is "$(sweeper)" 0 "a third sweep at the same time takes nothing"
echo "1..$n"
