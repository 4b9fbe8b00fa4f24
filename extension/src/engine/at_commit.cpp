// Rules evaluated at the end of the writing transaction (RuleKindSpec::at_commit_group).
//
// Some findings depend on rows of several tables that arrive in any order: whether two bids come from
// different tenderers is only known once their oversight.bid_tenderer rows exist, and a loader writes
// those after the bids (the foreign key leaves no other order). Judged when the bids are written, every
// bid would be its own tenderer. Such kinds are therefore not evaluated with the statement's batch:
// the batch pass queues the groups its rows belong to (the process, ocid) in
// oversight.pending_evaluation, as do writes of the link rows (a trigger on oversight.bid_tenderer),
// and a deferred constraint trigger on that queue evaluates them once, when the transaction commits,
// over every stored record of the queued groups: complete facts, whichever table's rows came first.
//
// Why a queue table and a deferred constraint trigger (rather than a transaction callback): the queue
// is transactional (a rolled-back savepoint takes its entries with it), SET CONSTRAINTS … IMMEDIATE
// evaluates on demand, and the evaluation runs inside the transaction, where an error can still be
// recorded as an engine fault and findings are committed with the data they judge.
#include "oversight/engine/engine.hpp"

#include "engine_internal.hpp"
#include "oversight/engine/elevated.hpp"

#include <algorithm>
#include <map>
#include <set>

extern "C" {
#include "commands/trigger.h"
#include "utils/array.h"
}

namespace core = oversight::core;
namespace pg = oversight::pg;

namespace oversight::engine {

void queue_at_commit(const WatchConfig &cfg, const std::set<std::string> &groups) {
	std::vector<std::string> values(groups.begin(), groups.end());
	Oid types[2] = {OIDOID, TEXTARRAYOID};
	Datum args[2] = {ObjectIdGetDatum(cfg.relid), pg::text_array_datum(values)};
	UnrestrictedScope unrestricted; // the insert queues the deferred trigger's event
	spi_query_cached("INSERT INTO oversight.pending_evaluation (relid, group_value) "
	                 "SELECT $1, g FROM pg_catalog.unnest($2::pg_catalog.text[]) AS g "
	                 "ON CONFLICT DO NOTHING",
	                 2, types, args);
}

namespace {

const char *const commit_path = "commit";

// Evaluates the at-commit rules of one watched table over the stored records of the queued groups;
// returns the blocking message (empty when nothing blocks).
std::string evaluate_queued(Oid relid, const std::vector<std::string> &groups) {
	Relation rel = pg::try_open_relation(relid, AccessShareLock);
	if (!rel) // dropped since it was queued (in this transaction): nothing left to judge
		return {};
	std::string blocking;
	WatchConfig cfg;
	std::string broken;
	if (load_config(relid, RelationGetDescr(rel), cfg, broken) == WatchState::Watched) {
		std::vector<const core::CompiledRule *> rules;
		std::vector<core::RuleScope> scopes;
		for (size_t i = 0; i < cfg.rules.size(); ++i) {
			const core::CompiledRule &r = cfg.rules[i];
			// A rule blind on the table (a required input not mapped) was counted when the rows were written.
			if (r.spec->at_commit_group == nullptr || r.evaluation() == core::Evaluation::Sweep ||
			    !cfg.unmapped[i].empty())
				continue;
			core::RuleScope scope;
			scope.base_currency = cfg.base_currency;
			scope.queued_group = r.spec->at_commit_group;
			rules.push_back(&r);
			scopes.push_back(scope);
		}
		Oid types[1] = {TEXTARRAYOID};
		Datum args[1] = {pg::text_array_datum(groups)};
		auto record = [&](const std::vector<const core::CompiledRule *> &rs, const std::vector<core::RuleScope> &ss,
		                  bool) {
			SpiResult res = spi_query(core::recording_query(rs, cfg.shape, commit_path, false, ss), 1, types, args);
			return !res.rows.empty() && !res.nulls[0][0] ? res.rows[0][0] : std::string();
		};
		int guc_level = pg::begin_settings({{"jit", "off"}});
		if (!rules.empty())
			blocking = record_isolating_faults(record, rules, scopes, false, cfg.table_name(), commit_path,
			                                   static_cast<int64_t>(groups.size()));
		pg::end_settings(guc_level);
	}
	pg::close_relation(rel, AccessShareLock);
	return blocking;
}

// The queue entries already taken in this transaction: those written before the command that took them.
// A transaction queueing N groups fires the trigger N times; only the first (and the first after more
// entries were queued, e.g. after SET CONSTRAINTS … IMMEDIATE) may look at the queue. Without this, each
// later firing scanned the N deleted entries again: 37 s at commit for 20,000 processes.
struct Drained {
	LocalTransactionId transaction = 0;
	CommandId before = 0; // entries with cmin < before were taken
};
Drained drained;

bool already_taken(HeapTuple entry) {
	return drained.transaction == pg::local_transaction_id() && pg::own_tuple_cmin(entry) < drained.before;
}

// Takes this transaction's queue (every entry, whichever row's trigger fires first) and evaluates it.
std::string drain_queue() {
	SpiResult res = spi_query_cached("DELETE FROM oversight.pending_evaluation "
	                                 "WHERE xact_id = pg_catalog.pg_current_xact_id() RETURNING relid, group_value");
	drained = {pg::local_transaction_id(), pg::current_command_id()};
	std::map<Oid, std::vector<std::string>> queued; // ordered: the same evaluation order every time
	for (size_t i = 0; i < res.rows.size(); ++i)
		queued[static_cast<Oid>(std::stoul(res.rows[i][0]))].push_back(res.rows[i][1]);
	std::string blocking;
	for (auto &[relid, groups] : queued) {
		std::sort(groups.begin(), groups.end());
		std::string b = evaluate_queued(relid, groups);
		if (blocking.empty())
			blocking = b;
	}
	return blocking;
}

} // namespace

} // namespace oversight::engine

namespace engine = oversight::engine;

// Deferred constraint trigger on oversight.pending_evaluation (AFTER INSERT, FOR EACH ROW, INITIALLY
// DEFERRED): the first firing at commit evaluates the whole queue of the transaction; the later ones
// find it empty.
OVERSIGHT_FUNCTION(oversight_evaluate_pending) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		throw core::Error("39P01", "oversight_evaluate_pending must be called as a trigger");
	auto *trigdata = reinterpret_cast<TriggerData *>(fcinfo->context);
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
	    !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		throw core::Error("39P01", "oversight_evaluate_pending must fire AFTER INSERT FOR EACH ROW");
	if (engine::already_taken(trigdata->tg_trigtuple))
		return PointerGetDatum(nullptr);
	pg::spi_connect();
	std::string blocking;
	{
		engine::ElevatedScope elevated(engine::schema_owner());
		blocking = engine::drain_queue();
		elevated.leave();
	}
	pg::spi_finish();
	if (!blocking.empty())
		throw engine::blocking_error(blocking);
	return PointerGetDatum(nullptr);
}
