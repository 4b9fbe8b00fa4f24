// SPI queries of the engine, and the backend's cache of saved plans (engine_internal.hpp).
#include "engine_internal.hpp"

#include "oversight/engine/elevated.hpp"

#include <unordered_map>

namespace oversight::engine {

namespace {

// Copies the rows of the last SPI result into C++ strings.
SpiResult collect(int rc, const std::string &sql) {
	uint64 n = SPI_processed; // plain reads of SPI globals: cannot raise
	int natts = SPI_tuptable ? SPI_tuptable->tupdesc->natts : 0;
	if (rc < 0)
		throw core::Error(core::sqlstate::internal_error,
		                  "SPI failed (" + std::to_string(rc) + ") on: " + sql.substr(0, 200));
	SpiResult out;
	out.rows.reserve(n);
	for (uint64 i = 0; i < n; ++i) {
		std::vector<std::string> row(static_cast<size_t>(natts));
		std::vector<bool> isnull(static_cast<size_t>(natts));
		for (int c = 1; c <= natts; ++c)
			if (!pg::spi_text(i, c, row[static_cast<size_t>(c - 1)]))
				isnull[static_cast<size_t>(c - 1)] = true;
		out.rows.push_back(std::move(row));
		out.nulls.push_back(std::move(isnull));
	}
	pg::spi_free_result();
	return out;
}

// Backend-local cache of saved plans, keyed by SQL text (which embeds rule version ids, parameters and
// the table's mapping, so a changed rule or mapping is a new key). PostgreSQL's plan cache revalidates
// them after DDL. Used for per-row work; a statement-level batch is planned afresh for its size.
// Lives for the backend; never crosses an ereport on the stack.
std::unordered_map<std::string, SPIPlanPtr> &plan_cache() {
	static std::unordered_map<std::string, SPIPlanPtr> cache;
	return cache;
}

// Size of the watched table when each keyed plan was made: a plan made when the table was small (say,
// the first row of a load) may scan it sequentially, so it is remade whenever the table has doubled.
std::unordered_map<std::string, BlockNumber> &plan_table_size() {
	static std::unordered_map<std::string, BlockNumber> sizes;
	return sizes;
}

SPIPlanPtr cached_plan(const std::string &key, const std::string &sql, int nargs, Oid *types) {
	auto &cache = plan_cache();
	auto it = cache.find(key);
	if (it != cache.end())
		return it->second;
	if (cache.size() >= 2000) { // bounded: old rule versions and mappings age out wholesale
		for (auto &entry : cache)
			pg::spi_free_plan(entry.second);
		cache.clear();
		plan_table_size().clear();
	}
	SPIPlanPtr plan = keep_plan(sql, nargs, types);
	cache.emplace(key, plan);
	return plan;
}

} // namespace

SpiResult spi_query(const std::string &sql, int nargs, Oid *types, Datum *values, const char *nulls, bool read_only) {
	require_qualified(sql);
	int rc = pg::spi_execute(sql, nargs, types, values, nulls, read_only);
	return collect(rc, sql);
}

SpiResult spi_query_keyed(const std::string &key, Relation rel, const std::function<std::string()> &build, int nargs,
                          Oid *types, Datum *values, const char *nulls) {
	auto &cache = plan_cache();
	auto &sizes = plan_table_size();
	BlockNumber blocks = pg::relation_blocks(rel);
	auto it = cache.find(key);
	if (it != cache.end()) {
		auto sz = sizes.find(key);
		if (sz == sizes.end() || blocks > 2 * sz->second + 8) {
			SPIPlanPtr stale = it->second;
			cache.erase(it);
			pg::spi_free_plan(stale);
			it = cache.end();
		}
	}
	SPIPlanPtr plan = it != cache.end() ? it->second : cached_plan(key, build(), nargs, types);
	sizes[key] = it != cache.end() ? sizes[key] : blocks;
	int rc = pg::spi_execute_plan(plan, values, nulls, false);
	return collect(rc, key);
}

SpiResult spi_query_cached(const std::string &sql, int nargs, Oid *types, Datum *values, const char *nulls,
                           bool read_only) {
	SPIPlanPtr plan = cached_plan(sql, sql, nargs, types);
	int rc = pg::spi_execute_plan(plan, values, nulls, read_only);
	return collect(rc, sql);
}

} // namespace oversight::engine
