// The record kinds: one definition of each canonical finance table the rules watch (payment, procurement
// process, bid, contract, fund allocation, enforcement case), read by the rule core, the engine, the
// SQL-callable catalogue functions AND the loader (loader/src/core/record_kinds.cpp compiles this file).
//
// For each kind: every column of its canonical table in schema oversight, in table order, with its type,
// its SQL domain and, for the columns a CHECK (column IN (…)) constrains, the allowed values; which of the
// columns are canonical fields (what watch() maps a table's columns onto and rules read:
// oversight.record_kind_fields()); its natural key; its unit field (row-level security of alerts).
// tests/pgtap/212_record_kind_drift.sql compares all of it with the installed tables.
//
// Pure C++: no PostgreSQL headers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace oversight::core {

enum class FieldType { Text, Decimal, Integer, BigInt, Date, Timestamp, Bool, Json };
enum class RecordKind { Payment, Procurement, Bid, Contract, FundAllocation, Enforcement };
inline constexpr size_t record_kind_count = 6;

// The SQL domain of a column (schema oversight), where the table uses one.
enum class Domain { None, Amount, Currency, FiscalYear };

// Values of the enumerated columns (the tables' CHECK constraints), and the ones rules and the loader name.
namespace procurement_method {
inline constexpr const char *open = "open", *selective = "selective", *limited = "limited", *direct = "direct";
}
namespace procurement_category {
inline constexpr const char *goods = "goods", *works = "works", *services = "services";
}
namespace payment_kind {
inline constexpr const char *payment = "payment", *refund = "refund", *credit_note = "credit_note";
}
namespace payment_method {
inline constexpr const char *transfer = "transfer", *cash = "cash", *official_card = "official_card";
}
namespace penalty_kind {
inline constexpr const char *fine = "fine";
}
namespace collected_by {
inline constexpr const char *designated_bank = "designated_bank", *deciding_agency = "deciding_agency";
}

using Values = std::vector<std::string>;
const Values &procurement_methods();          // open, selective, limited, direct
const Values &procurement_categories();       // goods, works, services
const Values &payment_methods();              // transfer, cash, official_card
const Values &non_open_procurement_methods(); // every procurement method but open

struct ColumnSpec {
	const char *name;
	FieldType type;
	bool canonical;                 // a canonical field (record_fields): watch() maps onto it, rules read it
	Domain domain = Domain::None;   // oversight.amount, oversight.currency, oversight.fiscal_year
	const Values *values = nullptr; // the column's CHECK (column IN (…)), in the constraint's order
};

struct FieldSpec {
	const char *name;
	FieldType type;
};

struct RecordKindSpec {
	RecordKind kind;
	const char *name;                // "payment"
	const char *table;               // canonical table in schema oversight, unqualified ("payment")
	std::vector<const char *> key;   // natural key (the table's primary key)
	const char *unit_field;          // organisational unit of a record (nullptr: none, e.g. bids)
	std::vector<ColumnSpec> columns; // every column of the canonical table, in table order
	std::vector<FieldSpec> fields;   // the canonical fields: the columns marked canonical, in table order

	const ColumnSpec *column(const std::string &name) const; // nullptr when unknown
};

const std::vector<RecordKindSpec> &record_kinds(); // in RecordKind order
const RecordKindSpec &record_kind(RecordKind kind);
std::optional<RecordKind> parse_record_kind(const std::string &name);
const char *record_kind_name(RecordKind kind);
const std::vector<FieldSpec> &record_fields(RecordKind kind);
int field_index(RecordKind kind, const std::string &name); // -1 when unknown
const char *sql_type_name(FieldType type);                 // canonical SQL type of a field type
const char *domain_name(Domain domain);                    // "amount", … (nullptr for None)
// The field holding the organisational unit the record belongs to (row-level security of alerts).
const char *unit_field(RecordKind kind);

// s as a JSON array of strings: ["a", "b"] (rule parameter defaults built from the enumerations).
std::string json_string_list(const Values &items);

} // namespace oversight::core
