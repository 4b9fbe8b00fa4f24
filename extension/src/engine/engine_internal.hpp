// Internal to the rule engine (src/engine): what its files share.
//   spi.cpp             SPI queries and the backend's cache of saved plans
//   subtransaction.cpp  running a piece of work in an internal subtransaction (fault isolation)
//   config.cpp          loading a watch and its approved rules; the calendar; per-statement caching
//   convert.cpp         tuple -> core::Record conversion, alert keys and units of rows
//   recorder.cpp        recording findings (oversight.record_hits), what rules could not judge
//                       (oversight.record_coverage) and faults (oversight.record_fault)
//   evaluate.cpp        one batch: the C++ row pass, then the set-based rules, as the schema owner
//   lookups.cpp         a small batch's index look-ups, which may spare a rule its SQL
//   triggers.cpp        the SQL-callable entry points (trigger, sweep)
//   at_commit.cpp       rules evaluated at the end of the writing transaction (queue, deferred trigger)
//   row_buffer.cpp      row-level watches: rows buffered by the row trigger, judged by the statement trigger
//   recheck.cpp         running the rules again on the rows behind an alert
// The SQL they run is assembled by the pure core (oversight/core/batch_sql.hpp); PostgreSQL calls go
// through the named wrappers of oversight/pg/pg.hpp.
#pragma once

#include "oversight/pg/pg.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "oversight/core/batch_sql.hpp"
#include "oversight/core/rules.hpp"

namespace oversight::engine {

// --- SPI (spi.cpp) ------------------------------------------------------------------------------
// Rows of a result, copied into C++ strings.
struct SpiResult {
	std::vector<std::vector<std::string>> rows;
	std::vector<std::vector<bool>> nulls;
};

// Runs sql (after require_qualified) without saving a plan.
SpiResult spi_query(const std::string &sql, int nargs = 0, Oid *types = nullptr, Datum *values = nullptr,
                    const char *nulls = nullptr, bool read_only = false);
// Runs sql through a plan saved for the backend under its own text.
SpiResult spi_query_cached(const std::string &sql, int nargs = 0, Oid *types = nullptr, Datum *values = nullptr,
                           const char *nulls = nullptr, bool read_only = false);
// Runs the plan saved under key, building its SQL (build) only when there is no plan yet or the table
// rel has outgrown the plan (doubled since it was made).
SpiResult spi_query_keyed(const std::string &key, Relation rel, const std::function<std::string()> &build,
                          int nargs = 0, Oid *types = nullptr, Datum *values = nullptr, const char *nulls = nullptr);

// --- subtransactions (subtransaction.cpp) -------------------------------------------------------
// The error of a failed evaluation, copied into C++ strings.
struct Fault {
	std::string sqlstate = "XX000";
	std::string message;
	std::string detail;
};

// Runs fn in an internal subtransaction; on a PostgreSQL error or C++ exception the subtransaction is
// rolled back and the error returned in fault (false). The pattern is PL/pgSQL's exec_stmt_block.
bool in_subtransaction(const std::function<void()> &fn, Fault &fault);

// A C++ exception as a fault: its message, and its SQLSTATE when it is a core::Error.
Fault fault_of(const std::exception &e);

// --- configuration (config.cpp) -----------------------------------------------------------------
struct FieldBinding {
	int field = -1;        // index into core::record_fields(kind)
	AttrNumber attnum = 0; // column in the watched table
	Oid base_type = InvalidOid;
	std::string column;
};

struct WatchConfig {
	Oid relid = InvalidOid;
	core::TableShape shape;           // kind, table name, mapped fields and key (what the SQL needs)
	std::vector<FieldBinding> fields; // mapped fields only, parallel to shape.fields
	std::string timezone;
	std::string base_currency; // setting base_currency: the currency of a record that gives none
	Oid schema_owner = InvalidOid;
	AttrNumber provenance_attnum = 0; // load_id of a canonical table (oversight-load fills it); 0: none
	std::vector<core::CompiledRule> rules;
	// Per rule (parallel to rules): its required inputs the watch does not map. A rule with any is blind
	// on this table: it is not evaluated, and every evaluation records "cannot evaluate" (not_mapped).
	std::vector<std::vector<std::string>> unmapped;
	std::string signature; // table, mapping and key: part of the key of per-row saved plans
	// Rule versions that failed to compile, recorded as faults by each evaluation.
	std::vector<Fault> compile_faults;
	std::vector<int64_t> compile_fault_versions;

	core::RecordKind kind() const { return shape.kind; }
	const std::string &table_name() const { return shape.table_name; }
};

// What load_config found: a table not watched (or whose watch is disabled) is left alone; a broken
// watch (a mapped column dropped behind the extension's back) is disabled with a recorded fault.
enum class WatchState { NotWatched, Watched, Broken };

// Loads the watch row and the approved rules of its record kind (as the schema owner). Columns are
// found by attribute number, so a renamed column keeps its mapping; broken_reason says what is missing
// when Broken.
WatchState load_config(Oid relid, TupleDesc tupdesc, WatchConfig &cfg, std::string &broken_reason);
// Disables a watch whose mapping no longer fits its table, recording why (engine fault and audit).
void disable_watch(Oid relid, const std::string &reason);
// The watch of relid for the triggers: read once, then kept by the backend until a table it was read from
// changes (config.cpp says how that is known); broken watches are disabled. cfg is shared with the cache (held
// by the caller for its batch, so a change arriving meanwhile never frees it).
WatchState watch_config(Oid relid, TupleDesc tupdesc, std::shared_ptr<const WatchConfig> &cfg);
// How many times this backend read a watch's configuration (oversight.engine_session_stats()).
int64_t config_load_count();

// The working-day calendar, read from oversight.calendar_day / calendar_year, kept like the watches.
const core::Calendar &load_calendar();

// --- data coverage (coverage.cpp) ---------------------------------------------------------------
// What rules could not judge in one evaluation, counted per rule version, load, reason and missing
// inputs (one oversight.coverage_gap row each, never one per record).
class Gaps {
public:
	void add(int64_t version_id, bool has_load, int64_t load_id, const char *reason,
	         const std::vector<std::string> &missing, int64_t records = 1);
	bool empty() const { return counts_.empty(); }
	// The gaps as the JSON oversight.record_coverage reads.
	std::string json(const std::string &table) const;

private:
	using Key = std::tuple<int64_t, bool, int64_t, std::string, std::vector<std::string>>;
	std::map<Key, int64_t> counts_;
};
// Records gaps (oversight.record_coverage, which announces them on channel oversight_coverage).
void record_coverage(const Gaps &gaps, const std::string &table, const char *path);
// A sweep rule blind on its table (a required input not mapped): every record counted as cannot-evaluate.
void record_sweep_blind(const WatchConfig &cfg, const core::CompiledRule &rule,
                        const std::vector<std::string> &unmapped);

// Per load written in a batch: the required inputs of each rule it did not provide
// (oversight.load.fields_provided; NULL there: unknown, taken as provided). Read once per load and batch.
struct LoadCoverage {
	bool any = false;                              // some rule misses an input
	std::vector<std::vector<std::string>> missing; // per rule of the batch (parallel to the rules asked for)
};
LoadCoverage load_coverage(int64_t load_id, core::RecordKind kind,
                           const std::vector<const core::CompiledRule *> &rules);

// --- conversion (convert.cpp) -------------------------------------------------------------------
// Converts the fields row rules and pre-filters read from each tuple, and gives the key and unit of a
// row. Holds a scratch memory context: strings are produced there, copied, then freed.
class Converter {
public:
	Converter(const WatchConfig &cfg, const std::vector<int> &fields, TupleDesc tupdesc);
	void convert(TupleTableSlot *slot, core::Record &record);
	// The load that wrote the row last converted (the provenance column), when the table has one and it is set.
	bool load_id(int64_t &id) const {
		id = load_id_;
		return !load_null_;
	}
	std::string key_json(TupleTableSlot *slot);  // the row's alert key (core::key_json)
	std::string unit_text(TupleTableSlot *slot); // the row's unit, empty when none

private:
	struct Column {
		std::string name;
		AttrNumber attnum = 0;
		Oid type = InvalidOid;
		FmgrInfo out;
	};
	struct Raw;
	struct MappedField;
	static MappedField mapped_field(const core::FieldValues &values, int field, core::FieldType type);
	void resolve(Column &c, TupleDesc tupdesc);
	bool column_text(TupleTableSlot *slot, const Column &c, std::string &out);
	int32_t local_date(TimestampTz ts);
	void fetch(TupleTableSlot *slot, Raw *raw);

	const WatchConfig &cfg_;
	std::vector<const FieldBinding *> needed_; // bindings to convert
	std::vector<core::FieldType> field_types_;
	std::vector<bool> use_out_func_;
	std::vector<FmgrInfo> out_funcs_;
	pg_tz *tz_ = nullptr;
	MemoryContext scratch_ = nullptr;
	TimestampTz last_ts_ = 0; // the last local date (a load often repeats approval times)
	int32_t last_date_ = 0;
	bool have_last_ = false;
	std::vector<Column> key_columns_;
	std::vector<core::KeyPart> key_parts_;
	Column unit_column_;
	bool has_unit_ = false;
	// The watch's value mapping (core/watch_mapping.hpp), resolved once per batch. A field read from a
	// column: its aliases and its default for NULL, applied after conversion; a field without a column: its
	// constant (or default), the same value every row.
	struct MappedField {
		size_t field;
		std::unordered_map<std::string, std::string> aliases;
		bool has_default = false;
		core::Value default_value;
	};
	std::vector<MappedField> mapped_;
	std::vector<std::pair<size_t, core::Value>> constants_;
	std::optional<MappedField> unit_mapping_;  // the unit column's aliases and default, when it has any
	std::optional<std::string> unit_constant_; // the unit of every row, when the unit field has no column
	bool load_null_ = true;
	int64_t load_id_ = 0;
};

// --- a small batch's look-ups (lookups.cpp) ------------------------------------------------------
// The look-ups (core::LookupSpec) of a small batch's set-based rules: set up before the row pass (only those the
// engine can do exactly: an index on a text column mapped as it is), told each written row a rule's pre-filter
// passes, then asked whether no written row can meet any row the rule's SQL would join it with. PostgreSQL
// errors end the row pass's subtransaction, whose abort releases what was opened; close() otherwise.
class BatchLookups {
public:
	BatchLookups(const WatchConfig &cfg, Relation rel, const std::vector<const core::CompiledRule *> &rules);
	bool active() const { return !lookups_.empty(); }
	bool has(size_t rule) const { return of_rule_[rule] >= 0; }
	// The fields the look-ups read: converted by the row pass's converter, for written and stored rows alike.
	void add_fields(std::vector<int> &fields) const;
	// The written row in slot (converted in record) may take part in a finding of rule i (its pre-filter passed).
	void row(size_t i, TupleTableSlot *slot, const core::Record &record, Converter &conv);
	// After the row pass: true when no written row can meet a row rule i's SQL would join it with.
	bool meets_nothing(size_t i, Converter &conv);
	int64_t lookups_made() const { return lookups_made_; }
	void close();

private:
	struct Written {
		Datum value = 0;       // the looked-up column's value
		core::PairProbe probe; // pair rules
		std::string key;       // pair rules: the row's alert key (a stored row with it is the row itself)
	};
	struct RuleLookup {
		const core::CompiledRule *rule = nullptr;
		int field = -1;
		AttrNumber written_column = 0;
		Relation table = nullptr; // the watched table, or the link table
		bool link = false;
		pg::EqualityIndex index;
		TupleTableSlot *slot = nullptr; // for table's rows
		std::vector<Written> written;
	};
	const WatchConfig &cfg_;
	std::vector<int> of_rule_; // per rule of the batch: its look-up, or -1
	std::vector<RuleLookup> lookups_;
	std::vector<Relation> opened_; // link tables
	int64_t lookups_made_ = 0;
};

// A larger batch's link sets (lookups.cpp): for each rule that looks its written rows up in a link table
// (core::LookupSpec with a table, e.g. PAY.STAFF_PAYEE in oversight.person_account), that table's values read
// once, when it holds no more rows than the batch: a written row whose value is in no row of it is not a
// candidate of the rule, since the rule's SQL could not join it. Exact where the look-ups are (a text column
// mapped as it is, byte-comparing collations, SELECT on the link table); an empty link table is not a set
// (the SQL counts what it cannot judge), and a larger one reads nothing.
class LinkSets {
public:
	LinkSets(const WatchConfig &cfg, Relation rel, const std::vector<const core::CompiledRule *> &rules, int64_t batch_rows);
	bool active() const { return !sets_.empty(); }
	bool has(size_t rule) const { return of_rule_[rule] >= 0; }
	void add_fields(std::vector<int> &fields) const;
	// False when the written row (converted in record) has no value of rule i's field in its link table.
	bool may_meet(size_t rule, const core::Record &record) const;
	int64_t rows_read() const { return rows_read_; }

private:
	struct Set {
		int field = -1;
		std::unordered_set<std::string> values;
	};
	std::vector<int> of_rule_; // per rule of the batch: its set, or -1
	std::vector<Set> sets_;
	int64_t rows_read_ = 0;
};

// --- recording (recorder.cpp) -------------------------------------------------------------------
struct RowHit {
	int64_t version_id;
	std::string key;
	std::string unit;
	core::Hit hit;
};

// The row pass's findings as the eight parallel arrays of oversight.record_hits (rule version, table,
// key, period, unit, message in English and in Chinese, details; key and details as jsonb text), built
// directly as datums: no JSON document to write and parse again.
struct HitArrays {
	Datum values[8] = {};
	char nulls[9] = "nnnnnnnn";
};
HitArrays hit_arrays(const std::vector<RowHit> &hits, const std::string &table);

// Records the findings of a batch in one statement: the row hits (when with_row_hits) and those of
// rules; returns the blocking message (empty when nothing blocks). small_batch: through a saved plan.
// scopes: per rule, what the batch leaves out of its judgement (a batch with any is planned afresh).
std::string record_findings(const WatchConfig &cfg, Relation rel, const std::vector<const core::CompiledRule *> &rules,
                            const char *path, bool with_row_hits, HitArrays &row_hits, bool small_batch,
                            const std::vector<core::RuleScope> &scopes);
// Records the findings of one sweep rule as of $1 (as_of).
void record_sweep(const WatchConfig &cfg, const core::CompiledRule &rule, TimestampTz as_of);
// Records an engine fault (version_id 0: none; object_key: the row's key, or none).
void record_fault(int64_t version_id, const std::string &table, const std::string *object_key, const Fault &f,
                  const char *path, int64_t batch_rows);
// Records the faults of the rule versions that did not compile.
void record_compile_faults(const WatchConfig &cfg, const char *path, int64_t batch_rows);

// --- evaluation (evaluate.cpp) ------------------------------------------------------------------
// Evaluates every approved rule of the watched table over the rows in store, as the schema owner;
// returns the message of the first blocking alert (empty when nothing blocks).
std::string evaluate_batch(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path);

// This session's batches (oversight.engine_session_stats()): how many were judged, how many were split (their
// duplicate rules' written rows paired in C++, RuleKindSpec::pairs), how many written rows those found
// pairable, and how many rule evaluations read only their candidate rows (RuleScope::batch_relation).
struct BatchStats {
	int64_t batches = 0, split_batches = 0, paired_rows = 0, candidate_reads = 0;
	// Small batches: index look-ups made (BatchLookups), and rule evaluations they made unnecessary. Larger
	// ones: link-table rows read into link sets (LinkSets).
	int64_t lookups = 0, rules_looked_past = 0, link_rows_read = 0;
};
const BatchStats &batch_stats();

// Records findings with one statement for every rule (and the row pass's findings when row_hits), in a
// subtransaction; only if it fails, the row findings alone and then each rule alone, each in its own, so
// the faulty rule is the one recorded as a fault and the others' findings are kept. record(rules, scopes,
// with_row_hits) runs one recording statement and returns its blocking message. Returns the first one.
using RecordFindings = std::function<std::string(const std::vector<const core::CompiledRule *> &,
                                                 const std::vector<core::RuleScope> &, bool)>;
std::string record_isolating_faults(const RecordFindings &record, const std::vector<const core::CompiledRule *> &rules,
                                    const std::vector<core::RuleScope> &scopes, bool row_hits, const std::string &table,
                                    const char *path, int64_t rows);

// --- evaluation at commit (at_commit.cpp) -------------------------------------------------------
// Queues groups (values of the at-commit rules' group field, e.g. ocids) of the watched table for
// evaluation when the transaction commits (oversight.pending_evaluation); as the schema owner.
void queue_at_commit(const WatchConfig &cfg, const std::set<std::string> &groups);

// --- row-level watches (row_buffer.cpp) ----------------------------------------------------------
// Registers the (sub)transaction callbacks that forget buffers of aborted work (module load).
void register_row_buffers();
// True when rel has the companion statement trigger of a row-level watch (the engine's function, AFTER
// INSERT or UPDATE FOR EACH STATEMENT, without a transition table) for the event.
bool has_companion_statement_trigger(Relation rel, Oid function, bool for_update);
// Copies a written row into the buffer of its table (the current statement's rows).
void buffer_row(Oid relid, HeapTuple tuple);
// The buffered rows of the table, handed over to the caller (freed with the transaction); nullptr: none.
Tuplestorestate *take_buffered_rows(Oid relid);

// The error a blocking finding (preventive hold) raises in the writer's transaction (OV100).
core::Error blocking_error(const std::string &message);

} // namespace oversight::engine
