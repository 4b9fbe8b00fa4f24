// The record kinds the loader knows: for each, the canonical table it merges into, its natural key, and
// its fields with their types, defaults, references and the table's CHECK constraints restated as
// client-side rules (so a row the database would refuse is quarantined with a reason instead of aborting
// the load). Adding an export format needs a mapping file; adding a record kind is one entry here.
// The six kinds the rules watch (payments, procurement, bids, contracts, allocations, enforcement) take
// their table, key, fields, types and enumerations from the rule core's one definition
// (extension/include/oversight/core/record_kinds.hpp, compiled into the loader); record_kinds.cpp adds
// only what the loader alone needs (defaults, references, bounds, vocabularies, cross-field rules).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oversight::loader {

enum class FieldType {
	text,        // any non-empty text
	code,        // identifier of org units, people, posts: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$
	amount,      // oversight.amount: ≥ 0, < 10^15, ≤ 4 decimals
	date,        // date
	timestamp,   // timestamptz
	integer,     // integer within [min_value, max_value]
	boolean,     // boolean
	currency,    // oversight.currency
	enumeration, // one of allowed (after the mapping file's value aliases)
};

// A reference to another table, checked set-based at merge time (anti-join), so an unknown unit or person
// quarantines the row instead of failing the whole load.
struct Reference {
	std::string table; // unqualified, in schema oversight
	std::string column;
};

struct FieldSpec {
	std::string name; // canonical name = column of the target table (or of the staging table)
	FieldType type = FieldType::text;
	bool required = false;            // NOT NULL without a usable default
	std::string default_value;        // used when the column is absent or the cell empty ("" = none)
	std::vector<std::string> allowed; // enumeration values
	std::optional<Reference> references;
	bool positive = false; // amount > 0
	long long min_value = -2147483648LL, max_value = 2147483647LL;
	// A canonical field of the record kind (what the ledger's fields_provided lists): every field of a kind the
	// rules do not watch; for the six watched kinds, the shared definition's canonical fields only.
	bool canonical = true;
	std::string sql_type() const; // type of the staging column
};

// Read access to the validated values of a rule's inputs: get(i) is the value of inputs[i] (nullopt = NULL).
// The validator resolves the input names to field positions once, not per row.
class RowView {
public:
	virtual ~RowView() = default;
	virtual std::optional<std::string_view> get(size_t input) const = 0;
};

// A cross-field rule (a CHECK constraint of the table): returns the field at fault and the reason, or nothing.
struct RowRule {
	std::string field;
	std::vector<std::string> inputs; // the fields the rule reads, in the order of RowView::get
	std::function<std::optional<std::string>(const RowView &)> check;
};

// A record kind whose amount may come signed (payments): a negative amount is stored as its magnitude, and the
// kind field says the direction (payment_kind refund, unless the row or mapping says credit_note).
struct SignedAmount {
	std::string amount;                 // the amount field that may be negative ("amount")
	std::string kind_field;             // the field giving the direction ("payment_kind")
	std::string positive_kind;          // the kind of a positive amount when nothing says otherwise
	std::string negative_kind;          // the kind of a negative amount when nothing says otherwise
	std::vector<std::string> reversing; // the kinds a negative amount may have ("refund", "credit_note")
	std::string reverses;               // the field naming the record a reversal reverses ("refund_of")
};

struct RecordKind {
	std::string command;          // CLI subcommand, e.g. "payments"; also the mapping file's name
	std::string table;            // target table in schema oversight
	std::string summary;          // one line for --help
	std::vector<std::string> key; // natural key fields
	std::string conflict_target;  // for ON CONFLICT: "(payment_code)" or "ON CONSTRAINT …"
	std::vector<FieldSpec> fields;
	std::vector<RowRule> rules;
	// Extra set-based refusals at merge time: rows of the staging table "s" for which `condition` holds are
	// quarantined with `reason` (e.g. a contract naming an award its process does not have).
	struct MergeCheck {
		std::string field, condition, reason;
		std::string reason_sql = {}; // when set: an SQL text expression on the refused row r, used instead of reason
	};
	std::vector<MergeCheck> merge_checks;
	// Set-based statement run before the upsert, with $1 = load id, $2 = file name (e.g. registering the
	// calendar years the days belong to). Empty for most kinds.
	std::string prepare_sql = {};
	// Merge with UPDATE of existing keys, then INSERT of new ones, instead of INSERT … ON CONFLICT: for tables
	// whose BEFORE INSERT trigger would refuse a row that only corrects an existing one (assignment's
	// single-holder check fires before ON CONFLICT is considered).
	bool update_then_insert = false;
	// Fields whose change on a stored record from another file is a suspected key collision (payee, amount and
	// date of a payment): such a row is quarantined with both versions unless the load says --correction.
	std::vector<std::string> identity_fields = {};
	// Fields the merge checks read even when the file has no column for them: staged with the stored record's
	// value (NULL for a new record), which the merge then writes back unchanged.
	std::vector<std::string> fill_absent = {};
	// Sorted before the key in the merge (an SQL expression on the staged row s): rows that free a unique value
	// go before rows that take it (a login moved from one person to another).
	std::string merge_order = {};
	// The role that may write the table: the loader says so before reading the file when the session cannot.
	std::string writer_role = "oversight_loader";
	// The column recording the load that last inserted or changed a record ("load_id"; empty: none). The loader
	// writes it with every insert and every real change, never on an unchanged row; the suspected-key-collision
	// check reads it to tell a correction from the same file from a record of another source.
	std::string provenance_column = {};
	// The record kind in the ledger's fields_provided ("payment.paid_on"): the shared definition's name for the six
	// watched kinds, else the table ("org_unit").
	std::string name = {};
	// Payments: negative amounts are refunds or credit notes.
	std::optional<SignedAmount> signed_amount = {};
	// Fields of which a row needs at least one (an org unit's name_zh or name_en): a file that provides none of
	// them is refused at its header; a row with all of them empty is quarantined with `reason` (on the first).
	struct OneOf {
		std::vector<std::string> fields;
		std::string reason;
	};
	std::vector<OneOf> one_of_required = {};

	const FieldSpec *field(const std::string &name) const;
	int field_index(const std::string &name) const; // -1 when unknown
};

// Every CSV record kind, in the order a first load of a bureau's data should follow (references first).
const std::vector<RecordKind> &record_kinds();
const RecordKind *find_record_kind(const std::string &command);

// The ledger's fields_provided of a CSV load: "kind.field" for each canonical field the load fills (its staged
// fields: from a column of the header, a constant, a default or a derivation), in field order.
std::vector<std::string> fields_provided(const RecordKind &kind, const std::vector<int> &staged_fields);
// The same as a PostgreSQL text[] literal: {"payment.amount","payment.paid_on"}.
std::string text_array_literal(const std::vector<std::string> &items);

} // namespace oversight::loader
