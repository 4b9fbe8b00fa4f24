// oversight.recheck_rows(table, key names, key values): runs every approved rule of a watched table
// again over the rows an alert's object key names, as if they had just been written. Verifying a
// rectification uses it (oversight.recheck_alert): a finding that is still there fires again.
#include "engine_internal.hpp"
#include "oversight/core/recheck.hpp"
#include "oversight/engine/elevated.hpp"

namespace core = oversight::core;
namespace engine = oversight::engine;
namespace pg = oversight::pg;

// Returns the rows evaluated, or -1 when the key does not name rows of this table (the alert's records
// are elsewhere) or the table is not watched.
OVERSIGHT_FUNCTION(oversight_recheck_rows) {
	Oid relid = PG_GETARG_OID(0);
	std::vector<std::string> names = pg::text_array_arg(fcinfo, 1);
	std::vector<std::string> values = pg::text_array_arg(fcinfo, 2);
	if (names.size() != values.size())
		throw core::Error("22023", "recheck_rows: as many key values as key names are needed");
	pg::spi_connect();
	Relation rel = pg::try_open_relation(relid, AccessShareLock);
	if (!rel) {
		pg::spi_finish();
		PG_RETURN_INT64(-1);
	}
	TupleDesc tupdesc = RelationGetDescr(rel);
	engine::WatchConfig cfg;
	int64 evaluated = -1;
	Tuplestorestate *store = nullptr;
	{
		engine::ElevatedScope elevated(engine::schema_owner());
		std::string broken;
		engine::WatchState state = engine::load_config(relid, tupdesc, cfg, broken);
		if (state == engine::WatchState::Broken)
			engine::disable_watch(relid, broken);
		std::vector<core::RecheckColumn> columns;
		if (state == engine::WatchState::Watched)
			columns = core::recheck_columns(cfg.shape, names);
		if (!columns.empty()) {
			std::vector<Oid> types;
			std::vector<Datum> datums;
			for (size_t i = 0; i < columns.size(); ++i) {
				AttrNumber attnum =
				    columns[i].key_index >= 0
				        ? pg::column_number(tupdesc, cfg.shape.key_columns[static_cast<size_t>(columns[i].key_index)])
				        : cfg.fields[static_cast<size_t>(columns[i].bound_field)].attnum;
				types.push_back(pg::column_type(tupdesc, attnum));
				datums.push_back(pg::input_datum(types.back(), values[i]));
			}
			const std::string sql = core::recheck_query(cfg.shape, columns);
			engine::require_qualified(sql);
			pg::spi_execute(sql, static_cast<int>(types.size()), types.data(), datums.data(), nullptr, true);
			store = pg::spi_whole_rows_store();
			evaluated = pg::tuplestore_count(store);
		}
		elevated.leave();
	}
	if (store) {
		if (evaluated > 0 && (!cfg.rules.empty() || !cfg.compile_faults.empty()))
			engine::evaluate_batch(cfg, rel, store, "row"); // nothing is being written: a blocking rule blocks nothing
		pg::tuplestore_free(store);
	}
	pg::close_relation(rel, AccessShareLock);
	pg::spi_finish();
	PG_RETURN_INT64(evaluated);
}
