// Cardinal's process-level red flags as rules (oversight/core/indicators.hpp computes them; sql/src/
// indicators.sql records each run's rows): one kind whose parameter names the indicator, so each
// indicator is a rule of the catalogue (CARDINAL.R003…) guarding a key node, with versions and bilingual
// titles. It is a sweep kind: its findings are the processes the latest run flagged with its indicator,
// recorded by the engine like every finding (oversight.record_hits, fingerprints: a process flagged again
// is the same alert). oversight.run_indicators() sweeps them right after a run.
#include "kinds.hpp"

namespace oversight::core::kinds {

namespace {

// The process-level indicators (the others judge organisations, which have no procurement key node).
const std::vector<std::string> &process_indicators() {
	static const std::vector<std::string> codes = {"R003", "R018", "R024", "R028", "R030", "R035", "R036", "R058"};
	return codes;
}

const char *sql_cardinal_indicator = R"SQL(
SELECT {table}, h.__key, '', h.__unit,
       pg_catalog.jsonb_build_object('ocid', h.ocid, 'indicator', r.indicator, 'value', r.result_value, 'run_id', r.run_id)
  FROM {hist} h
  JOIN oversight.indicator_result r
    ON r.group_name = 'OCID' AND r.identifier = h.ocid AND r.indicator = {p:indicator}
 WHERE r.run_id = (SELECT pg_catalog.max(x.run_id) FROM oversight.indicator_run x)
)SQL";

RuleKindSpec cardinal_indicator() {
	RuleKindSpec k{
	    "cardinal_indicator",
	    {RK::Procurement},
	    Evaluation::Sweep,
	    {{"indicator", P::Choice, "\"R003\"", "Cardinal's code of the process-level red flag.", nullptr, nullptr,
	      process_indicators()}},
	    "A process flagged by the latest run of one of Cardinal's red-flag indicators (oversight.run_indicators())."};
	k.title_zh = "Cardinal 红旗指标";
	k.title_en = "Cardinal red flag";
	k.messages = {{nullptr, "采购项目 {ocid} 触发红旗指标 {indicator}，指标值 {value}（指标运行 {run_id}）",
	               "process {ocid} raised red flag {indicator}, value {value} (indicator run {run_id})"}};
	k.sql = [](const CompiledRule &) -> std::string { return sql_cardinal_indicator; };
	k.required_inputs = {"ocid"};
	return k;
}

} // namespace

std::vector<RuleKindSpec> indicator_kinds() {
	return {cardinal_indicator()};
}

} // namespace oversight::core::kinds
