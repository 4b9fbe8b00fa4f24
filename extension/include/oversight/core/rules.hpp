// The rule core: the rule-kind registry (each kind's parameter specifications, row check, pre-filter and
// set-based SQL: one unit per kind, in src/core/rules/<area>.cpp), parameter validation (run when a rule
// version is saved, never at evaluation time), compiled rules, and the values rules read (Decimal,
// JSON, dates, the working-day calendar). Record kinds and their fields: record_kinds.hpp.
// Pure C++: no PostgreSQL headers; the engine (src/engine) feeds it records and runs its SQL.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "oversight/core/messages.hpp"
#include "oversight/core/record_kinds.hpp"

namespace oversight::core {

// Exact fixed-point decimal (6 fractional digits): money and percentages without binary rounding.
struct Decimal {
	static constexpr int64_t scale = 1000000;
	__int128 units = 0;

	// Parses "-123.45", "2000000", "1e6"; throws core::Error 22P02 on anything else.
	static Decimal parse(const std::string &text);
	static Decimal from_int(int64_t v) { return Decimal{static_cast<__int128>(v) * scale}; }
	std::string str() const; // shortest exact form: 2000000, 0.1, -3.25
	bool is_multiple_of(const Decimal &m) const { return m.units != 0 && units % m.units == 0; }
	friend bool operator<(const Decimal &a, const Decimal &b) { return a.units < b.units; }
	friend bool operator>(const Decimal &a, const Decimal &b) { return a.units > b.units; }
	friend bool operator<=(const Decimal &a, const Decimal &b) { return a.units <= b.units; }
	friend bool operator>=(const Decimal &a, const Decimal &b) { return a.units >= b.units; }
	friend bool operator==(const Decimal &a, const Decimal &b) { return a.units == b.units; }
};

// JSON of the core (rule parameters, column mappings, alert details): nlohmann::json from Debian's
// nlohmann-json3-dev. Objects keep their members in key order. nlohmann throws C++ exceptions: fine in
// this zone; the engine and the SQL functions call the core through the guard (cpp_entry).
using Json = nlohmann::json;

// Parses a complete JSON text. Throws core::Error 22P02 on malformed input, and on a number a double
// cannot hold exactly (its shortest round-trip form would differ from the text, e.g. more than 15
// significant digits), so a decimal threshold is never rounded silently.
Json parse_json(const std::string &text);
// Exact decimal value of a JSON number (an integer, or a double re-serialised in its shortest
// round-trip form, which is the text it was parsed from) or of a numeric string; throws 22P02.
Decimal json_decimal(const Json &v);
// A JSON number holding d exactly: an integer when d is whole, else the double whose shortest form is
// d; throws core::Error 22003 when no double holds d exactly.
Json decimal_json(const Decimal &d);
// s as a JSON string literal, quotes included.
std::string json_quote(const std::string &s);

// One field value of a record, already converted by the engine from the PostgreSQL datum.
struct Value {
	bool null = true;
	std::string text;    // Text
	Decimal dec;         // Decimal
	int64_t integer = 0; // Integer, Bool (0/1)
	int32_t date = 0;    // Date: days since 2000-01-01; Timestamp: local date in the bureau's time zone
	int64_t micros = 0;  // Timestamp: microseconds since 2000-01-01 00:00 UTC
};

struct Record {
	std::vector<Value> fields; // indexed like record_fields(kind)
	const Value &operator[](int i) const { return fields[static_cast<size_t>(i)]; }
};

// Days since 2000-01-01 (PostgreSQL's date epoch) <-> civil dates, and the ISO day of week (1 = Monday).
int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t days, int &y, int &m, int &d);
int iso_dow(int32_t days);
std::string date_text(int32_t days);

// Working-day calendar as loaded from oversight.calendar_day / calendar_year.
//
// The rule of a working day (Monday to Friday, except the loaded holidays; plus the moved working
// weekends) is decided in SQL by oversight.is_working_day() and its siblings, and here, once, for C++:
// the row rules run in memory on the write path, where a call into SQL per row (or per statement, for
// a date the statement has not seen yet) would cost more than the rule itself. The engine reads the
// non-working days from the SQL calendar tables once per statement (engine/config.cpp); pgTAP 211
// proves that both sides agree day by day.
struct Calendar {
	std::unordered_set<int32_t> holidays;
	std::unordered_set<int32_t> adjusted_workdays;
	std::unordered_set<int> loaded_years;
	// Weekend/holiday status of a day; known is false when the day's year has no loaded calendar
	// (then only the weekend is known and holidays cannot be).
	bool is_working_day(int32_t day, bool &known) const;
	// Once the sets are filled (and again after they change): one status per day from the first to the last
	// loaded year, so that a row rule's question is one array read instead of a date conversion and three
	// hash look-ups (the engine asks for every written row).
	void index();

private:
	enum DayStatus : uint8_t { not_loaded, working, not_working };
	std::vector<uint8_t> status_; // indexed by day - first_day_
	int32_t first_day_ = 0;
	bool status_unindexed(int32_t day, bool &known) const;
};

enum class ParamType { Decimal, Integer, Text, TextList, Bool, Choice, Object };
struct ParamSpec {
	const char *name;
	ParamType type;
	std::string default_json; // JSON text of the default; empty: the parameter is required (unless nullable)
	const char *description;
	const char *min = nullptr; // inclusive lower bound for Decimal/Integer
	const char *max = nullptr; // inclusive upper bound
	std::vector<std::string> choices = {};
	bool nullable = false; // may be absent or null (then null), when it has no default
};

enum class Evaluation { Row, Batch, Sweep };

// The currency a rule kind's amount thresholds are in: none (no amount threshold), its parameter
// "currency", or the bureau's base currency (setting base_currency). A record in another currency is not
// judged by such a rule: it is counted as "cannot evaluate" (oversight.rule_coverage).
enum class ThresholdCurrency { None, Param, Base };

struct CompiledRule;
struct Hit;

// What a kind prepares once per compiled rule from its parameters (e.g. a parsed condition): kept in
// CompiledRule::state, read by the kind's operations.
struct KindState {
	virtual ~KindState() = default;
};

// Kinds that pair a written row with another row of its table (duplicate payments): how the engine finds,
// in C++ and without SQL, the written rows that may pair with another written row, so that a large batch is
// never joined with itself (batch_pairs.cpp; the SQL then joins the batch with these rows and with the rows
// stored before the statement: RuleScope::split). A necessary condition, never the decision: every pair of
// written rows the kind's SQL would find has both its rows marked (a false positive only costs a join), and
// the SQL judges every pair. Two rows may pair when their probes have the same group (a hash of the values
// both must share: hash collisions only add rows), dates at most window_days apart and, when amounts_close is
// set, amounts it accepts.
struct PairProbe {
	Decimal amount; // first: with the 16-byte decimal aligned, the probe is 32 bytes, not 48 (sorted per batch)
	uint64_t group = 0;
	int32_t date = 0; // days since 2000-01-01
	uint32_t row = 0; // the row's position in the batch
};
static_assert(sizeof(PairProbe) == 32, "a pair probe packs into 32 bytes");
struct PairSpec {
	std::vector<const char *> fields; // the canonical fields probe reads
	// The probe's date is date_field's value when set, else date_fallback_field's (then a fixed fallback): a small
	// batch's look-up reads only the stored rows whose date is in the window or missing, through an index whose
	// second key is date_field or coalesce(date_field, date_fallback_field) (LookupSpec).
	const char *date_field = nullptr;
	const char *date_fallback_field = nullptr;
	// False when the record can be in no pair; else fills the probe (all but row).
	bool (*probe)(const CompiledRule &, const Record &, PairProbe &) = nullptr;
	int32_t (*window_days)(const CompiledRule &) = nullptr;
	bool (*amounts_close)(const CompiledRule &, const Decimal &, const Decimal &) = nullptr;
};

// True when rows with probes a and b may pair (same group, dates at most the window apart, amounts the kind
// accepts): the link of pair_clusters, and what a small batch's look-up asks of a stored row (LookupSpec).
bool may_pair(const CompiledRule &rule, const PairProbe &a, const PairProbe &b);

// Small batches (a clerk's single-row write): a look-up through an index, without SQL, that tells whether a
// written row can take part in a finding of the kind at all. When no written row can, the kind's SQL does
// not run for the batch: like the pre-filter, a necessary condition, never the decision (a row found only
// keeps the SQL, which judges it). The written row's field value is looked up in a text column by equality:
//   - table nullptr: in the watched table itself, by the field's own column; a stored row found must also
//     pass the kind's PairSpec with the written row (may_pair), and the written rows are paired among
//     themselves with pair_clusters (they may not be visible yet);
//   - else in that link table (schema-qualified), by its column; an empty link table keeps the SQL (which
//     then counts what it cannot judge, gap_reason::no_link_rows).
// The engine does it only where it is exact (engine/lookups.cpp): an index whose first key is the column,
// a text column mapped as it is (no value mapping), deterministic collations; otherwise the SQL runs.
struct LookupSpec {
	const char *field;
	const char *table = nullptr;
	const char *column = nullptr;
};

// The pair clusters of a batch's rows (indexed by PairProbe::row, rows in all): rows linked by possible pairs,
// directly or through other rows, share a cluster, numbered by the least row among them; -1: a row with no
// possible partner. Probes are sorted by group and date, one pass over each group's date window (reordered).
// The SQL then pairs rows of one cluster only, so a group's rows are never all paired with one another.
std::vector<int64_t> pair_clusters(const CompiledRule &rule, std::vector<PairProbe> &probes, size_t rows);

// A group hash of a pair probe over the values (a NULL is distinct from every text), mixed eight bytes at a
// time (every row of a large batch is hashed once per pair rule; byte-wise FNV-1a was 1 % of a 200k-row load).
// Only ever compared within one batch: a collision only adds candidate rows, which the SQL then judges.
class PairGroup {
public:
	PairGroup &add(const Value &text_value);
	PairGroup &add(const Decimal &d);
	uint64_t hash() const { return h_; }

private:
	void word(uint64_t w);
	void bytes(const void *p, size_t n);
	uint64_t h_ = 1469598103934665603ULL;
};

// A rule kind: its catalogue entry and its operations, resolved once when a rule version is compiled
// (CompiledRule::spec); nothing on the evaluation path looks a kind up by name. Each kind is defined in
// one place, grouped by area in src/core/rules/ (payment, procurement, fund, enforcement, sod, matter, and the
// engine's test kind), and registered in its area's list (*_kinds(), which src/core/rules/registry.cpp
// assembles). Adding a kind: rules/kinds.hpp says how.
struct RuleKindSpec {
	const char *kind;
	std::vector<RecordKind> record_kinds;
	Evaluation evaluation;
	std::vector<ParamSpec> params;
	const char *description;

	// Title and message templates in Chinese and English (oversight/core/messages.hpp): a finding carries
	// its values (Hit::details, or the details column of the set-based SQL), never a sentence; its
	// messages are these templates filled with them. A kind whose findings take several shapes has one
	// template per shape, chosen by the details' "finding".
	const char *title_zh = nullptr;
	const char *title_en = nullptr;
	std::vector<MessageTemplate> messages = {};

	// Row kinds: the canonical fields the check reads (the engine converts only these from each tuple),
	// and the check: true, with hit filled, when the record violates the rule. May throw.
	std::vector<const char *> row_fields = {};
	bool (*check_row)(const CompiledRule &, const Record &, const Calendar &, Hit &) = nullptr;
	bool needs_calendar = false;

	// Batch kinds: pre-filter evaluated in C++ on each written row (false when the row cannot take part
	// in a finding, so a batch without any candidate skips the query), and the fields it reads. No
	// pre-filter: every row is a candidate.
	std::vector<const char *> prefilter_fields = {};
	bool (*may_fire)(const CompiledRule &, const Record &) = nullptr;

	// Batch and sweep kinds: the set-based SQL template (see rule_sql for its placeholders).
	std::string (*sql)(const CompiledRule &) = nullptr;

	// When the parameters decide how a rule of this kind is evaluated (the test kind); else evaluation.
	Evaluation (*evaluation_of)(const CompiledRule &) = nullptr;

	// Data-driven kinds (rules/matter.cpp): checks of the parameters against the record kind, run when
	// a version is saved after the generic ones (throws core::Error 22023 naming the parameter); what
	// is prepared once per compiled rule (CompiledRule::state); and the fields a row check reads when
	// the parameters decide them (instead of row_fields).
	void (*validate)(const Json &params, RecordKind record_kind) = nullptr;
	std::shared_ptr<const KindState> (*prepare)(const CompiledRule &) = nullptr;
	std::vector<std::string> (*fields_of)(const CompiledRule &) = nullptr;

	// True for kinds whose findings form matters (oversight.matter, with their obligations) instead of
	// alerts: oversight.record_hits hands them to oversight.record_matters.
	bool forms_matters = false;

	// Data coverage (issue 11: rules never judge data the source did not provide). The canonical fields
	// without which the kind cannot judge a record (an entry "a|b" is satisfied by either field): a rule
	// whose required input is not mapped by a watch, or not provided by the load that wrote a record
	// (oversight.load.fields_provided), records "cannot evaluate" instead of firing or staying silent.
	// Optional inputs are read when present (an absent one has a documented meaning: no currency is the
	// base currency, no payment_kind a payment, no status paid…). The link tables the kind reads besides
	// the record (schema-qualified): without any row of a required one it cannot judge; optional ones
	// refine a finding when present.
	std::vector<const char *> required_inputs = {};
	std::vector<const char *> optional_inputs = {};
	// Data-driven kinds: the required inputs of a rule, decided by its parameters (a matter rule: the fields
	// without which its condition can never hold), instead of required_inputs.
	std::vector<std::string> (*required_inputs_of)(const CompiledRule &) = nullptr;
	std::vector<const char *> required_links = {};
	std::vector<const char *> optional_links = {};
	ThresholdCurrency thresholds = ThresholdCurrency::None;
	// The records the kind would judge, as an SQL predicate over a row x of the canonical view (placeholders
	// as in its SQL): what its cannot-evaluate counts count besides the required inputs (e.g. only large
	// approved payments need sign-offs). nullptr: every record with the required inputs.
	const char *candidates = nullptr;
	// Refunds and credit notes (payment_kind) are not judged: money coming back is not a payment.
	bool payments_only = false;
	// Stored records other than the written ones are members of a finding (sums, groups), so stored records
	// of a load that did not provide a required input are left out of them too.
	bool judges_history = false;
	// Kinds whose findings depend on rows written after the record, in other tables (a bid's tenderers
	// arrive after the bid): evaluated once at the end of the writing transaction, over every record
	// sharing this field's value with a written one (the process: "ocid"), so they judge complete facts
	// whichever table's rows came first (src/engine/at_commit.cpp). nullptr: evaluated with the batch.
	const char *at_commit_group = nullptr;
	// Kinds that pair written rows with other rows of their table: their in-batch pre-pairing (PairSpec).
	std::optional<PairSpec> pairs = std::nullopt;
	// Small batches: the look-up that may tell no written row can take part in a finding (LookupSpec).
	std::optional<LookupSpec> lookup = std::nullopt;
};

// Every kind, in catalogue order (registry.cpp).
const std::vector<RuleKindSpec> &rule_kinds();
// Lookup by name: when a rule version is saved or compiled, never per row or batch.
const RuleKindSpec *find_rule_kind(const std::string &kind);

// Validates params against the kind's specification for a record kind (which the kind must apply to)
// and returns them with defaults filled in. Throws core::Error 22023 naming the parameter (unknown kind,
// or a record kind the kind does not apply to: 22023 too). Without a record kind: the kind's first.
Json validate_params(const std::string &kind, const Json &params);
Json validate_params(const std::string &kind, RecordKind record_kind, const Json &params);

// An approved rule version ready to evaluate (parameters already validated when it was saved).
struct CompiledRule {
	int64_t version_id = 0;
	std::string rule_code;
	const RuleKindSpec *spec = nullptr;
	RecordKind record_kind = RecordKind::Payment;
	Json params;
	bool blocking = false;
	std::string kind;                                      // spec->kind, once (messages)
	std::vector<std::pair<std::string, Decimal>> decimals; // Decimal and Integer parameters, parsed once
	Evaluation resolved_evaluation = Evaluation::Row;      // spec->evaluation or spec->evaluation_of(*this)
	std::shared_ptr<const KindState> state;                // spec->prepare(*this), when the kind has one

	static CompiledRule compile(int64_t version_id, const std::string &rule_code, const std::string &kind,
	                            const std::string &record_kind, const std::string &params_json, bool blocking);
	Evaluation evaluation() const;
	Decimal dec(const char *name) const;
	int64_t integer(const char *name) const;
	std::string text(const char *name) const;
	std::vector<std::string> list(const char *name) const;
	bool flag(const char *name) const;
};

struct Hit {
	std::string message;    // English, rendered from details by evaluate_row
	std::string message_zh; // Chinese, likewise
	std::string details;    // JSON object text: the finding's values
	std::string period;
};

// Row-local rules (Evaluation::Row): true and fills hit when the record violates the rule: the kind's
// check fills details (and period), then both messages are rendered from them with the kind's templates.
// May throw (the engine records the exception as an engine fault and keeps the row).
bool evaluate_row(const CompiledRule &rule, const Record &record, const Calendar &calendar, Hit &hit);
bool needs_calendar(const CompiledRule &rule);

// Pre-filter of set-based rules, evaluated in C++ on each written row: false when the row cannot take
// part in a finding of the rule (e.g. a transfer for the cash rules, no contract for the contract
// rules), so a batch without any candidate row skips the rule's query altogether.
std::vector<std::string> prefilter_fields(const CompiledRule &rule);
bool may_fire(const CompiledRule &rule, const Record &record);
// Canonical fields a row-local rule reads (the engine converts only these from each tuple).
std::vector<std::string> row_rule_fields(const CompiledRule &rule);
// A record the rule does not judge by its kind: a refund or credit note, for kinds that judge payments
// only (evaluate_row and may_fire say no to it; payment_kind is among the fields they read).
bool skips_record(const CompiledRule &rule, const Record &record);

// Data coverage. The rule's required inputs (entries "a|b"): its kind's, or for data-driven kinds those
// its parameters decide (RuleKindSpec::required_inputs_of).
std::vector<std::string> required_inputs(const CompiledRule &rule);
// The required inputs of the rule that has() satisfies with none of their fields, in declaration order;
// empty when the rule can judge.
std::vector<std::string> missing_inputs(const CompiledRule &rule, const std::function<bool(const std::string &)> &has);
// The fields of a required input entry: "paid_on|requested_on" → {paid_on, requested_on} (either will do).
std::vector<std::string> input_alternatives(const std::string &entry);
// The currency of the rule's amount thresholds ("" when it has none): its parameter "currency", or the
// base currency.
std::string threshold_currency(const CompiledRule &rule, const std::string &base_currency);
// Why the rule does not judge a record: the reasons recorded in oversight.coverage_gap.
namespace gap_reason {
inline constexpr const char *not_mapped = "not_mapped";           // a required input is not mapped by the watch
inline constexpr const char *not_provided = "not_provided";       // the record's load did not provide it
inline constexpr const char *other_currency = "other_currency";   // thresholds in another currency
inline constexpr const char *no_link_rows = "no_link_rows";       // a required link table is empty
inline constexpr const char *link_not_loaded = "link_not_loaded"; // none of a load's records has link rows
inline constexpr const char *no_band = "no_band";                 // no discretion band applies to the case
inline constexpr const char *link_missing = "link_missing";       // records without their link rows (a bid's tenderers)
} // namespace gap_reason

// Both messages of a finding of kind from its details (a JSON object text; empty: none).
FindingMessages finding_messages(const RuleKindSpec &kind, std::string_view details_json);

// SQL of a Batch or Sweep rule. Placeholders the engine substitutes: {batch} (the rows being written,
// canonical columns plus __key jsonb and __unit text), {hist} (the whole watched table, same shape),
// {table} (the watched table's name as a literal), {as_of} (sweeps: $1::timestamptz), {as_of_date}, and
// {other_row:h:b} (rows h and b have different keys: compared on the key columns, so a self-join does
// not build two jsonb keys per candidate pair).
// Output columns: object_table text, object_key jsonb, period text, unit_code text, details jsonb (the
// finding's values, every one its message templates read: the recording query renders the messages with
// oversight.finding_messages()).
std::string rule_sql(const CompiledRule &rule);
// text with the placeholders of the rule's parameters, {base_currency} and {as_of…} substituted (rule_sql).
std::string bind_params(const CompiledRule &rule, std::string text);
// Replaces every "{name}" in text by value.
std::string substitute(std::string text, const std::string &name, const std::string &value);

// SQL literals built by the core (values were validated; quoting is still done properly).
std::string sql_literal(const std::string &s);
std::string sql_text_array(const std::vector<std::string> &items);

} // namespace oversight::core
