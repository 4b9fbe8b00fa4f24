// The small condition language of data-driven rules (the matter rules of rules/matter.cpp), and their
// text templates. Pure C++: no PostgreSQL headers.
//
// A condition reads the canonical fields of one record kind (record_kinds.hpp):
//
//   amount >= 1000000
//   procurement_method IN ('selective', 'limited', 'direct')
//   fund_kind = 'special' AND amount > 0
//   penalty_kind = 'fine' AND fine_amount >= :fine_threshold      -- a named constant of the rule
//   approved_at >= DATE '2025-01-01' AND NOT (status IS NULL OR status = 'returned')
//
// Grammar (keywords in any case; field names are the canonical ones):
//   condition  := or
//   or         := and { OR and }
//   and        := not { AND not }
//   not        := NOT not | predicate
//   predicate  := '(' or ')'
//               | operand ( '=' | '<>' | '!=' | '<' | '<=' | '>' | '>=' ) operand
//               | field IS [NOT] NULL
//               | field [NOT] IN '(' operand { ',' operand } ')'
//               | field [NOT] BETWEEN operand AND operand
//   operand    := field | number | 'text' | DATE 'yyyy-mm-dd' | TRUE | FALSE | :constant
//
// Everything is checked when the condition is compiled (when a rule version is saved): unknown fields
// and constants, comparisons of different types (a number with a text field), ordering of text or
// booleans (only = and <> : no collation decides anything), values an enumerated field can never take
// ('selctive'), malformed dates, syntax. Errors are core::Error 22023 saying what and where.
//
// Semantics are SQL's: a comparison with a NULL field is unknown, and AND, OR and NOT follow three-valued
// logic; a condition holds only when it is true. Numbers compare as exact decimals (Decimal); dates as
// days; a timestamp field compares by its local date in the bureau's time zone (core::Value::date).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oversight/core/rules.hpp"

namespace oversight::core {

enum class Truth : uint8_t { False, True, Unknown };

class Condition {
public:
	// Parses and type-checks text against the fields of kind. constants: a JSON object name → number
	// or string, referred to as :name; a constant not used is an error too (a misspelt name). Throws
	// core::Error 22023.
	static Condition compile(const std::string &text, RecordKind kind, const Json &constants = Json::object());

	Truth evaluate(const Record &record) const;
	bool holds(const Record &record) const { return evaluate(record) == Truth::True; }
	// Indexes (into record_fields(kind)) of the fields the condition reads, in record order, once each.
	const std::vector<int> &fields() const { return fields_; }
	// The fields without which the condition can never hold: with such a field NULL it is false or
	// unknown whatever the other fields are ("amount >= 500000 AND (payment_kind IS NULL OR …)": amount,
	// not payment_kind). A source that does not provide one of them would never meet the condition, so
	// they are what a rule of the condition cannot judge a record without (data coverage). Record order.
	std::vector<int> necessary_fields() const;

	// Internal representation (public so the parser in condition.cpp can build it).
	enum class Type : uint8_t { Number, Text, Date, Bool };
	struct Operand {
		int field = -1; // -1: a literal
		Type type = Type::Number;
		FieldType field_type = FieldType::Text;
		Decimal number;
		std::string text;
		int32_t date = 0;
		bool boolean = false;
	};
	enum class Op : uint8_t { And, Or, Not, Compare, IsNull, In, Between };
	enum class Cmp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
	struct Node {
		Op op = Op::And;
		Cmp cmp = Cmp::Eq;
		bool negated = false;          // IS NOT NULL, NOT IN, NOT BETWEEN
		int left = -1, right = -1;     // children (And, Or: both; Not: left)
		std::vector<Operand> operands; // Compare: 2; IsNull: 1; In: 1 + list; Between: 3
	};

private:
	friend class ConditionParser;
	std::vector<Node> nodes_;
	int root_ = -1;
	std::vector<int> fields_;
	Truth eval(int node, const Record &record) const;
	// The outcomes node can have when field is NULL and every other field may be anything (a bit per
	// Truth value), following eval's semantics.
	unsigned possible_without(int node, int field) const;
};

// A text with {field} placeholders ("大额支付：{payee_name} {amount} 元"), "{{" and "}}" for braces.
// Unknown fields and unbalanced braces are refused when compiled (core::Error 22023). Rendering writes a
// NULL field as nothing, a decimal exactly, a date as yyyy-mm-dd and a timestamp as its local date.
class TextTemplate {
public:
	static TextTemplate compile(const std::string &text, RecordKind kind);
	std::string render(const Record &record) const;
	const std::vector<int> &fields() const { return fields_; }

private:
	struct Part {
		std::string text; // literal text, or empty for a field
		int field = -1;
	};
	std::vector<Part> parts_;
	std::vector<int> fields_;
	RecordKind kind_ = RecordKind::Payment;
};

// A field's value as text (what a template writes) and as JSON (what a matter's details keep): NULL
// is "" and null; decimals exact; dates and timestamps (their local date) as yyyy-mm-dd.
std::string value_text(const Value &v, FieldType type);
Json value_json(const Value &v, FieldType type);

} // namespace oversight::core
