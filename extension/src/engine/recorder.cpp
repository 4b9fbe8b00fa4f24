// Recording findings and faults: the calls of oversight.record_hits and oversight.record_fault
// (engine_internal.hpp).
#include "engine_internal.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

namespace oversight::engine {

void record_fault(int64_t version_id, const std::string &table, const std::string *object_key, const Fault &f,
                  const char *path, int64_t batch_rows) {
	Oid types[7] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID};
	Datum values[7] = {
	    Int64GetDatum(version_id),  pg::text_datum(table),     object_key ? pg::text_datum(*object_key) : 0,
	    pg::text_datum(f.sqlstate), pg::text_datum(f.message), pg::text_datum(f.detail),
	    Int64GetDatum(batch_rows)};
	char nulls[8] = "       ";
	if (version_id == 0)
		nulls[0] = 'n';
	if (!object_key)
		nulls[2] = 'n';
	if (f.detail.empty())
		nulls[5] = 'n';
	std::string sql = std::string("SELECT oversight.record_fault($1, $2, $3::pg_catalog.jsonb, $4, $5, $6, ") +
	                  core::sql_literal(path) + ", $7)";
	spi_query_cached(sql, 7, types, values, nulls);
}

void record_compile_faults(const WatchConfig &cfg, const char *path, int64_t batch_rows) {
	for (size_t i = 0; i < cfg.compile_faults.size(); ++i)
		record_fault(cfg.compile_fault_versions[i], cfg.table_name(), nullptr, cfg.compile_faults[i], path, batch_rows);
}

namespace {
// The eight arrays, built in PostgreSQL memory in one pass.
void build_hit_arrays(const std::vector<RowHit> &hits, const std::string &table, HitArrays &out) {
	const int n = static_cast<int>(hits.size());
	pg_call([&] {
		Datum *rv = static_cast<Datum *>(palloc(sizeof(Datum) * n));
		Datum *col[7];
		bool *isnull[7];
		for (int c = 0; c < 7; ++c) {
			col[c] = static_cast<Datum *>(palloc(sizeof(Datum) * n));
			isnull[c] = static_cast<bool *>(palloc0(sizeof(bool) * n));
		}
		text *tb = cstring_to_text_with_len(table.data(), static_cast<int>(table.size()));
		for (int i = 0; i < n; ++i) {
			const RowHit &h = hits[static_cast<size_t>(i)];
			rv[i] = Int64GetDatum(h.version_id);
			col[0][i] = PointerGetDatum(tb);
			col[1][i] = PointerGetDatum(cstring_to_text_with_len(h.key.data(), static_cast<int>(h.key.size())));
			col[2][i] =
			    PointerGetDatum(cstring_to_text_with_len(h.hit.period.data(), static_cast<int>(h.hit.period.size())));
			if (h.unit.empty())
				isnull[3][i] = true;
			else
				col[3][i] = PointerGetDatum(cstring_to_text_with_len(h.unit.data(), static_cast<int>(h.unit.size())));
			col[4][i] =
			    PointerGetDatum(cstring_to_text_with_len(h.hit.message.data(), static_cast<int>(h.hit.message.size())));
			col[5][i] = PointerGetDatum(
			    cstring_to_text_with_len(h.hit.message_zh.data(), static_cast<int>(h.hit.message_zh.size())));
			if (h.hit.details.empty())
				isnull[6][i] = true;
			else
				col[6][i] = PointerGetDatum(
				    cstring_to_text_with_len(h.hit.details.data(), static_cast<int>(h.hit.details.size())));
		}
		int dims[1] = {n}, lbs[1] = {1};
		out.values[0] =
		    PointerGetDatum(construct_array(rv, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		for (int c = 0; c < 7; ++c)
			out.values[c + 1] =
			    PointerGetDatum(construct_md_array(col[c], isnull[c], 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
	});
}
} // namespace

HitArrays hit_arrays(const std::vector<RowHit> &hits, const std::string &table) {
	HitArrays out;
	if (hits.empty())
		return out;
	build_hit_arrays(hits, table, out);
	for (int c = 0; c < 8; ++c)
		out.nulls[c] = ' ';
	return out;
}

std::string record_findings(const WatchConfig &cfg, Relation rel, const std::vector<const core::CompiledRule *> &rules,
                            const char *path, bool with_row_hits, HitArrays &row_hits, bool small_batch,
                            const std::vector<core::RuleScope> &scopes) {
	Oid types[8] = {INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	                TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	HitArrays none;
	HitArrays &args = with_row_hits ? row_hits : none;
	std::string key = "rec|" + std::string(path) + "|" + (with_row_hits ? "h" : "-");
	for (const auto *r : rules)
		key += "|" + std::to_string(r->version_id);
	key += "|" + cfg.signature;
	// The statement always takes the eight arrays (NULL when the row pass is not part of it).
	auto build = [&] { return core::recording_query(rules, cfg.shape, path, true, scopes); };
	SpiResult res;
	if (small_batch)
		res = spi_query_keyed(key, rel, build, 8, types, args.values, args.nulls);
	else
		res = spi_query(build(), 8, types, args.values, args.nulls);
	return !res.rows.empty() && !res.nulls[0][0] ? res.rows[0][0] : std::string();
}

void record_sweep(const WatchConfig &cfg, const core::CompiledRule &rule, TimestampTz as_of) {
	Oid types[1] = {TIMESTAMPTZOID};
	Datum values[1] = {TimestampTzGetDatum(as_of)};
	core::RuleScope scope;
	scope.base_currency = cfg.base_currency;
	spi_query_cached(core::recording_query({&rule}, cfg.shape, "sweep", false, {scope}), 1, types, values);
}

} // namespace oversight::engine
