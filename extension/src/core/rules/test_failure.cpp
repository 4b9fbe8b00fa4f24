// The engine's test kind: a rule that fails on purpose, in C++ or in its SQL, to prove fault isolation
// (pgTAP 204). Applies to every record kind; administrators only.
#include "kinds.hpp"

#include <stdexcept>

#include "oversight/core/cpp_only.hpp"

namespace oversight::core::kinds {
namespace {

// Divides by zero in SQL, on every batch.
const char *sql_test_failure = R"SQL(
SELECT {table}, b.__key, '', b.__unit, NULL::pg_catalog.jsonb
  FROM {batch} b
 WHERE (SELECT pg_catalog.count(*) FROM {batch} x) / (SELECT pg_catalog.count(*) - pg_catalog.count(*) FROM {batch} y) > 0
)SQL";

RuleKindSpec test_failure() {
	RuleKindSpec k{"test_failure",
	               {RK::Payment, RK::Procurement, RK::Bid, RK::Contract, RK::FundAllocation, RK::Enforcement},
	               Evaluation::Row,
	               {{"mode",
	                 P::Choice,
	                 "\"cpp_exception\"",
	                 "cpp_exception: the C++ evaluation throws; sql_error: the rule's SQL raises division_by_zero.",
	                 nullptr,
	                 nullptr,
	                 {"cpp_exception", "sql_error"}}},
	               "Deliberately failing rule for testing fault isolation (administrators only)."};
	k.title_zh = "故障隔离测试规则（故意失败）";
	k.title_en = "Deliberately failing test rule";
	k.messages = {{nullptr, "测试规则故意失败，不应产生告警", "never reported"}};
	k.evaluation_of = [](const CompiledRule &rule) {
		return rule.text("mode") == "sql_error" ? Evaluation::Batch : Evaluation::Row;
	};
	k.check_row = [](const CompiledRule &rule, const Record &, const Calendar &, Hit &) -> bool {
		throw std::runtime_error("test_failure rule " + rule.rule_code + ": deliberate C++ evaluation failure");
	};
	k.sql = [](const CompiledRule &) -> std::string { return sql_test_failure; };
	return k;
}

} // namespace

std::vector<RuleKindSpec> test_kinds() {
	return {test_failure()};
}

} // namespace oversight::core::kinds
