// Internal to the rule core: what the rule-kind files (rules/<area>.cpp) share, and the area lists the
// registry (rules/registry.cpp) assembles. Pure C++.
//
// A kind is one function returning its RuleKindSpec: catalogue entry (record kinds, evaluation,
// parameters with their validation bounds, description), its title and message templates in Chinese
// and English (oversight/core/messages.hpp) and, side by side, its row check, its pre-filter and its
// set-based SQL, and what it judges a record by: its required and optional inputs, the link tables it
// reads, the currency of its amount thresholds, whether it judges payments only (data coverage:
// tests/unit/coverage_test.cpp checks that every field the check, the pre-filter and the SQL read is
// declared). A finding carries values, never a sentence: the row check fills Hit::details, the SQL
// returns a details column, with every value a template reads. Adding a kind: write that function in
// its area's file, list it in the area's *_kinds(), and add its tests (tests/unit: a firing case in
// messages_test.cpp for a row kind; tests/pgtap), and its default rule, if any, as a row of
// oversight.rule_default in the upgrade script.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "oversight/core/error.hpp"
#include "oversight/core/rules.hpp"

namespace oversight::core::kinds {

using P = ParamType;
using RK = RecordKind;

// The kinds of each area, in catalogue order.
std::vector<RuleKindSpec> payment_kinds();
std::vector<RuleKindSpec> sod_kinds();
std::vector<RuleKindSpec> procurement_kinds();
std::vector<RuleKindSpec> fund_kinds();
std::vector<RuleKindSpec> enforcement_kinds();
std::vector<RuleKindSpec> matter_kinds();    // data-driven: what forms a matter (rules/matter.cpp)
std::vector<RuleKindSpec> indicator_kinds(); // Cardinal's red flags (rules/indicator.cpp)
std::vector<RuleKindSpec> test_kinds();

// Field access by canonical name: f("amount"). Rules name fields by string literals: their index is
// looked up once per literal and record kind, then found by the literal's address in a small
// direct-mapped table (a row check reads a few fields of every written row: a hash-map probe per read
// was 1-2 % of a bulk load).
struct Fields {
	RecordKind kind;
	const Record &r;
	Fields(const CompiledRule &rule, const Record &record) : kind(rule.record_kind), r(record) {}
	const Value &operator()(const char *name) const {
		struct Slot {
			const char *name = nullptr;
			int index = -1;
		};
		static Slot recent[record_kind_count][64];
		Slot &slot = recent[static_cast<size_t>(kind)][(reinterpret_cast<std::uintptr_t>(name) >> 3) & 63];
		if (slot.name != name)
			slot = Slot{name, looked_up(name)};
		return r[slot.index];
	}

private:
	int looked_up(const char *name) const {
		static std::unordered_map<const char *, int> known[record_kind_count];
		auto &of_kind = known[static_cast<size_t>(kind)];
		auto it = of_kind.find(name);
		int i = it != of_kind.end() ? it->second : (of_kind[name] = field_index(kind, name));
		if (i < 0)
			throw Error(sqlstate::internal_error,
			            std::string("field ") + name + " is not a field of " + record_kind_name(kind));
		return i;
	}
};

inline bool in_list(const std::vector<std::string> &list, const std::string &s) {
	return std::find(list.begin(), list.end(), s) != list.end();
}

// Alert details: a JSON object text.
inline std::string details(std::initializer_list<std::pair<const char *, Json>> members) {
	Json o = Json::object();
	for (const auto &[k, v] : members)
		o[k] = v;
	return o.dump();
}

inline Json jtext(const Value &v) {
	return v.null ? Json(nullptr) : Json(v.text);
}
// A decimal in alert details: an exact JSON number, or its exact text when no double holds it.
inline Json jdec(const Decimal &d) {
	try {
		return decimal_json(d);
	} catch (const Error &) {
		return Json(d.str());
	}
}

// Currency of a record for threshold comparisons: a record without one is in the base currency.
inline bool currency_is(const Value &currency, const std::string &wanted) {
	return currency.null || currency.text == wanted;
}

// A text field that is set and equal to value.
inline bool is(const Value &v, const char *value) {
	return !v.null && v.text == value;
}

} // namespace oversight::core::kinds
