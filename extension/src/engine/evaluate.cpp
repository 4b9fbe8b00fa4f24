// One batch of written rows: the C++ row pass (row rules and pre-filters), then the set-based rules and
// the recording of every finding in one statement (engine_internal.hpp).
#include "engine_internal.hpp"

#include "oversight/engine/elevated.hpp"

#include <algorithm>

namespace oversight::engine {

namespace {

// What the row pass found.
struct RowPass {
	std::vector<bool> candidate; // per set-based rule: some row may take part in a finding
	bool prefiltered = false;    // the pass ran to the end (else every set-based rule is a candidate)
	HitArrays hits;              // the row rules' findings (all NULL when none)
	bool have_hits = false;
};

// Pass 1: row-local rules and the pre-filters of the set-based rules in C++, one scan of the batch, in
// a subtransaction. A C++ exception in one row's evaluation is caught per row (recorded 100 times at
// most per batch); anything else fails the pass, which is recorded as a fault.
RowPass row_pass(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path, int64_t nrows,
                 const std::vector<const core::CompiledRule *> &row_rules,
                 const std::vector<const core::CompiledRule *> &set_rules) {
	RowPass pass;
	pass.candidate.assign(set_rules.size(), false);
	if (row_rules.empty() && set_rules.empty())
		return pass;
	TupleDesc tupdesc = RelationGetDescr(rel);
	std::vector<RowHit> hits;
	std::vector<std::pair<const core::CompiledRule *, std::pair<std::string, Fault>>> row_faults;
	Fault pass_fault;
	bool ok = in_subtransaction(
	    [&] {
		    std::vector<int> fields;
		    bool calendar_needed = false;
		    for (const auto *r : row_rules) {
			    for (const auto &name : core::row_rule_fields(*r))
				    fields.push_back(core::field_index(cfg.kind(), name));
			    calendar_needed = calendar_needed || core::needs_calendar(*r);
		    }
		    for (const auto *r : set_rules)
			    for (const auto &name : core::prefilter_fields(*r))
				    fields.push_back(core::field_index(cfg.kind(), name));
		    size_t undecided = set_rules.size();
		    static const core::Calendar no_calendar;
		    const core::Calendar &calendar = calendar_needed ? load_calendar() : no_calendar;
		    Converter conv(cfg, fields, tupdesc);
		    core::Record record;
		    record.fields.resize(core::record_fields(cfg.kind()).size());
		    TupleTableSlot *slot = pg::make_minimal_slot(tupdesc);
		    pg::tuplestore_rewind(store);
		    int64_t seen = 0;
		    core::Hit hit;
		    while (pg::tuplestore_next(store, slot)) {
			    if ((++seen & 0xFFF) == 0)
				    check_for_interrupts();
			    conv.convert(slot, record);
			    if (undecided > 0)
				    for (size_t i = 0; i < set_rules.size(); ++i)
					    if (!pass.candidate[i] && core::may_fire(*set_rules[i], record)) {
						    pass.candidate[i] = true;
						    --undecided;
					    }
			    for (const auto *r : row_rules) {
				    try {
					    if (core::evaluate_row(*r, record, calendar, hit))
						    hits.push_back(RowHit{r->version_id, conv.key_json(slot), conv.unit_text(slot), hit});
				    } catch (const PgError &) {
					    throw; // a PostgreSQL error: handled by the subtransaction
				    } catch (const std::exception &e) {
					    if (row_faults.size() < 100) // a rule failing on every row is recorded 100 times at most
						    row_faults.push_back({r, {conv.key_json(slot), fault_of(e)}});
				    }
			    }
		    }
		    pg::tuplestore_restore_reader(store);
		    pg::drop_slot(slot);
		    pass.prefiltered = true;
		    if (!hits.empty()) {
			    pass.hits = hit_arrays(hits, cfg.table_name());
			    pass.have_hits = true;
		    }
	    },
	    pass_fault);
	if (!ok)
		record_fault(0, cfg.table_name(), nullptr, pass_fault, path, nrows);
	for (const auto &[rule, kf] : row_faults)
		record_fault(rule->version_id, cfg.table_name(), &kf.first, kf.second, path, nrows);
	return pass;
}

std::string evaluate_batch_elevated(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path) {
	const int64_t nrows = pg::tuplestore_count(store);
	std::string blocking;

	record_compile_faults(cfg, path, nrows);

	std::vector<const core::CompiledRule *> row_rules, set_rules;
	for (const auto &r : cfg.rules)
		(r.evaluation() == core::Evaluation::Row ? row_rules : set_rules).push_back(&r);
	// Sweep rules run in oversight.sweep(), not on writes.
	set_rules.erase(
	    std::remove_if(set_rules.begin(), set_rules.end(),
	                   [](const core::CompiledRule *r) { return r->evaluation() == core::Evaluation::Sweep; }),
	    set_rules.end());

	RowPass pass = row_pass(cfg, rel, store, path, nrows, row_rules, set_rules);

	// Pass 2: one statement runs every candidate set-based rule over the whole batch and records all
	// findings of the batch (the row pass's too) with one call of oversight.record_hits, in one
	// subtransaction. Only if it fails are the parts re-run one by one, each in its own subtransaction,
	// so the faulty rule is the one recorded and the findings of the others are kept.
	// Small batches (single-row writes) reuse saved plans; a large batch is planned for its own size.
	std::vector<const core::CompiledRule *> run;
	for (size_t i = 0; i < set_rules.size(); ++i)
		if (!pass.prefiltered || pass.candidate[i]) // otherwise no row of the batch can take part in a finding
			run.push_back(set_rules[i]);
	if (run.empty() && !pass.have_hits)
		return blocking;
	const bool small_batch = nrows <= 16;
	bool registered = false;
	if (!run.empty()) {
		int rc = pg::spi_register_tuplestore(core::batch_relation, RelationGetRelid(rel), store);
		if (rc != SPI_OK_REL_REGISTER)
			throw core::Error(core::sqlstate::internal_error,
			                  "could not register the batch relation (" + std::to_string(rc) + ")");
		registered = true;
	}
	auto record = [&](const std::vector<const core::CompiledRule *> &rules, bool with_row_hits) {
		return record_findings(cfg, rel, rules, path, with_row_hits, pass.hits, small_batch);
	};
	// No JIT for the engine's own statements (as for the recorder): a batch's statement is planned for
	// its size, and on a bulk load the planner's cost passes the JIT thresholds; compiling with inlining
	// and optimisation then took longer (1.5 s for a million rows) than it saved (A/B on a million-row
	// COPY: 15.7 and 14.2 s without JIT, 17.2 and 16.5 s with). The setting is
	// restored when the batch is done, like a function's SET clause (an error aborts the transaction,
	// which restores it too).
	// A large batch is also planned without merge joins: the self-joins of the history rules (batch
	// against the whole table, which holds the batch) then hash instead of sorting both sides. Which of
	// the two the planner picks depends on the table's statistics at the time (none after a load into a
	// new or truncated table): on a million-row COPY, the merge joins sorted a million rows per side on
	// disk (duplicate 2.2 s, near-duplicate 3.4 s; hashed: 1.4 s and 1.9 s; whole COPY 17.3 / 16.8 s vs
	// 14.4 / 15.6 s in the same run). Small batches keep their saved plans (index lookups).
	int guc_level = small_batch ? pg::begin_settings({{"jit", "off"}})
	                            : pg::begin_settings({{"jit", "off"}, {"enable_mergejoin", "off"}});
	Fault fault;
	std::string found;
	bool ok = in_subtransaction([&] { found = record(run, true); }, fault);
	if (ok) {
		if (blocking.empty())
			blocking = found;
	} else {
		if (pass.have_hits) {
			Fault f;
			std::string b;
			if (in_subtransaction([&] { b = record({}, true); }, f)) {
				if (blocking.empty())
					blocking = b;
			} else
				record_fault(0, cfg.table_name(), nullptr, f, path, nrows);
		}
		for (const auto *r : run) {
			Fault f;
			std::string b;
			if (in_subtransaction([&] { b = record({r}, false); }, f)) {
				if (blocking.empty())
					blocking = b;
			} else
				record_fault(r->version_id, cfg.table_name(), nullptr, f, path, nrows);
		}
	}
	pg::end_settings(guc_level);
	if (registered)
		pg::spi_unregister_relation(core::batch_relation);
	return blocking;
}

} // namespace

std::string evaluate_batch(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path) {
	ElevatedScope elevated(cfg.schema_owner);
	std::string blocking = evaluate_batch_elevated(cfg, rel, store, path);
	elevated.leave();
	return blocking;
}

} // namespace oversight::engine
