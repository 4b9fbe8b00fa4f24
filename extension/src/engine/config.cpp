// Configuration of one watched table and its approved rules, and the calendar (engine_internal.hpp): read
// once, then kept by the backend until PostgreSQL says something they were read from changed.
//
// How a change is seen (the way citus keeps its metadata cache): a statement trigger on every table the
// configuration is read from (oversight.engine_config_changed(): watched_table, rule, rule_version,
// calendar_day, calendar_year, setting, setting_default) invalidates that table's relcache entry; PostgreSQL
// delivers the invalidation to this backend at its next command (a change in its own transaction) or
// transaction (another session's committed change, as for PostgreSQL's own catalog caches), and also when
// work that made a change is rolled back.
// The relcache callback below then bumps a generation, and what was read under an older generation is
// read again. The watched table's own invalidations (DDL, a renamed or dropped column, a new CHECK) and any
// schema change (pg_namespace: names, the schema owner) do the same.
#include "engine_internal.hpp"

#include "oversight/engine/elevated.hpp"

#include <algorithm>
#include <unordered_map>

extern "C" {
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "storage/proc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace oversight::engine {

namespace {

// Name of the live column at attnum, or empty when there is none (dropped, or beyond the table).
std::string live_column(TupleDesc tupdesc, int attnum) {
	if (attnum <= 0 || attnum > tupdesc->natts)
		return {};
	Form_pg_attribute attr = TupleDescAttr(tupdesc, attnum - 1);
	return attr->attisdropped ? std::string() : std::string(NameStr(attr->attname));
}

// The name of a mapped column's base type, as the canonical view's casts compare it: looked up once per
// backend (watch() accepts only built-in base types, whose names never change), not per statement.
const std::string &base_type_name(Oid type) {
	static std::unordered_map<Oid, std::string> names;
	auto it = names.find(type);
	if (it == names.end())
		it = names.emplace(type, pg::type_name(type)).first;
	return it->second;
}

core::Calendar load_calendar_uncached() {
	core::Calendar cal;
	SpiResult days =
	    spi_query_cached("SELECT (calendar_date - '2000-01-01'::pg_catalog.date)::pg_catalog.text, day_kind "
	                     "FROM oversight.calendar_day",
	                     0, nullptr, nullptr, nullptr, true);
	for (const auto &r : days.rows)
		(r[1] == "holiday" ? cal.holidays : cal.adjusted_workdays).insert(std::stoi(r[0]));
	SpiResult years = spi_query_cached("SELECT calendar_year::pg_catalog.text FROM oversight.calendar_year", 0, nullptr,
	                                   nullptr, nullptr, true);
	for (const auto &r : years.rows)
		cal.loaded_years.insert(std::stoi(r[0]));
	cal.index();
	return cal;
}

} // namespace

WatchState load_config(Oid relid, TupleDesc tupdesc, WatchConfig &cfg, std::string &broken_reason) {
	Oid types[1] = {OIDOID};
	Datum values[1] = {ObjectIdGetDatum(relid)};
	SpiResult w = spi_query_cached(
	    "SELECT w.record_kind, w.field_attnums::pg_catalog.text, "
	    "       pg_catalog.array_to_json(w.key_attnums)::pg_catalog.text, "
	    "       oversight.setting_value('timezone'), n.nspowner::pg_catalog.text, "
	    "       pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
	    "       w.disabled_reason IS NOT NULL, oversight.setting_value('base_currency'), w.is_canonical, "
	    "       w.value_mapping::pg_catalog.text, coalesce(w.mapping_version_id, 0)::pg_catalog.text "
	    "  FROM oversight.watched_table w JOIN pg_catalog.pg_class c ON c.oid = w.relid "
	    "  JOIN pg_catalog.pg_namespace tn ON tn.oid = c.relnamespace "
	    "  CROSS JOIN pg_catalog.pg_namespace n WHERE n.nspname = 'oversight' AND w.relid = $1",
	    1, types, values, nullptr, true);
	if (w.rows.empty() || w.rows[0][6] == "t")
		return WatchState::NotWatched;
	const auto &row = w.rows[0];
	cfg.relid = relid;
	auto kind = core::parse_record_kind(row[0]);
	if (!kind)
		throw core::Error(core::sqlstate::internal_error, "watched table has unknown record kind " + row[0]);
	cfg.shape.kind = *kind;
	cfg.timezone = row[3];
	cfg.schema_owner = static_cast<Oid>(std::stoul(row[4]));
	cfg.shape.table_name = row[5];
	cfg.base_currency = row[7];
	cfg.shape.mapping_version_id = std::stoll(row[10]);
	// The watch's value aliases, constants and defaults, checked again by the one definition watch() used: a
	// stored mapping this version no longer accepts disables the watch (with a fault), never the writes.
	try {
		cfg.shape.values = core::parse_watch_mapping(*kind, core::parse_json(row[9])).values;
	} catch (const std::exception &e) {
		broken_reason = std::string("its value mapping is no longer valid: ") + e.what();
		return WatchState::Broken;
	}
	std::string columns; // the resolved column names: part of the plan-cache signature
	const core::Json attnums = core::parse_json(row[1]);
	for (auto member = attnums.begin(); member != attnums.end(); ++member) {
		const std::string &field = member.key();
		FieldBinding b;
		b.field = core::field_index(cfg.kind(), field);
		if (b.field < 0 || !member->is_number_integer())
			continue; // validated by oversight.watch(); ignore anything else defensively
		b.attnum = static_cast<AttrNumber>(member->get<int>());
		b.column = live_column(tupdesc, b.attnum);
		if (b.column.empty()) {
			broken_reason = "the column mapped from field " + field + " (attribute " + std::to_string(b.attnum) +
			                ") no longer exists in " + cfg.table_name();
			return WatchState::Broken;
		}
		b.base_type = pg::base_type(TupleDescAttr(tupdesc, b.attnum - 1)->atttypid);
		cfg.fields.push_back(b);
		cfg.shape.fields.push_back({b.field, pg::quote_ident(b.column), base_type_name(b.base_type)});
		columns += field + "=" + b.column + ",";
	}
	// The code lists of value-mapped columns, from the table's CHECK constraints: a rule's comparison with a
	// canonical value then names only codes the column can hold (core::source_comparisons). Part of the
	// signature: a changed constraint is a new plan.
	if (!cfg.shape.values.empty()) {
		Oid ct[1] = {OIDOID};
		Datum cv[1] = {ObjectIdGetDatum(relid)};
		SpiResult checks = spi_query_cached(
		    "SELECT c.conkey[1]::pg_catalog.text, pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c "
		    " WHERE c.conrelid = $1 AND c.contype = 'c' AND c.convalidated AND pg_catalog.cardinality(c.conkey) = 1 "
		    " ORDER BY c.conname",
		    1, ct, cv, nullptr, true);
		for (size_t i = 0; i < cfg.fields.size(); ++i)
			for (const auto &check : checks.rows)
				if (std::stoi(check[0]) == cfg.fields[i].attnum && !cfg.shape.fields[i].admitted_values &&
				    (cfg.shape.fields[i].admitted_values =
				         core::column_check_values(check[1], cfg.shape.fields[i].quoted_column)))
					columns += "check:" + check[1] + ",";
	}
	for (const auto &k : core::parse_json(row[2])) {
		std::string column = live_column(tupdesc, k.get<int>());
		if (column.empty()) {
			broken_reason =
			    "a key column (attribute " + std::to_string(k.get<int>()) + ") no longer exists in " + cfg.table_name();
			return WatchState::Broken;
		}
		cfg.shape.key_columns.push_back(column);
		cfg.shape.quoted_key_columns.push_back(pg::quote_ident(column));
		columns += "@" + column + ",";
	}
	// The canonical tables carry the load that last wrote each row (oversight-load fills load_id): the data
	// coverage of a load is judged by it. Other watched tables have no loads.
	if (row[8] == "t") {
		AttrNumber attnum = pg::column_number(tupdesc, "load_id");
		if (attnum > 0 && pg::base_type(TupleDescAttr(tupdesc, attnum - 1)->atttypid) == INT8OID) {
			cfg.provenance_attnum = attnum;
			cfg.shape.provenance_column = "load_id";
			columns += "#load_id,";
		}
	}
	// The value mapping is part of the SQL of every rule: a changed mapping is a new plan.
	cfg.signature = std::to_string(relid) + "|" + row[5] + "|" + columns + "|" + cfg.base_currency + "|" + row[9] + "|" + row[10];

	Datum kv[1] = {pg::text_datum(core::record_kind_name(cfg.kind()))};
	Oid kt[1] = {TEXTOID};
	SpiResult r = spi_query_cached(
	    "SELECT v.rule_version_id::pg_catalog.text, r.rule_code, r.rule_kind, r.record_kind, "
	    "v.params::pg_catalog.text, "
	    "       v.blocking::pg_catalog.text "
	    "  FROM oversight.rule r JOIN oversight.rule_version v ON v.rule_code = r.rule_code AND v.status = 'approved' "
	    " WHERE r.record_kind = $1 AND r.is_enabled ORDER BY r.rule_code",
	    1, kt, kv, nullptr, true);
	for (const auto &rr : r.rows) {
		int64_t version = std::stoll(rr[0]);
		try { // the kind's operations are resolved here, once per rule version and statement
			core::CompiledRule rule = core::CompiledRule::compile(version, rr[1], rr[2], rr[3], rr[4], rr[5] == "true");
			// Required inputs the watch does not map (no column, constant or default): the rule is blind on
			// this table.
			auto unmapped = core::missing_inputs(rule, [&](const std::string &field) {
				int index = core::field_index(cfg.kind(), field);
				if (const core::FieldValues *values = cfg.shape.values.find(index))
					if (values->provides_without_column())
						return true;
				for (const auto &b : cfg.fields)
					if (b.field == index)
						return true;
				return false;
			});
			cfg.rules.push_back(std::move(rule));
			cfg.unmapped.push_back(std::move(unmapped));
		} catch (const std::exception &e) {
			cfg.compile_faults.push_back(fault_of(e));
			cfg.compile_fault_versions.push_back(version);
		}
	}
	return WatchState::Watched;
}

void disable_watch(Oid relid, const std::string &reason) {
	Oid types[2] = {OIDOID, TEXTOID};
	Datum values[2] = {ObjectIdGetDatum(relid), pg::text_datum(reason)};
	spi_query_cached("SELECT oversight.disable_watch($1::pg_catalog.oid::pg_catalog.regclass, $2)", 2, types, values);
}

namespace {

// The configuration generation: bumped by the invalidation callbacks (plain C: they only count), compared by
// the readers. What was read under another generation is read again.
uint64_t config_generation = 1;
// The tables the configuration is read from and the watched tables read so far, whose invalidations bump it
// (small: filled by the readers, only searched by the callbacks).
std::vector<Oid> config_sources;
std::vector<Oid> watched_read;
bool callbacks_registered = false;
int64_t config_loads = 0;

void on_relcache_invalidation(Datum, Oid relid) {
	if (relid == InvalidOid || std::find(config_sources.begin(), config_sources.end(), relid) != config_sources.end() ||
	    std::find(watched_read.begin(), watched_read.end(), relid) != watched_read.end())
		++config_generation;
}

void on_namespace_invalidation(Datum, int, uint32) {
	++config_generation;
}

// Registers the callbacks (once per backend) and resolves the configuration tables' oids (once, or again
// after a reset, e.g. when the extension was dropped and created anew).
void watch_config_sources() {
	if (!callbacks_registered) {
		pg_call([] {
			CacheRegisterRelcacheCallback(on_relcache_invalidation, 0);
			CacheRegisterSyscacheCallback(NAMESPACEOID, on_namespace_invalidation, 0);
		});
		callbacks_registered = true;
	}
	static const char *const tables[] = {"watched_table", "rule",    "rule_version",   "calendar_day",
	                                     "calendar_year", "setting", "setting_default"};
	std::vector<Oid> oids;
	pg_call([&] {
		Oid nsp = get_namespace_oid("oversight", false);
		for (const char *t : tables)
			oids.push_back(get_relname_relid(t, nsp));
	});
	config_sources = std::move(oids);
}

struct CachedWatch {
	uint64_t generation = 0;
	WatchState state = WatchState::NotWatched;
	std::shared_ptr<const WatchConfig> cfg;
};

} // namespace

WatchState watch_config(Oid relid, TupleDesc tupdesc, std::shared_ptr<const WatchConfig> &kept) {
	static std::unordered_map<Oid, CachedWatch> cache;
	// Invalidations that arrived since the last command are delivered before the table was opened for this
	// one; the generation read now is therefore current.
	auto it = cache.find(relid);
	if (it != cache.end() && it->second.generation == config_generation && !config_sources.empty()) {
		kept = it->second.cfg;
		return it->second.state;
	}
	const uint64_t generation = config_generation;
	watch_config_sources();
	if (std::find(watched_read.begin(), watched_read.end(), relid) == watched_read.end())
		watched_read.push_back(relid);
	// The configuration is read as the schema owner (writers need no rights on the rule tables).
	ElevatedScope elevated(schema_owner());
	std::string broken;
	auto cfg = std::make_shared<WatchConfig>();
	WatchState state = load_config(relid, tupdesc, *cfg, broken);
	if (state == WatchState::Broken) { // never block the business table: disable the watch, say why
		disable_watch(relid, broken);
		state = WatchState::NotWatched;
	}
	elevated.leave();
	++config_loads;
	// Kept under the generation it was read at: a change that arrived while reading is read again next time.
	CachedWatch &entry = cache[relid];
	entry.generation = generation;
	entry.state = state;
	entry.cfg = cfg;
	kept = std::move(cfg);
	return state;
}

const core::Calendar &load_calendar() {
	static uint64_t generation = 0;
	static core::Calendar calendar;
	if (generation != config_generation || config_sources.empty()) {
		const uint64_t now = config_generation;
		watch_config_sources();
		generation = 0;
		calendar = load_calendar_uncached();
		generation = now;
	}
	return calendar;
}

int64_t config_load_count() {
	return config_loads;
}

} // namespace oversight::engine
