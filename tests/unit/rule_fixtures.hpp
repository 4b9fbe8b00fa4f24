// Shared by the unit tests: a rule of every kind, compiled with its default parameters (plus the ones a
// kind cannot do without).
#pragma once

#include <string>

#include "oversight/core/rules.hpp"

namespace oversight::core::fixtures {

// The parameters a kind cannot do without, for a record kind (matter rules: a condition on its key).
inline std::string params_for(const std::string &kind, RecordKind rk, const std::string &otherwise = "{}") {
	if (kind == "matter_when") {
		std::string key = record_kind(rk).key.front();
		return R"({"condition": ")" + key + R"( IS NOT NULL", "title_zh": "事项 {)" + key + R"(}"})";
	}
	return otherwise;
}

inline CompiledRule compile_with_defaults(const RuleKindSpec &k) {
	std::string params = "{}";
	if (std::string(k.kind) == "cash_cumulative")
		params = R"({"limit": 1})";
	if (std::string(k.kind) == "test_failure")
		params = R"({"mode": "sql_error"})";
	return CompiledRule::compile(1, "T", k.kind, record_kind_name(k.record_kinds.front()),
	                             params_for(k.kind, k.record_kinds.front(), params), false);
}

} // namespace oversight::core::fixtures
