// Configuration of one watched table and its approved rules, and the calendar; both read once per
// top-level statement (engine_internal.hpp).
#include "engine_internal.hpp"

#include "oversight/engine/elevated.hpp"

#include <unordered_map>

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "storage/proc.h"
}

namespace oversight::engine {

namespace {

// A top-level statement: what is read once per statement is keyed by it (a change inside the same
// statement is seen by the next one).
struct StatementKey {
	LocalTransactionId lxid = InvalidLocalTransactionId;
	TimestampTz started = 0;
	bool operator==(const StatementKey &o) const { return lxid == o.lxid && started == o.started; }
};

StatementKey current_statement() {
	StatementKey k;
	k.lxid = MyProc->lxid; // plain reads: cannot raise
	k.started = GetCurrentStatementStartTimestamp();
	return k;
}

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

WatchState statement_config(Oid relid, TupleDesc tupdesc, bool row_level, WatchConfig &cfg) {
	// The configuration is read as the schema owner too (writers need no rights on the rule tables).
	Oid owner = schema_owner();
	static StatementKey cached_key;
	static Oid cached_relid = InvalidOid;
	static WatchState cached_state = WatchState::NotWatched;
	static WatchConfig cached_cfg;
	StatementKey now = current_statement();
	if (row_level && cached_key == now && cached_relid == relid) {
		cfg = cached_cfg;
		return cached_state;
	}
	ElevatedScope elevated(owner);
	std::string broken;
	WatchState state = load_config(relid, tupdesc, cfg, broken);
	if (state == WatchState::Broken) { // never block the business table: disable the watch, say why
		disable_watch(relid, broken);
		state = WatchState::NotWatched;
	}
	elevated.leave();
	cached_key = StatementKey{};
	cached_relid = relid;
	cached_state = state;
	cached_cfg = cfg;
	cached_key = now;
	return state;
}

const core::Calendar &load_calendar() {
	static StatementKey key;
	static core::Calendar calendar;
	StatementKey now = current_statement();
	if (!(key == now)) {
		key = StatementKey{};
		calendar = load_calendar_uncached();
		key = now;
	}
	return calendar;
}

} // namespace oversight::engine
