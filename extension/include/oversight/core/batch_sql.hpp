// The SQL the engine runs over a batch of written rows, assembled in pure C++ (no PostgreSQL headers):
// the canonical view of a watched table or of the batch (relation_view), a rule's set-based SQL bound
// to a table (instantiate), and the one statement that records a batch's findings (recording_query).
// What only PostgreSQL knows (quoted identifiers, the column types' names) comes in as plain data in a
// TableShape, built by the engine (src/engine/config.cpp) when it loads a watch.
//
// The alert key of a row is built here too, for both paths: as SQL (the __key column of
// relation_view, for set-based rules) and as JSON text from the key columns' values (key_json, for the
// row rules evaluated in C++). pgTAP 202 proves that both give the same alerts.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oversight/core/rules.hpp"
#include "oversight/core/watch_mapping.hpp"

namespace oversight::core {

// The rows being written, registered by the engine as an ephemeral named relation.
inline constexpr const char *batch_relation = "oversight_batch";

// A canonical field mapped onto a column of the watched table.
struct BoundField {
	BoundField() = default;
	BoundField(int field_index, std::string quoted, std::string type)
	    : field(field_index), quoted_column(std::move(quoted)), type_name(std::move(type)) {}
	int field = -1;            // index into record_fields(kind)
	std::string quoted_column; // the column's name, quoted as an identifier
	std::string type_name;     // the column's base type as PostgreSQL names it (format_type_be)
	// The only values the column can hold, when a CHECK constraint of the table lists them (column_check_values):
	// what lets a rule's comparison with a canonical value reach the column's own codes (source_comparisons).
	std::optional<std::vector<std::string>> admitted_values;
};

struct TableShape {
	RecordKind kind = RecordKind::Payment;
	std::string table_name;                      // schema-qualified and quoted
	std::vector<BoundField> fields;              // mapped fields only
	std::vector<std::string> key_columns;        // the key columns' names
	std::vector<std::string> quoted_key_columns; // the same, quoted as identifiers
	// The column naming the load (oversight.load) that last wrote a row, quoted: load_id of the canonical
	// tables, which oversight-load fills; empty when the table has none (rows then have no load, __load NULL).
	std::string provenance_column;
	// Value aliases, constants and defaults of the watch (oversight.watched_table.value_mapping): applied to
	// the canonical view, never to the rows.
	ValueMapping values;
	// The watch's mapping version (oversight.watch_mapping_version), recorded in its alerts; 0: none (the
	// extension's own tables).
	int64_t mapping_version_id = 0;
};

// What an evaluation leaves out of a rule's judgement, decided by the engine once per batch (the loads of
// the written rows that did not provide a required input, the currencies of the rule's thresholds) and
// counted by it as cannot-evaluate; the rule's SQL then never sees those rows.
struct RuleScope {
	std::vector<int64_t> excluded_loads; // written rows of these loads are left out of {batch}
	std::string batch_currency;          // non-empty: written rows in another currency are left out of {batch}
	std::string base_currency;           // the record's currency when it has none (the setting base_currency)
	// Evaluation at commit (RuleKindSpec::at_commit_group): {batch} is every stored record whose value of
	// this canonical field is in the text array $1 (the processes written in the transaction), not the
	// rows of one statement.
	std::string queued_group;
	// A large batch of a kind with pairs (RuleKindSpec::pairs), split so that it is never joined with itself:
	// the rule's SQL runs over the written rows that may pair (paired_relation: the table's columns and their
	// pair cluster, __pair), each only with the rows of its cluster, and, when rows_before, once more for the
	// written rows with the stored rows the statement did not write (those whose xmin and cmin are not the
	// statement's, split_xmin and split_cmin). Empty split_xmin: not split, {hist} is the whole table.
	std::string split_xmin, split_cmin, paired_relation;
	bool rows_before = true;
	// Which half of a split rule this is (set by instantiate).
	enum class Half : uint8_t { Whole, Paired, Before } half = Half::Whole;
	// A large batch: the relation holding the rule's candidate rows (those its pre-filter passes, registered
	// by the engine), which {batch} then reads instead of the whole batch; empty: batch_relation.
	std::string batch_relation;
};

// (SELECT <canonical fields>, __key jsonb, __k0.. (key columns), __unit text, __load bigint FROM from t):
// the canonical shape over the watched table (from = its name) or over the batch (from = batch_relation).
// An unmapped field is NULL of its canonical type; a mapped column of another type is cast to it; the
// watch's aliases, constant or default of a field apply on top (mapped_field_sql), and the column itself is
// __src_FIELD for a value-mapped field (source_comparisons); __unit is the unit field as mapped; __load is the
// row's load (NULL when the table has no provenance column).
// with_pair: the relation has the column __pair too (a split batch's paired rows), kept in the view.
std::string relation_view(const TableShape &shape, const std::string &from, bool with_pair = false);

// The values a CHECK constraint (its pg_get_constraintdef text) lets the column quoted_column hold, when it is
// exactly "column IN (literals)" (as PostgreSQL prints it: col = ANY (ARRAY['a'::text, …]), also over a cast);
// nullopt for any other constraint.
std::optional<std::vector<std::string>> column_check_values(const std::string &constraint_def,
                                                            const std::string &quoted_column);

// sql with each comparison "x.field = 'literal'" of a value-mapped field, x a row of {batch}, {hist} or
// {hist_all}, rewritten onto the field's own column (the __src_field of relation_view): the source values
// that map to the literal, the literal itself when the column may hold it unmapped, NULL when the default is
// the literal — the same truth as the CASE, but a DBA's index on the column (WHERE zffs = '现金') can serve
// it, as a partial index on the canonical table serves payment_method = 'cash'.
std::string source_comparisons(const std::string &sql, const TableShape &shape);

// The rule's SQL (rule_sql) with {batch}, {hist}, {table} and {other_row:h:b} bound to shape, and data
// coverage applied: the written rows scope leaves out are not in {batch}; for sweeps and kinds that judge
// history, stored rows of loads that did not provide a required input are not in {hist}; a required link
// table without rows, such loads (sweeps) and, for sweeps, records in another currency than the
// thresholds' come out as cannot-evaluate rows (below).
//
// A rule's SQL reports what it cannot judge as rows with a NULL message and details
// {"cannot_evaluate": reason, "missing": [...], "load_id": n|null, "records": n} (one per load and
// reason), which the recording statement hands to oversight.record_coverage instead of record_hits.
std::string instantiate(const CompiledRule &rule, const TableShape &shape, const RuleScope &scope = {});

// Literal SQL of "the load that wrote a row of this kind did not provide a required input of the rule"
// over a row of oversight.load aliased l (fields_provided NULL: unknown, treated as provided).
std::string load_lacks_inputs(const CompiledRule &rule, const std::string &l);

// One statement recording the findings of a batch through oversight.record_hits: the row pass's hits
// (parallel arrays $1..$8, when with_row_hits, their messages rendered in C++) and those of each
// set-based rule (their messages rendered from their details by oversight.finding_messages()), and what
// the rules could not judge through oversight.record_coverage. Returns the message of the first blocking
// alert (one row, blocking_message, NULL when nothing blocks). scopes: per rule (parallel to rules), or
// empty.
std::string recording_query(const std::vector<const CompiledRule *> &rules, const TableShape &shape, const char *path,
                            bool with_row_hits, const std::vector<RuleScope> &scopes = {});

// The alert key of a row as jsonb_build_object('col', value, …) prints it: how a key column's text
// (its type's output) is written in JSON.
enum class KeyValue { Number, Bool, Text };
struct KeyPart {
	const std::string *name = nullptr; // the key column's name
	KeyValue kind = KeyValue::Text;
	bool null = true;
	std::string text; // the column's output text when not null
};
std::string key_json(const std::vector<KeyPart> &parts);

} // namespace oversight::core
