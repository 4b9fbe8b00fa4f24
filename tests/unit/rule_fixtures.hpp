// Shared by the unit tests: a rule of every kind, compiled with its default parameters (plus the ones a
// kind cannot do without).
#pragma once

#include <string>

#include "oversight/core/rules.hpp"

namespace oversight::core::fixtures {

inline CompiledRule compile_with_defaults(const RuleKindSpec &k) {
	std::string params = "{}";
	if (std::string(k.kind) == "cash_cumulative")
		params = R"({"limit": 1})";
	if (std::string(k.kind) == "test_failure")
		params = R"({"mode": "sql_error"})";
	return CompiledRule::compile(1, "T", k.kind, record_kind_name(k.record_kinds.front()), params, false);
}

} // namespace oversight::core::fixtures
