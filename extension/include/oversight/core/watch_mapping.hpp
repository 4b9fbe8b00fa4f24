// The mapping of a watch (oversight.watch()): for each canonical field of the record kind, the column of the
// watched table that holds it, and what the loader's mapping files can say besides (loader/README.md):
// value aliases ([values.FIELD]: a source value → a canonical value), a constant (const:) and a default for
// NULL (default:). As JSON:
//
//   {"payment_code": "pzh",                                            a plain string: a column
//    "payee_name": {"column": ["收款人", "收款单位"]},                   several: the first the table has
//    "payment_method": {"column": "zffs", "values": {"现金": "cash", "转账": "transfer"}, "default": "transfer"},
//    "currency": {"const": "CNY"},                                     every row, no column
//    "@key": ["pzh"]}                                                  the key columns (else the primary key)
//
// One definition for both evaluation paths: the set-based SQL reads the mapped field through
// mapped_field_sql() (CASE … WHEN alias THEN value …, a literal, COALESCE), the C++ row pass through
// field_value() and the aliases (engine/convert.cpp); pgTAP 217 proves both raise the same alerts. The DBA's
// rows are never rewritten. watch() refuses (22023, Chinese and English) an unknown field, a target value or
// constant the canonical field cannot take (its enumeration, domain or type), and mixes the loader refuses too.
//
// Aliases match the column's value as text exactly (the same in SQL and C++): each spelling is listed.
// Pure C++: no PostgreSQL headers.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "oversight/core/rules.hpp"

namespace oversight::core {

// What a watch gives one canonical field besides its column.
struct FieldValues {
	int field = -1;                             // index into record_fields(kind)
	std::map<std::string, std::string> aliases; // the column's value as text → canonical value (text fields)
	std::optional<std::string> constant;        // every row, in canonical text; the field then has no column
	std::optional<std::string> default_value;   // when the column is NULL or the field has no column
	// The field has a value without any column (a constant, or a default alone).
	bool provides_without_column() const { return constant.has_value() || default_value.has_value(); }
};

struct ValueMapping {
	std::vector<FieldValues> fields;          // in field order; only fields with aliases, a constant or a default
	const FieldValues *find(int field) const; // nullptr when the field has none
	bool empty() const { return fields.empty(); }
	// The stored form (oversight.watched_table.value_mapping): {"field": {"values": {…}, "const": v,
	// "default": v}}, values in canonical text; parse_watch_mapping() reads it back.
	Json json(RecordKind kind) const;
};

// A watch's mapping as given to watch(), checked and normalised.
struct WatchMapping {
	// field → the column named ("column", or a plain string); several when "column" lists names, of which the
	// first the table has wins (a stored .map's header names).
	std::map<std::string, std::vector<std::string>> columns;
	std::set<std::string> column_lists; // fields whose "column" was a list: none present is blind, not an error
	// The columns as JSON: a name, or a list as given.
	Json columns_json() const;
	std::optional<std::vector<std::string>> key; // "@key"
	ValueMapping values;
};

// Checks mapping against kind; throws core::Error 22023 naming the field (and the value) in Chinese and
// English on anything watch() must refuse.
WatchMapping parse_watch_mapping(RecordKind kind, const Json &mapping);

// Why text is not a value of the canonical column (its enumeration, domain or type), as "中文 / English", or
// nullopt; canonical receives the value's canonical text (numbers and dates normalised).
std::optional<std::string> refuse_canonical_value(const ColumnSpec &column, const std::string &text,
                                                  std::string &canonical);

// SQL of a mapped field over the column's expression column_sql (already of the field's type; empty when the
// field has no column): a literal for a constant, CASE column_sql WHEN alias THEN value … ELSE column_sql END
// for aliases, COALESCE(…, default) for a default.
std::string mapped_field_sql(const FieldValues &values, FieldType type, const std::string &column_sql);

// A canonical text (a constant or a default, as checked by parse_watch_mapping) as the row rules read it.
Value field_value(FieldType type, const std::string &canonical);

} // namespace oversight::core
