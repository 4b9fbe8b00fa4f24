// Data coverage (issue 11): what the rules of a batch could not judge, counted and recorded once per
// rule version, load, reason and missing inputs; and what each load written in a batch provided
// (engine_internal.hpp).
#include "engine_internal.hpp"

#include <unordered_set>

extern "C" {
#include "catalog/pg_type.h"
}

namespace oversight::engine {

void Gaps::add(int64_t version_id, bool has_load, int64_t load_id, const char *reason,
               const std::vector<std::string> &missing, int64_t records) {
	counts_[Key{version_id, has_load, has_load ? load_id : 0, reason, missing}] += records;
}

std::string Gaps::json(const std::string &table) const {
	core::Json all = core::Json::array();
	for (const auto &[key, records] : counts_) {
		const auto &[version_id, has_load, load_id, reason, missing] = key;
		core::Json g = core::Json::object();
		g["rv"] = version_id;
		g["tb"] = table;
		g["load_id"] = has_load ? core::Json(load_id) : core::Json(nullptr);
		g["cannot_evaluate"] = reason;
		g["missing"] = missing;
		g["records"] = records;
		all.push_back(std::move(g));
	}
	return all.dump();
}

void record_coverage(const Gaps &gaps, const std::string &table, const char *path) {
	if (gaps.empty())
		return;
	Oid types[1] = {TEXTOID};
	Datum values[1] = {pg::text_datum(gaps.json(table))};
	spi_query_cached(std::string("SELECT oversight.record_coverage($1::pg_catalog.jsonb, ") + core::sql_literal(path) +
	                     ")",
	                 1, types, values);
}

void record_sweep_blind(const WatchConfig &cfg, const core::CompiledRule &rule,
                        const std::vector<std::string> &unmapped) {
	SpiResult n = spi_query("SELECT pg_catalog.count(*)::pg_catalog.text FROM " + cfg.table_name(), 0, nullptr, nullptr,
	                        nullptr, true);
	Gaps gaps;
	gaps.add(rule.version_id, false, 0, core::gap_reason::not_mapped, unmapped, std::stoll(n.rows.at(0).at(0)));
	record_coverage(gaps, cfg.table_name(), "sweep");
}

LoadCoverage load_coverage(int64_t load_id, core::RecordKind kind,
                           const std::vector<const core::CompiledRule *> &rules) {
	LoadCoverage out;
	out.missing.resize(rules.size());
	Oid types[1] = {INT8OID};
	Datum values[1] = {Int64GetDatum(load_id)};
	SpiResult r =
	    spi_query_cached("SELECT (l.fields_provided IS NULL)::pg_catalog.text, f.f FROM oversight.load l "
	                     "LEFT JOIN LATERAL pg_catalog.unnest(l.fields_provided) AS f(f) ON true WHERE l.load_id = $1",
	                     1, types, values, nullptr, true);
	// No ledger row, or fields_provided NULL (a load before 0.4.0): what it provided is unknown, taken as
	// everything.
	if (r.rows.empty() || r.rows[0][0] == "true")
		return out;
	std::unordered_set<std::string> provided;
	for (size_t i = 0; i < r.rows.size(); ++i)
		if (!r.nulls[i][1])
			provided.insert(r.rows[i][1]);
	const std::string prefix = std::string(core::record_kind_name(kind)) + ".";
	for (size_t i = 0; i < rules.size(); ++i) {
		out.missing[i] = core::missing_inputs(
		    *rules[i], [&](const std::string &field) { return provided.count(prefix + field) > 0; });
		out.any = out.any || !out.missing[i].empty();
	}
	return out;
}

} // namespace oversight::engine
