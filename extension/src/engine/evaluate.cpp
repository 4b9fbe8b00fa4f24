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
	std::vector<core::RuleScope> scopes; // per set-based rule: the written rows its SQL must leave out
	Gaps gaps;                           // what the rules could not judge
	std::set<std::string> commit_groups; // groups (e.g. ocids) of written rows the at-commit rules may judge
	// Large batches: per set-based rule with pairs (RuleKindSpec::pairs), the pair cluster of each written row
	// (core::pair_clusters; -1: none); empty when not probed.
	std::vector<std::vector<int64_t>> pair_clusters;
	// Large batches: per set-based rule, its candidate rows (those its pre-filter passes) when they are few, so
	// its SQL reads them rather than the whole batch (RuleScope::batch_relation); nullptr: the whole batch.
	std::vector<Tuplestorestate *> candidates;
};

// Data coverage of the row pass, decided once per batch and per load (never per row when nothing is
// blind): per rule, the currency of its thresholds; per load met in the batch, the rule inputs it did not
// provide (one ledger lookup per load).
class Coverage {
public:
	Coverage(const WatchConfig &cfg, const std::vector<const core::CompiledRule *> &rules) : cfg_(cfg), rules_(rules) {
		currency_field_ = core::field_index(cfg.kind(), "currency");
		for (const auto *r : rules) {
			thresholds_.push_back(core::threshold_currency(*r, cfg.base_currency));
			needs_currency_ = needs_currency_ || !thresholds_.back().empty();
			track_loads_ = track_loads_ || !core::required_inputs(*r).empty();
		}
		track_loads_ = track_loads_ && cfg.provenance_attnum > 0;
	}
	bool needs_currency() const { return needs_currency_; }
	// Some rule may be unable to judge some row (thresholds in a currency, or loads to check).
	bool active() const { return needs_currency_ || track_loads_; }

	// Called once per row, after conversion: the row's load and currency.
	void row(const Converter &conv, const core::Record &record) {
		has_load_ = conv.load_id(load_);
		blind_ = nullptr;
		if (track_loads_ && has_load_) {
			auto it = loads_.find(load_);
			if (it == loads_.end())
				it = loads_.emplace(load_, load_coverage(load_, cfg_.kind(), rules_)).first;
			if (it->second.any)
				blind_ = &it->second;
		}
		if (needs_currency_) {
			const core::Value &c = record[currency_field_];
			currency_ = c.null ? &cfg_.base_currency : &c.text;
		}
	}
	// True when rule i (of the rules given) cannot judge the row: counted in gaps, and the rule's scope
	// (set-based rules) told to leave the row out.
	bool blind(size_t i, Gaps &gaps, core::RuleScope *scope) {
		if (blind_ && !blind_->missing[i].empty()) {
			gaps.add(rules_[i]->version_id, true, load_, core::gap_reason::not_provided, blind_->missing[i]);
			if (scope && (scope->excluded_loads.empty() || scope->excluded_loads.back() != load_) &&
			    std::find(scope->excluded_loads.begin(), scope->excluded_loads.end(), load_) ==
			        scope->excluded_loads.end())
				scope->excluded_loads.push_back(load_);
			return true;
		}
		if (!thresholds_[i].empty() && *currency_ != thresholds_[i]) {
			gaps.add(rules_[i]->version_id, has_load_, load_, core::gap_reason::other_currency, {*currency_});
			if (scope)
				scope->batch_currency = thresholds_[i];
			return true;
		}
		return false;
	}

private:
	const WatchConfig &cfg_;
	const std::vector<const core::CompiledRule *> &rules_;
	std::vector<std::string> thresholds_;
	int currency_field_ = -1;
	bool needs_currency_ = false, track_loads_ = false;
	std::unordered_map<int64_t, LoadCoverage> loads_;
	const LoadCoverage *blind_ = nullptr;
	bool has_load_ = false;
	int64_t load_ = 0;
	const std::string *currency_ = nullptr;
};

// What this session's batches were: counted for oversight.engine_session_stats().
BatchStats session_stats;

// Pass 1: row-local rules and the pre-filters of the set-based rules in C++, one scan of the batch, in
// a subtransaction; for the rules evaluated at commit, the groups of the rows they may judge. A C++ exception in one row's evaluation is caught per row (recorded 100 times at
// most per batch); anything else fails the pass, which is recorded as a fault.
RowPass row_pass(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path, int64_t nrows,
                 const std::vector<const core::CompiledRule *> &row_rules,
                 const std::vector<const core::CompiledRule *> &set_rules,
                 const std::vector<const core::CompiledRule *> &commit_rules, bool large, bool probe_pairs,
                 bool look_up, bool link_sets) {
	RowPass pass;
	pass.candidate.assign(set_rules.size(), false);
	pass.scopes.assign(set_rules.size(), core::RuleScope{});
	for (auto &scope : pass.scopes)
		scope.base_currency = cfg.base_currency;
	if (row_rules.empty() && set_rules.empty() && commit_rules.empty())
		return pass;
	std::vector<const core::CompiledRule *> judged = row_rules; // row rules, set-based rules, at-commit rules
	judged.insert(judged.end(), set_rules.begin(), set_rules.end());
	judged.insert(judged.end(), commit_rules.begin(), commit_rules.end());
	Gaps gaps;
	TupleDesc tupdesc = RelationGetDescr(rel);
	std::vector<RowHit> hits;
	std::vector<std::pair<const core::CompiledRule *, std::pair<std::string, Fault>>> row_faults;
	Fault pass_fault;
	// A large batch's candidate rows per rule with a pre-filter, kept while they are at most a third of the batch.
	// Made before the pass's subtransaction, which fills them: a store's temporary file (beyond work_mem) belongs
	// to the resource owner current when the store was made, and a subtransaction's commit closes its own
	// (a "temporary file leak" WARNING, and the rows in it lost).
	std::vector<Tuplestorestate *> kept(set_rules.size(), nullptr);
	size_t keeping = 0;
	if (large)
		for (size_t i = 0; i < set_rules.size(); ++i)
			if (set_rules[i]->spec->may_fire) {
				kept[i] = pg::new_tuplestore();
				++keeping;
			}
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
		    // Pair probes of the rules with pairs, one list per rule (parallel to set_rules; empty for the others).
		    std::vector<std::vector<core::PairProbe>> probes(probe_pairs ? set_rules.size() : 0);
		    for (size_t i = 0; i < probes.size(); ++i)
			    if (set_rules[i]->spec->pairs) {
				    for (const char *name : set_rules[i]->spec->pairs->fields)
					    fields.push_back(core::field_index(cfg.kind(), name));
				    probes[i].reserve(static_cast<size_t>(nrows)); // most rows probe: no regrowth copies
			    }
		    std::vector<int> group_fields;
		    for (const auto *r : commit_rules) {
			    for (const auto &name : core::prefilter_fields(*r))
				    fields.push_back(core::field_index(cfg.kind(), name));
			    group_fields.push_back(core::field_index(cfg.kind(), r->spec->at_commit_group));
			    fields.push_back(group_fields.back());
		    }
		    // A small batch: the rules' look-ups (lookups.cpp), fed the rows their pre-filters pass.
		    std::optional<BatchLookups> lookups;
		    if (look_up)
			    lookups.emplace(cfg, rel, set_rules);
		    const bool looking = lookups && lookups->active();
		    if (looking)
			    lookups->add_fields(fields);
		    // A larger batch: the link sets of the rules that look rows up in a link table, read once.
		    std::optional<LinkSets> links;
		    if (link_sets) {
			    links.emplace(cfg, rel, set_rules, nrows);
			    session_stats.link_rows_read += links->rows_read();
		    }
		    if (links && links->active())
			    links->add_fields(fields);
		    else
			    links.reset();
		    Coverage coverage(cfg, judged);
		    if (coverage.needs_currency())
			    fields.push_back(core::field_index(cfg.kind(), "currency"));
		    size_t undecided = set_rules.size();
		    std::vector<int64_t> kept_rows(set_rules.size(), 0);
		    const int64_t keep_at_most = nrows / 3;
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
			    coverage.row(conv, record);
			    // Every row is probed, judged or not by the rule: a superset is all the split needs (the SQL
			    // leaves out what the rule's scope leaves out).
			    for (size_t i = 0; i < probes.size(); ++i)
				    if (set_rules[i]->spec->pairs) {
					    core::PairProbe probe;
					    if (set_rules[i]->spec->pairs->probe(*set_rules[i], record, probe)) {
						    probe.row = static_cast<uint32_t>(seen - 1);
						    probes[i].push_back(probe);
					    }
				    }
			    if (undecided > 0 || coverage.active() || keeping > 0 || looking)
				    for (size_t i = 0; i < set_rules.size(); ++i) {
					    if (coverage.active() && (core::skips_record(*set_rules[i], record) ||
					                              coverage.blind(row_rules.size() + i, gaps, &pass.scopes[i])))
						    continue;
					    const bool look = looking && lookups->has(i);
					    if ((kept[i] || !pass.candidate[i] || look) && core::may_fire(*set_rules[i], record) &&
					        (!links || !links->has(i) || links->may_meet(i, record))) {
						    if (!pass.candidate[i]) {
							    pass.candidate[i] = true;
							    --undecided;
						    }
						    if (look)
							    lookups->row(i, slot, record, conv);
						    // Too many: the whole batch. Also when over half of the first thousand rows or more are
						    // candidates (a rule most rows may fire, e.g. any payment with an invoice), rather than
						    // copying a third of the batch first.
						    if (kept[i] && (++kept_rows[i] > keep_at_most || (seen >= 1024 && 2 * kept_rows[i] > seen))) {
							    pg::tuplestore_free(kept[i]);
							    kept[i] = nullptr;
							    --keeping;
						    } else if (kept[i])
							    pg::tuplestore_put_slot(kept[i], slot);
					    }
				    }
			    for (size_t c = 0; c < commit_rules.size(); ++c) {
				    const auto *r = commit_rules[c];
				    if (coverage.active() &&
				        (core::skips_record(*r, record) ||
				         coverage.blind(row_rules.size() + set_rules.size() + c, gaps, nullptr)))
					    continue;
				    const core::Value &group = record[group_fields[c]];
				    if (!group.null && core::may_fire(*r, record))
					    pass.commit_groups.insert(group.text);
			    }
			    for (size_t j = 0; j < row_rules.size(); ++j) {
				    const auto *r = row_rules[j];
				    if (coverage.active() && (core::skips_record(*r, record) || coverage.blind(j, gaps, nullptr)))
					    continue;
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
		    if (!probes.empty()) {
			    pass.pair_clusters.resize(set_rules.size());
			    for (size_t i = 0; i < probes.size(); ++i)
				    if (set_rules[i]->spec->pairs)
					    pass.pair_clusters[i] = core::pair_clusters(*set_rules[i], probes[i], static_cast<size_t>(seen));
		    }
		    for (size_t i = 0; i < kept.size(); ++i)
			    if (kept[i] && !pass.candidate[i]) { // not run at all
				    pg::tuplestore_free(kept[i]);
				    kept[i] = nullptr;
			    }
		    pass.candidates.swap(kept); // kept is left empty: nothing for the failure path to free
		    pass.prefiltered = true;
		    pass.gaps = std::move(gaps);
		    if (!hits.empty()) {
			    pass.hits = hit_arrays(hits, cfg.table_name());
			    pass.have_hits = true;
		    }
		    // Last, so that a failing look-up (a fault) leaves the rest of the pass as it was: a rule whose
		    // look-ups found nothing its SQL could join a written row with is not run.
		    if (looking) {
			    for (size_t i = 0; i < set_rules.size(); ++i)
				    if (pass.candidate[i] && lookups->has(i) && lookups->meets_nothing(i, conv)) {
					    pass.candidate[i] = false;
					    ++session_stats.rules_looked_past;
				    }
			    session_stats.lookups += lookups->lookups_made();
			    lookups->close();
		    }
	    },
	    pass_fault);
	if (!ok) {
		record_fault(0, cfg.table_name(), nullptr, pass_fault, path, nrows);
		for (Tuplestorestate *store : kept) // the whole batch is judged: no rule reads its candidates
			if (store)
				pg::tuplestore_free(store);
	}
	for (const auto &[rule, kf] : row_faults)
		record_fault(rule->version_id, cfg.table_name(), &kf.first, kf.second, path, nrows);
	return pass;
}

// The stamp of the statement on the rows it wrote (their xmin and cmin), read from the stored copy of one
// written row found by its key, and how many stored rows do not carry it. nullopt when it cannot be told: no
// stored copy, or the rows carrying it are not exactly the batch (an INSERT … ON CONFLICT DO UPDATE, whose
// updated rows another trigger judges, or a row a later trigger changed): the batch is then not split.
struct WriterStamp {
	std::string xmin, cmin;
	int64_t rows_before = 0;
};
std::optional<WriterStamp> writer_stamp(const WatchConfig &cfg, Relation rel, int64_t nrows) {
	const core::TableShape &shape = cfg.shape;
	std::string keys, match;
	for (size_t k = 0; k < shape.quoted_key_columns.size(); ++k) {
		const std::string &c = shape.quoted_key_columns[k];
		keys += (k ? ", " : "") + c;
		match += (k ? " AND s." : "s.") + c + " = b." + c;
	}
	SpiResult copies = spi_query("SELECT s.xmin::pg_catalog.text, s.cmin::pg_catalog.text FROM " + shape.table_name +
	                                 " s JOIN (SELECT " + keys + " FROM " + core::batch_relation +
	                                 " LIMIT 1) b ON " + match);
	std::optional<WriterStamp> stamp;
	uint64_t latest = 0;
	for (size_t i = 0; i < copies.rows.size(); ++i) {
		// The written copy: one of this transaction's, the latest command's (an earlier statement of the
		// transaction may have stored a row with the same key).
		const uint64_t xid = std::stoull(copies.rows[i][0]), cid = std::stoull(copies.rows[i][1]);
		if (pg::is_current_transaction(static_cast<uint32_t>(xid)) && (!stamp || cid > latest)) {
			stamp = WriterStamp{copies.rows[i][0], copies.rows[i][1], 0};
			latest = cid;
		}
	}
	if (!stamp)
		return stamp;
	// Counted by a sequential scan in C where the table is a plain heap (half the SQL count's time: 200,000
	// rows, 29 -> 15 ms in the load's profile), else by SQL.
	int64_t stamped = 0, all = 0;
	if (!pg::may_select(rel) || !pg::count_stamped_rows(rel, static_cast<uint32_t>(std::stoull(stamp->xmin)),
	                            static_cast<uint32_t>(std::stoull(stamp->cmin)), stamped, all)) {
		SpiResult counts =
		    spi_query("SELECT pg_catalog.count(*) FILTER (WHERE s.xmin = " + core::sql_literal(stamp->xmin) +
		              "::pg_catalog.xid AND s.cmin = " + core::sql_literal(stamp->cmin) +
		              "::pg_catalog.cid)::pg_catalog.text, pg_catalog.count(*)::pg_catalog.text FROM " + shape.table_name +
		              " s");
		stamped = std::stoll(counts.rows[0][0]);
		all = std::stoll(counts.rows[0][1]);
	}
	if (stamped != nrows)
		return std::nullopt;
	stamp->rows_before = all - stamped;
	return stamp;
}

std::string evaluate_batch_elevated(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path) {
	const int64_t nrows = pg::tuplestore_count(store);
	std::string blocking;

	record_compile_faults(cfg, path, nrows);

	// Sweep rules run in oversight.sweep(), not on writes. A rule whose required input the watch does not
	// map is blind on this table: not evaluated, counted as cannot-evaluate for every written row.
	std::vector<const core::CompiledRule *> row_rules, set_rules, commit_rules;
	Gaps blind;
	for (size_t i = 0; i < cfg.rules.size(); ++i) {
		const core::CompiledRule &r = cfg.rules[i];
		if (r.evaluation() == core::Evaluation::Sweep)
			continue;
		if (!cfg.unmapped[i].empty())
			blind.add(r.version_id, false, 0, core::gap_reason::not_mapped, cfg.unmapped[i], nrows);
		else if (r.spec->at_commit_group != nullptr)
			commit_rules.push_back(&r);
		else
			(r.evaluation() == core::Evaluation::Row ? row_rules : set_rules).push_back(&r);
	}

	// A large batch (at least oversight.batch_split_rows rows, 1,000 by default): each rule with a pre-filter
	// reads only its candidate rows when they are few, and, into a table holding at most four times as many
	// rows, the pair rules' written rows are clustered in C++ (RuleKindSpec::pairs), so written rows are
	// compared only within their cluster and with the rows stored before, never the batch with itself. Below,
	// joining the batch with the table costs less than copying candidates or finding the statement's stamp
	// (one scan of the table).
	const int split_rows = pg::batch_split_rows();
	++session_stats.batches;
	const bool large = split_rows > 0 && nrows >= split_rows;
	const bool probe_pairs =
	    large && !cfg.shape.key_columns.empty() && pg::relation_has_heap_rows(rel) &&
	    pg::relation_row_estimate(rel) <= 4.0 * static_cast<double>(nrows) &&
	    std::any_of(set_rules.begin(), set_rules.end(), [](const core::CompiledRule *r) { return r->spec->pairs.has_value(); });
	// A small batch (a single-row write, typically) reuses saved plans, and first looks its rules' possible
	// partners up through indexes (oversight.index_lookups).
	const bool small_batch = nrows <= 16;
	RowPass pass = row_pass(cfg, rel, store, path, nrows, row_rules, set_rules, commit_rules, large, probe_pairs,
	                        small_batch && pg::index_lookups(), !small_batch && pg::index_lookups());

	// Rules that judge complete facts are evaluated when the transaction commits (at_commit.cpp): the
	// groups of the written rows are queued for them. A failure to queue is a fault, never lost data.
	if (!pass.commit_groups.empty()) {
		Fault f;
		if (!in_subtransaction([&] { queue_at_commit(cfg, pass.commit_groups); }, f))
			record_fault(commit_rules.front()->version_id, cfg.table_name(), nullptr, f, path, nrows);
	}

	// What the rules could not judge (not mapped, not provided by a row's load, another currency): one
	// row per rule version, load and reason, in its own subtransaction (never a reason to lose findings).
	for (const Gaps *gaps : {&blind, &pass.gaps})
		if (!gaps->empty()) {
			Fault f;
			if (!in_subtransaction([&] { record_coverage(*gaps, cfg.table_name(), path); }, f))
				record_fault(0, cfg.table_name(), nullptr, f, path, nrows);
		}

	// Pass 2: one statement runs every candidate set-based rule over the whole batch and records all
	// findings of the batch (the row pass's too) with one call of oversight.record_hits, in one
	// subtransaction. Only if it fails are the parts re-run one by one, each in its own subtransaction,
	// so the faulty rule is the one recorded and the findings of the others are kept.
	// Small batches (single-row writes) reuse saved plans; a large batch is planned for its own size.
	std::vector<const core::CompiledRule *> run;
	std::vector<core::RuleScope> scopes;
	std::vector<Tuplestorestate *> candidates; // parallel to run: the rule's candidate rows, or nullptr
	std::vector<const std::vector<int64_t> *> clusters; // parallel to run: its rows' pair clusters, or nullptr
	bool scoped = false; // some rule leaves written rows out: the statement is planned afresh
	for (size_t i = 0; i < set_rules.size(); ++i)
		if (!pass.prefiltered || pass.candidate[i]) { // otherwise no row of the batch can take part in a finding
			run.push_back(set_rules[i]);
			scopes.push_back(pass.scopes[i]);
			candidates.push_back(i < pass.candidates.size() ? pass.candidates[i] : nullptr);
			clusters.push_back(i < pass.pair_clusters.size() ? &pass.pair_clusters[i] : nullptr);
			scoped = scoped || !pass.scopes[i].excluded_loads.empty() || !pass.scopes[i].batch_currency.empty();
		}
	if (run.empty() && !pass.have_hits)
		return blocking;
	bool registered = false;
	if (!run.empty()) {
		int rc = pg::spi_register_tuplestore(core::batch_relation, RelationGetRelid(rel), store);
		if (rc != SPI_OK_REL_REGISTER)
			throw core::Error(core::sqlstate::internal_error,
			                  "could not register the batch relation (" + std::to_string(rc) + ")");
		registered = true;
	}
	// Each rule's candidate rows, registered under a name of their own.
	std::vector<std::string> candidate_relations;
	for (size_t i = 0; i < run.size(); ++i)
		if (candidates[i]) {
			const std::string name = std::string(core::batch_relation) + "_" + std::to_string(i);
			int rc = pg::spi_register_tuplestore(name.c_str(), RelationGetRelid(rel), candidates[i]);
			if (rc != SPI_OK_REL_REGISTER)
				throw core::Error(core::sqlstate::internal_error,
				                  "could not register a rule's candidate rows (" + std::to_string(rc) + ")");
			candidate_relations.push_back(name);
			++session_stats.candidate_reads;
			scopes[i].batch_relation = name;
		}
	// The split (see above): the statement's stamp on its rows, then per pair rule its written rows that may
	// pair, with their cluster, registered as a relation of their own. Anything unexpected leaves the batch
	// whole (same findings, slower).
	std::vector<std::pair<std::string, Tuplestorestate *>> paired; // registered name, rows
	bool split_wanted = false;
	for (size_t i = 0; i < run.size(); ++i)
		split_wanted = split_wanted || (registered && clusters[i] && !clusters[i]->empty());
	if (split_wanted) {
		std::optional<WriterStamp> stamp;
		Fault ignored;
		if (in_subtransaction([&] { stamp = writer_stamp(cfg, rel, nrows); }, ignored) && stamp) {
			++session_stats.split_batches;
			for (size_t i = 0; i < run.size(); ++i) {
				if (!clusters[i] || clusters[i]->empty())
					continue;
				const std::string name = std::string(core::batch_relation) + "_paired_" + std::to_string(i);
				TupleDesc shape = nullptr;
				Tuplestorestate *rows = pg::tuplestore_with_pairs(store, RelationGetDescr(rel), *clusters[i], shape);
				paired.emplace_back(name, rows);
				int rc = pg::spi_register_tuplestore(name.c_str(), shape, rows);
				if (rc != SPI_OK_REL_REGISTER)
					throw core::Error(core::sqlstate::internal_error,
					                  "could not register the paired rows (" + std::to_string(rc) + ")");
				session_stats.paired_rows += pg::tuplestore_count(rows);
				scopes[i].split_xmin = stamp->xmin;
				scopes[i].split_cmin = stamp->cmin;
				scopes[i].rows_before = stamp->rows_before > 0;
				scopes[i].paired_relation = name;
			}
		}
	}
	auto record = [&](const std::vector<const core::CompiledRule *> &rules, const std::vector<core::RuleScope> &sc,
	                  bool with_row_hits) {
		return record_findings(cfg, rel, rules, path, with_row_hits, pass.hits, small_batch && !scoped, sc);
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
	blocking = record_isolating_faults(record, run, scopes, pass.have_hits, cfg.table_name(), path, nrows);
	pg::end_settings(guc_level);
	if (registered)
		pg::spi_unregister_relation(core::batch_relation);
	for (const auto &[name, rows] : paired) {
		pg::spi_unregister_relation(name.c_str());
		pg::tuplestore_free(rows);
	}
	for (const std::string &name : candidate_relations)
		pg::spi_unregister_relation(name.c_str());
	for (Tuplestorestate *c : candidates)
		if (c)
			pg::tuplestore_free(c);
	return blocking;
}

} // namespace

const BatchStats &batch_stats() {
	return session_stats;
}

std::string record_isolating_faults(const RecordFindings &record, const std::vector<const core::CompiledRule *> &rules,
                                    const std::vector<core::RuleScope> &scopes, bool row_hits, const std::string &table,
                                    const char *path, int64_t rows) {
	Fault fault;
	std::string blocking;
	if (in_subtransaction([&] { blocking = record(rules, scopes, row_hits); }, fault))
		return blocking;
	blocking.clear();
	auto keep = [&](const std::string &b) {
		if (blocking.empty())
			blocking = b;
	};
	if (row_hits) {
		Fault f;
		std::string b;
		if (in_subtransaction([&] { b = record({}, {}, true); }, f))
			keep(b);
		else
			record_fault(0, table, nullptr, f, path, rows);
	}
	for (size_t i = 0; i < rules.size(); ++i) {
		Fault f;
		std::string b;
		if (in_subtransaction([&] { b = record({rules[i]}, {scopes[i]}, false); }, f))
			keep(b);
		else
			record_fault(rules[i]->version_id, table, nullptr, f, path, rows);
	}
	return blocking;
}

std::string evaluate_batch(const WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path) {
	ElevatedScope elevated(cfg.schema_owner);
	std::string blocking = evaluate_batch_elevated(cfg, rel, store, path);
	elevated.leave();
	return blocking;
}

} // namespace oversight::engine
