// The rule engine's SQL-callable entry points (see oversight/engine/engine.hpp).
//
// One code path serves both trigger levels: the rows being written are always a tuplestore (the
// statement's transition table, or a one-row tuplestore built for a row trigger), registered for SPI as
// the ephemeral relation "oversight_batch". Row-local rules run in C++ over that tuplestore; rules that
// need history run as one set-based query per rule per batch against it, so a COPY of a million rows
// is evaluated in a handful of queries, and a single-row insert gives the same alerts as a bulk load.
//
// Fault isolation: each set-based rule, and the C++ pass as a whole, runs in an internal subtransaction
// (as PL/pgSQL's EXCEPTION blocks do); a PostgreSQL error or C++ exception there is rolled back and
// recorded in oversight.engine_fault, and the business row is kept. A C++ exception in one row's
// evaluation is caught per row. Only rules marked blocking may make the write fail (SQLSTATE OV100).
//
// Privileges: rule queries and alert recording run as the owner of schema oversight (the way
// PostgreSQL's foreign-key triggers run as the table owner), so writers need no rights on the alert
// tables and cannot forge alerts. How elevation is made safe is in oversight/engine/elevated.hpp:
// nothing a writer puts in pg_temp, in a schema of their own or on their search_path is resolved
// inside the engine's SQL.
#include "oversight/engine/engine.hpp"

#include "engine_internal.hpp"
#include "oversight/engine/elevated.hpp"

extern "C" {
#include "commands/trigger.h"
#include "utils/timestamp.h"
}

namespace core = oversight::core;
namespace engine = oversight::engine;
namespace pg = oversight::pg;

core::Error engine::blocking_error(const std::string &message) {
	return core::Error("OV100", message, {},
	                   "预防性冻结规则已触发：请更正记录，或由纪检人员批准豁免 / A blocking rule (preventive hold) "
	                   "fired; correct the record, or have an inspector approve a waiver.");
}

// AFTER trigger of watched tables, at row level (one-row batch) or statement level (transition table).
OVERSIGHT_FUNCTION(oversight_engine_trigger) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		throw core::Error("39P01", "oversight_engine_trigger must be called as a trigger");
	auto *trigdata = reinterpret_cast<TriggerData *>(fcinfo->context);
	TriggerEvent ev = trigdata->tg_event;
	if (!TRIGGER_FIRED_AFTER(ev) || TRIGGER_FIRED_BY_DELETE(ev) || TRIGGER_FIRED_BY_TRUNCATE(ev))
		throw core::Error("39P01", "oversight_engine_trigger must fire AFTER INSERT or UPDATE");
	const bool row_level = TRIGGER_FIRED_FOR_ROW(ev);
	Relation rel = trigdata->tg_relation;
	HeapTuple written = TRIGGER_FIRED_BY_UPDATE(ev) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	Tuplestorestate *store = nullptr;
	bool buffered = false; // the rows of a row-level watch, judged by its statement trigger (row_buffer.cpp)
	if (row_level) {
		if (engine::has_companion_statement_trigger(rel, trigdata->tg_trigger->tgfoid, TRIGGER_FIRED_BY_UPDATE(ev))) {
			engine::buffer_row(RelationGetRelid(rel), written);
			return PointerGetDatum(nullptr);
		}
	} else {
		store = trigdata->tg_newtable;
		if (!store) { // the companion statement trigger of a row-level watch
			store = engine::take_buffered_rows(RelationGetRelid(rel));
			buffered = true;
			if (!store)
				return PointerGetDatum(nullptr);
		}
		if (pg::tuplestore_count(store) == 0) {
			if (buffered)
				pg::tuplestore_free(store);
			return PointerGetDatum(nullptr);
		}
	}
	pg::spi_connect();
	std::shared_ptr<const engine::WatchConfig> kept;
	engine::WatchState state = engine::watch_config(RelationGetRelid(rel), RelationGetDescr(rel), kept);
	const engine::WatchConfig &cfg = *kept;
	std::string blocking;
	if (state == engine::WatchState::Watched && (!cfg.rules.empty() || !cfg.compile_faults.empty())) {
		// A row-level watch without its statement trigger (attached before 0.4.0): a one-row batch per row.
		if (row_level)
			store = pg::one_tuple_store(written);
		blocking = engine::evaluate_batch(cfg, rel, store, row_level || buffered ? "row" : "statement");
	}
	// The stores made here or by the row triggers: freed now, so a store that spilled beyond work_mem closes its
	// temporary file before the statement's resource owner would (with a "temporary file leak" WARNING).
	if ((row_level || buffered) && store)
		pg::tuplestore_free(store);
	pg::spi_finish();
	// The message comes whole from the recorder, in the writer's language (oversight.record_hits).
	if (!blocking.empty())
		throw engine::blocking_error(blocking);
	return PointerGetDatum(nullptr);
}

// Runs the deadline (sweep) rules of one watched table as of a timestamp; returns the rules run.
OVERSIGHT_FUNCTION(oversight_sweep_table) {
	Oid relid = PG_GETARG_OID(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	pg::spi_connect();
	// A table dropped since sweep() listed it is skipped (sweep() records it); never an error for everyone.
	Relation rel = pg::try_open_relation(relid, AccessShareLock);
	if (!rel) {
		pg::spi_finish();
		PG_RETURN_INT32(0);
	}
	engine::WatchConfig cfg;
	Oid owner = engine::schema_owner();
	int32 ran = 0;
	{
		engine::ElevatedScope elevated(owner);
		std::string broken;
		engine::WatchState state = engine::load_config(relid, RelationGetDescr(rel), cfg, broken);
		if (state == engine::WatchState::Broken)
			engine::disable_watch(relid, broken);
		if (state == engine::WatchState::Watched) {
			engine::record_compile_faults(cfg, "sweep", 0);
			for (size_t i = 0; i < cfg.rules.size(); ++i) {
				const core::CompiledRule &r = cfg.rules[i];
				if (r.evaluation() != core::Evaluation::Sweep)
					continue;
				engine::Fault fault;
				// A rule whose required input the watch does not map cannot judge the table: every record
				// is counted as cannot-evaluate instead.
				bool ok = engine::in_subtransaction(
				    [&] {
					    if (cfg.unmapped[i].empty())
						    engine::record_sweep(cfg, r, as_of);
					    else
						    engine::record_sweep_blind(cfg, r, cfg.unmapped[i]);
				    },
				    fault);
				if (!ok)
					engine::record_fault(r.version_id, cfg.table_name(), nullptr, fault, "sweep", 0);
				++ran;
			}
		}
		elevated.leave();
	}
	pg::close_relation(rel, AccessShareLock);
	pg::spi_finish();
	PG_RETURN_INT32(ran);
}

// engine_session_stats() -> jsonb: this session's batches (engine_internal.hpp, BatchStats), for a DBA asking how
// the engine judged their loads and for the tests that the split and look-up paths run.
OVERSIGHT_FUNCTION(oversight_engine_session_stats) {
	const engine::BatchStats &s = engine::batch_stats();
	return pg::jsonb_datum("{\"batches\": " + std::to_string(s.batches) +
	                       ", \"split_batches\": " + std::to_string(s.split_batches) +
	                       ", \"paired_rows\": " + std::to_string(s.paired_rows) +
	                       ", \"candidate_reads\": " + std::to_string(s.candidate_reads) +
	                       ", \"lookups\": " + std::to_string(s.lookups) +
	                       ", \"rules_looked_past\": " + std::to_string(s.rules_looked_past) +
	                       ", \"link_rows_read\": " + std::to_string(s.link_rows_read) +
	                       ", \"config_loads\": " + std::to_string(engine::config_load_count()) + "}");
}

// AFTER … FOR EACH STATEMENT trigger of the tables a watch's configuration is read from: invalidates the
// table's relcache entry, which tells every backend (this one at its next command, the others once the change
// commits) that the engine's cached configuration is stale (src/engine/config.cpp).
OVERSIGHT_FUNCTION(oversight_engine_config_changed) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		throw core::Error("39P01", "oversight_engine_config_changed must be called as a trigger");
	pg::invalidate_relation_cache(RelationGetRelid(reinterpret_cast<TriggerData *>(fcinfo->context)->tg_relation));
	return PointerGetDatum(nullptr);
}
