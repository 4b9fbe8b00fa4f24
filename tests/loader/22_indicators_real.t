#!/usr/bin/env bash
# Issue 12, item 4: Cardinal's indicators on real OCDS the project did not write (the samples in
# $SHARED_DATA/ocds: ProZorro, MTender, Contracts Finder, the fictional process), loaded by oversight-load.
# A run reads every process's compiled release; R003, R018 and R024 flag exactly the processes an
# independent SQL formulation over the same jsonb flags (bench/indicators/baseline.sql); the same files
# loaded in another order give the same run; a second run gives the same rows.
source "$(dirname "$0")/lib.sh"
[ -n "${SHARED_DATA:-}" ] && [ -d "$SHARED_DATA/ocds" ] || skip_all "SHARED_DATA not set: real samples needed"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

files=$(find "$SHARED_DATA/ocds" -name '*.json' | sort)
load_all() { local f; for f in $1; do load ocds -q --no-progress --reject-dir "$WORK" "$f" >/dev/null 2>>"$WORK/load.err"; done; }
# The main currency of the bids (the most frequent one), so R024 compares something.
new_database indicators_a
A=$DB
q "SELECT oversight.install_default_rules()" >/dev/null
load_all "$files"
currency=$(q "SELECT b #>> '{value,currency}' FROM oversight.procurement_process p, jsonb_array_elements(p.source_document #> '{bids,details}') b
              WHERE jsonb_typeof(p.source_document #> '{bids,details}') = 'array' AND b #>> '{value,currency}' IS NOT NULL
              GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
settings="{\"currency\": \"${currency:-USD}\", \"R003\": {}, \"R018\": {}, \"R024\": {}}"
run=$(q "SELECT oversight.run_indicators('$settings')")
is "$(q "SELECT processes_read = (SELECT count(*) FROM oversight.procurement_process WHERE source_document IS NOT NULL) AND documents_invalid = 0
         FROM oversight.indicator_run WHERE run_id = $run")" t "a run reads every process's compiled release ($(q "SELECT processes_read FROM oversight.indicator_run WHERE run_id = $run") processes)"
flagged=$(q "SELECT count(*) FROM oversight.indicator_result WHERE run_id = $run")
ok "$([ "$flagged" -gt 0 ]; echo $?)" "the real samples raise red flags ($flagged: $(q "SELECT string_agg(indicator || ' ' || n, ', ') FROM (SELECT indicator, count(*) n FROM oversight.indicator_result WHERE run_id = $run GROUP BY 1 ORDER BY 1) x"))"
diff=$(psql -XAtq -v ON_ERROR_STOP=1 -d "$A" -v currency="${currency:-USD}" -f "$ROOT/bench/indicators/baseline.sql" \
	-c "SELECT count(*) FROM ((SELECT indicator, ocid FROM baseline_result EXCEPT SELECT indicator, identifier FROM oversight.indicator_result WHERE run_id = $run)
	                          UNION ALL (SELECT indicator, identifier FROM oversight.indicator_result WHERE run_id = $run EXCEPT SELECT indicator, ocid FROM baseline_result)) d")
is "$diff" 0 "R003, R018 and R024 flag the same processes as the SQL formulation over jsonb"
is "$(q "SELECT count(*) FROM oversight.alert WHERE rule_code IN ('CARDINAL.R003', 'CARDINAL.R018', 'CARDINAL.R024')")" \
	"$(q "SELECT count(*) FROM oversight.indicator_result WHERE run_id = $run AND group_name = 'OCID'")" \
	"each process-level result is one alert (rules installed: $(q "SELECT count(*) FROM oversight.rule WHERE rule_code LIKE 'CARDINAL.%'"))"
again=$(q "SELECT oversight.run_indicators('$settings')")
is "$(q "SELECT count(*) FROM ((SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = $run
                                EXCEPT SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = $again)
                               UNION ALL (SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = $again
                                EXCEPT SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = $run)) d")" 0 \
	"a second run gives the same rows"
# All eleven, Cardinal's defaults, on the files loaded in reverse order: the same document.
all_eleven="SELECT oversight.run_indicators('{\"currency\": \"${currency:-USD}\"}' || (SELECT jsonb_object_agg(code, '{}'::jsonb)
             FROM unnest(ARRAY['R003','R018','R024','R025','R028','R030','R035','R036','R038','R048','R058']) code))"
all_a=$(q "SELECT oversight.indicator_document($(q "$all_eleven"), false)::text")
new_database indicators_b
load_all "$(echo "$files" | sort -r)"
all_b=$(q "SELECT oversight.indicator_document($(q "$all_eleven"), false)::text")
ok "$([ -n "$all_a" ] && [ "$all_a" = "$all_b" ]; echo $?)" "the same files loaded in reverse order give the same results, all eleven indicators (${#all_a} bytes)"
done_testing
