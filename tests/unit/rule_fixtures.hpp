// Shared by the unit tests: a rule of every kind, compiled with its default parameters (plus the ones a
// kind cannot do without), and a record built from field texts as the engine converts them.
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

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

// A record of a kind from canonical field names and texts, converted as the engine would.
inline Record record(RecordKind kind, std::initializer_list<std::pair<const char *, const char *>> values) {
	Record r;
	const auto &fields = record_fields(kind);
	r.fields.resize(fields.size());
	for (const auto &[name, text] : values) {
		int i = field_index(kind, name);
		EXPECT_GE(i, 0) << name;
		Value &v = r.fields[static_cast<size_t>(i)];
		v.null = false;
		v.text = text;
		switch (fields[static_cast<size_t>(i)].type) {
		case FieldType::Decimal:
			v.dec = Decimal::parse(text);
			break;
		case FieldType::Integer:
		case FieldType::BigInt:
			v.integer = std::stoll(text);
			break;
		case FieldType::Bool:
			v.integer = std::string(text) == "true";
			break;
		case FieldType::Date: {
			int y, m, d;
			std::sscanf(text, "%d-%d-%d", &y, &m, &d);
			v.date = days_from_civil(y, m, d);
			break;
		}
		case FieldType::Timestamp: {
			int y, m, d;
			std::sscanf(text, "%d-%d-%d", &y, &m, &d);
			v.date = days_from_civil(y, m, d);
			v.micros = static_cast<int64_t>(v.date) * 86400LL * 1000000LL;
			break;
		}
		default:
			break;
		}
	}
	return r;
}

} // namespace oversight::core::fixtures
