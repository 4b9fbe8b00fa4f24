// The rule engine in the write path.
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
#include "oversight/engine/elevated.hpp"

#include "oversight/guard.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/relation.h"
#include "executor/executor.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "pgtime.h"
#include "storage/bufmgr.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/queryenvironment.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
}

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <string>
#include <vector>

#include "oversight/core/rules.hpp"

namespace core = oversight::core;
using oversight::pg_call;
using oversight::engine::ElevatedScope;
using oversight::engine::require_qualified;
using oversight::engine::schema_owner;

namespace {

constexpr const char *batch_relation = "oversight_batch";

// ---------------------------------------------------------------------------------------------------
// Small SPI helpers. Every SPI call may raise, so each goes through pg_call; strings are copied out of
// PostgreSQL memory into std::string outside the pg_call region.
// ---------------------------------------------------------------------------------------------------
struct SpiResult {
	std::vector<std::vector<std::string>> rows;
	std::vector<std::vector<bool>> nulls;
};

SpiResult collect(int rc, const std::string &sql);

SpiResult spi_query(const std::string &sql, int nargs = 0, Oid *types = nullptr, Datum *values = nullptr,
                    const char *nulls = nullptr, bool read_only = false) {
	require_qualified(sql);
	int rc = pg_call([&] {
		return nargs ? SPI_execute_with_args(sql.c_str(), nargs, types, values, nulls, read_only, 0)
		             : SPI_execute(sql.c_str(), read_only, 0);
	});
	return collect(rc, sql);
}

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
		for (int c = 1; c <= natts; ++c) {
			char *v = pg_call([&] { return SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c); });
			if (v) {
				row[static_cast<size_t>(c - 1)] = v;
				pg_call([&] { pfree(v); });
			} else
				isnull[static_cast<size_t>(c - 1)] = true;
		}
		out.rows.push_back(std::move(row));
		out.nulls.push_back(std::move(isnull));
	}
	pg_call([] { SPI_freetuptable(SPI_tuptable); });
	return out;
}

// Backend-local cache of saved plans, keyed by SQL text (which embeds rule version ids, parameters and
// the table's mapping, so a changed rule or mapping is a new key). PostgreSQL's plan cache revalidates
// them after DDL. Used for per-row work; a statement-level batch is planned afresh for its size.
std::unordered_map<std::string, BlockNumber> &plan_table_size();

std::unordered_map<std::string, SPIPlanPtr> &plan_cache() {
	static std::unordered_map<std::string, SPIPlanPtr>
	    cache; // lives for the backend; never crosses an ereport on the stack
	return cache;
}

SPIPlanPtr cached_plan(const std::string &key, const std::string &sql, int nargs = 0, Oid *types = nullptr) {
	auto &cache = plan_cache();
	auto it = cache.find(key);
	if (it != cache.end())
		return it->second;
	if (cache.size() >= 2000) { // bounded: old rule versions and mappings age out wholesale
		for (auto &entry : cache) {
			SPIPlanPtr old = entry.second;
			pg_call([&] { SPI_freeplan(old); });
		}
		cache.clear();
		plan_table_size().clear();
	}
	SPIPlanPtr plan = oversight::engine::keep_plan(sql, nargs, types);
	cache.emplace(key, plan);
	return plan;
}

// Size of the watched table when each keyed plan was made: a plan made when the table was small (say,
// the first row of a load) may scan it sequentially, so it is remade whenever the table has doubled.
std::unordered_map<std::string, BlockNumber> &plan_table_size() {
	static std::unordered_map<std::string, BlockNumber> sizes;
	return sizes;
}

// Runs the query saved under key, building and preparing its SQL only when there is no plan yet or the
// watched table has outgrown the plan.
template <typename Build>
SpiResult spi_query_keyed(const std::string &key, Relation rel, Build &&build, int nargs = 0, Oid *types = nullptr,
                          Datum *values = nullptr, const char *nulls = nullptr) {
	auto &cache = plan_cache();
	auto &sizes = plan_table_size();
	BlockNumber blocks = pg_call([&] { return RelationGetNumberOfBlocks(rel); });
	auto it = cache.find(key);
	if (it != cache.end()) {
		auto sz = sizes.find(key);
		if (sz == sizes.end() || blocks > 2 * sz->second + 8) {
			SPIPlanPtr stale = it->second;
			cache.erase(it);
			pg_call([&] { SPI_freeplan(stale); });
			it = cache.end();
		}
	}
	SPIPlanPtr plan = it != cache.end() ? it->second : cached_plan(key, build(), nargs, types);
	sizes[key] = it != cache.end() ? sizes[key] : blocks;
	int rc = pg_call([&] { return SPI_execute_plan(plan, values, nulls, false, 0); });
	return collect(rc, key);
}

// Runs sql through a cached plan (nargs parameters of the given types).
SpiResult spi_query_cached(const std::string &sql, int nargs = 0, Oid *types = nullptr, Datum *values = nullptr,
                           const char *nulls = nullptr, bool read_only = false) {
	SPIPlanPtr plan = cached_plan(sql, sql, nargs, types);
	int rc = pg_call([&] { return SPI_execute_plan(plan, values, nulls, read_only, 0); });
	return collect(rc, sql);
}

Datum text_datum(const std::string &s) {
	return pg_call([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size()))); });
}

std::string quote_ident(const std::string &s) {
	const char *q = pg_call([&] { return quote_identifier(s.c_str()); });
	return q;
}

// The error of a failed evaluation, copied into C++ strings.
struct Fault {
	std::string sqlstate = "XX000";
	std::string message;
	std::string detail;
};

// Runs fn in an internal subtransaction; on a PostgreSQL error or C++ exception the subtransaction is
// rolled back and the error returned in fault (false). The pattern is PL/pgSQL's exec_stmt_block.
template <typename Fn> bool in_subtransaction(Fn &&fn, Fault &fault) {
	MemoryContext old_context = CurrentMemoryContext;
	ResourceOwner old_owner = CurrentResourceOwner;
	pg_call([] { BeginInternalSubTransaction(nullptr); });
	MemoryContextSwitchTo(old_context); // plain assignment of a global: cannot raise
	bool failed = false;
	try {
		fn();
	} catch (const oversight::PgError &e) {
		failed = true;
		ErrorData *ed = e.edata();
		fault.sqlstate = unpack_sql_state(ed->sqlerrcode);
		fault.message = ed->message ? ed->message : "";
		fault.detail = ed->detail ? ed->detail : "";
	} catch (const core::Error &e) {
		failed = true;
		fault.sqlstate = e.sqlstate();
		fault.message = e.what();
		fault.detail = e.detail();
	} catch (const std::exception &e) {
		failed = true;
		fault.sqlstate = "XX000";
		fault.message = e.what();
	}
	if (failed)
		pg_call([] { RollbackAndReleaseCurrentSubTransaction(); });
	else
		pg_call([] { ReleaseCurrentSubTransaction(); });
	MemoryContextSwitchTo(old_context);
	CurrentResourceOwner = old_owner;
	return !failed;
}

// ---------------------------------------------------------------------------------------------------
// Configuration of one watched table and its approved rules.
// ---------------------------------------------------------------------------------------------------
struct FieldBinding {
	int field = -1;        // index into core::record_fields(kind)
	AttrNumber attnum = 0; // column in the watched table
	Oid base_type = InvalidOid;
	std::string column;
};

struct WatchConfig {
	Oid relid = InvalidOid;
	std::string table_name; // schema-qualified, quoted
	core::RecordKind kind = core::RecordKind::Payment;
	std::vector<FieldBinding> fields; // mapped fields only
	std::vector<std::string> key_columns;
	std::string timezone;
	Oid schema_owner = InvalidOid;
	std::vector<core::CompiledRule> rules;
	std::string signature; // table, mapping and key: part of the key of per-row saved plans
};

Oid base_type_of(Oid type) {
	return pg_call([&] { return getBaseType(type); });
}

// What load_config found: a table not watched (or whose watch is disabled) is left alone; a broken
// watch (a mapped column dropped behind the extension's back) is disabled with a recorded fault.
enum class WatchState { NotWatched, Watched, Broken };

// Name of the live column at attnum, or empty when there is none (dropped, or beyond the table).
std::string live_column(TupleDesc tupdesc, int attnum) {
	if (attnum <= 0 || attnum > tupdesc->natts)
		return {};
	Form_pg_attribute attr = TupleDescAttr(tupdesc, attnum - 1);
	return attr->attisdropped ? std::string() : std::string(NameStr(attr->attname));
}

// Loads the watch row and the approved rules of its record kind. Columns are found by attribute
// number, so a renamed column keeps its mapping; broken_reason says what is missing when Broken.
WatchState load_config(Oid relid, TupleDesc tupdesc, WatchConfig &cfg, std::vector<Fault> &compile_faults,
                       std::vector<int64_t> &compile_fault_versions, std::string &broken_reason) {
	Oid types[1] = {OIDOID};
	Datum values[1] = {ObjectIdGetDatum(relid)};
	SpiResult w =
	    spi_query_cached("SELECT w.record_kind, w.field_attnums::pg_catalog.text, "
	                     "       pg_catalog.array_to_json(w.key_attnums)::pg_catalog.text, "
	                     "       oversight.setting_value('timezone'), n.nspowner::pg_catalog.text, "
	                     "       pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
	                     "       w.disabled_reason IS NOT NULL "
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
	cfg.kind = *kind;
	cfg.timezone = row[3];
	cfg.schema_owner = static_cast<Oid>(std::stoul(row[4]));
	cfg.table_name = row[5];
	std::string columns; // the resolved column names: part of the plan-cache signature
	const core::Json attnums = core::parse_json(row[1]);
	for (auto member = attnums.begin(); member != attnums.end(); ++member) {
		const std::string &field = member.key();
		FieldBinding b;
		b.field = core::field_index(cfg.kind, field);
		if (b.field < 0 || !member->is_number_integer())
			continue; // validated by oversight.watch(); ignore anything else defensively
		b.attnum = static_cast<AttrNumber>(member->get<int>());
		b.column = live_column(tupdesc, b.attnum);
		if (b.column.empty()) {
			broken_reason = "the column mapped from field " + field + " (attribute " + std::to_string(b.attnum) +
			                ") no longer exists in " + cfg.table_name;
			return WatchState::Broken;
		}
		b.base_type = base_type_of(TupleDescAttr(tupdesc, b.attnum - 1)->atttypid);
		cfg.fields.push_back(b);
		columns += field + "=" + b.column + ",";
	}
	for (const auto &k : core::parse_json(row[2])) {
		std::string column = live_column(tupdesc, k.get<int>());
		if (column.empty()) {
			broken_reason =
			    "a key column (attribute " + std::to_string(k.get<int>()) + ") no longer exists in " + cfg.table_name;
			return WatchState::Broken;
		}
		cfg.key_columns.push_back(column);
		columns += "@" + column + ",";
	}
	cfg.signature = std::to_string(relid) + "|" + row[5] + "|" + columns;

	Datum kv[1] = {text_datum(core::record_kind_name(cfg.kind))};
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
		try {
			cfg.rules.push_back(core::CompiledRule::compile(version, rr[1], rr[2], rr[3], rr[4], rr[5] == "true"));
		} catch (const std::exception &e) {
			Fault f;
			f.message = e.what();
			if (auto *ce = dynamic_cast<const core::Error *>(&e))
				f.sqlstate = ce->sqlstate();
			compile_faults.push_back(f);
			compile_fault_versions.push_back(version);
		}
	}
	return WatchState::Watched;
}

// Disables a watch whose mapping no longer fits its table, recording why (engine fault and audit).
void disable_watch(Oid relid, const std::string &reason) {
	Oid types[2] = {OIDOID, TEXTOID};
	Datum values[2] = {ObjectIdGetDatum(relid), text_datum(reason)};
	spi_query_cached("SELECT oversight.disable_watch($1::pg_catalog.oid::pg_catalog.regclass, $2)", 2, types, values);
}

// ---------------------------------------------------------------------------------------------------
// SQL shape of the batch and of the history: canonical column names over the watched table's columns.
// ---------------------------------------------------------------------------------------------------
std::string relation_view(const WatchConfig &cfg, TupleDesc tupdesc, const std::string &from) {
	const auto &fields = core::record_fields(cfg.kind);
	std::string sql = "(SELECT ";
	for (size_t i = 0; i < fields.size(); ++i) {
		const char *canonical_type = core::sql_type_name(fields[i].type);
		std::string expr = std::string("NULL::pg_catalog.") + canonical_type;
		for (const auto &b : cfg.fields)
			if (b.field == static_cast<int>(i)) {
				char *tname = pg_call([&] { return format_type_be(b.base_type); });
				std::string base = tname;
				expr = "t." + quote_ident(b.column);
				bool same = base == canonical_type ||
				            (std::string(canonical_type) == "timestamptz" && base == "timestamp with time zone") ||
				            (std::string(canonical_type) == "numeric" && base == "numeric") ||
				            (std::string(canonical_type) == "boolean" && base == "boolean");
				if (!same)
					expr = "(" + expr + ")::pg_catalog." + canonical_type;
			}
		sql += expr + " AS " + fields[i].name + ", ";
	}
	sql += "pg_catalog.jsonb_build_object(";
	for (size_t k = 0; k < cfg.key_columns.size(); ++k)
		sql += (k ? ", " : "") + core::sql_literal(cfg.key_columns[k]) + ", t." + quote_ident(cfg.key_columns[k]);
	sql += ") AS __key, ";
	for (size_t k = 0; k < cfg.key_columns.size(); ++k)
		sql += "t." + quote_ident(cfg.key_columns[k]) + " AS __k" + std::to_string(k) + ", ";
	const char *unit = core::unit_field(cfg.kind);
	std::string unit_expr = "NULL::pg_catalog.text";
	if (unit)
		for (const auto &b : cfg.fields)
			if (std::string(fields[static_cast<size_t>(b.field)].name) == unit)
				unit_expr = "(t." + quote_ident(b.column) + ")::pg_catalog.text";
	sql += unit_expr + " AS __unit FROM " + from + " t)";
	(void)tupdesc;
	return sql;
}

std::string instantiate(const core::CompiledRule &rule, const WatchConfig &cfg, TupleDesc tupdesc) {
	std::string sql = core::rule_sql(rule);
	if (sql.find("{batch}") != std::string::npos)
		sql = core::substitute(sql, "batch", relation_view(cfg, tupdesc, batch_relation));
	if (sql.find("{hist}") != std::string::npos)
		sql = core::substitute(sql, "hist", relation_view(cfg, tupdesc, cfg.table_name));
	sql = core::substitute(sql, "table", core::sql_literal(cfg.table_name));
	// {other_row:h:b}: the two rows differ in a key column (same truth as h.__key <> b.__key: jsonb
	// null equals null, hence IS DISTINCT FROM).
	std::string differs;
	for (size_t k = 0; k < cfg.key_columns.size(); ++k) {
		std::string col = "__k" + std::to_string(k);
		differs += (k ? " OR " : "") + std::string("h.") + col + " IS DISTINCT FROM b." + col;
	}
	sql = core::substitute(sql, "other_row:h:b", cfg.key_columns.empty() ? "h.__key <> b.__key" : "(" + differs + ")");
	return sql;
}

// Wraps the findings of a batch into one call of oversight.record_hits: the row pass's hits (arrays
// in $1..$7, or NULLs) and the hits of each given set-based rule, all in the same statement, so a batch
// upserts its alerts, logs their events and queues their notifications once.
std::string recording_query(const std::vector<const core::CompiledRule *> &rules, const WatchConfig &cfg,
                            TupleDesc tupdesc, const char *path, bool with_row_hits) {
	std::string parts;
	if (with_row_hits) // $1..$7: the row pass's hits as parallel arrays (NULL when none)
		parts = "SELECT x.rv, x.tb, x.k::pg_catalog.jsonb, x.p, x.u, x.m, x.d::pg_catalog.jsonb FROM ROWS FROM "
		        "(pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.text[]), "
		        "pg_catalog.unnest($3::pg_catalog.text[]), pg_catalog.unnest($4::pg_catalog.text[]), "
		        "pg_catalog.unnest($5::pg_catalog.text[]), pg_catalog.unnest($6::pg_catalog.text[]), "
		        "pg_catalog.unnest($7::pg_catalog.text[])) AS x(rv, tb, k, p, u, m, d)";
	for (const auto *rule : rules) {
		if (!parts.empty())
			parts += "\n UNION ALL\n";
		parts += "SELECT " + std::to_string(rule->version_id) + "::pg_catalog.int8, q.* FROM (" +
		         instantiate(*rule, cfg, tupdesc) +
		         ") AS q(object_table, object_key, period, unit_code, message, details)";
	}
	return "SELECT r.blocking_message FROM (SELECT pg_catalog.array_agg(q.rv), pg_catalog.array_agg(coalesce(q.tb, " +
	       core::sql_literal(cfg.table_name) +
	       ")), pg_catalog.array_agg(q.k), pg_catalog.array_agg(coalesce(q.p, '')), pg_catalog.array_agg(q.u), "
	       "pg_catalog.array_agg(q.m), pg_catalog.array_agg(q.d) FROM (" +
	       parts +
	       ") AS q(rv, tb, k, p, u, m, d)) AS a(rv, tb, k, p, u, m, d) "
	       "CROSS JOIN LATERAL oversight.record_hits(a.rv, a.tb, a.k, a.p, a.u, a.m, a.d, " +
	       core::sql_literal(path) + ") AS r WHERE a.rv IS NOT NULL";
}

std::string recording_query(const core::CompiledRule &rule, const WatchConfig &cfg, TupleDesc tupdesc,
                            const char *path) {
	return recording_query(std::vector<const core::CompiledRule *>{&rule}, cfg, tupdesc, path, false);
}

// ---------------------------------------------------------------------------------------------------
// Tuple -> core::Record conversion (only the fields row rules read).
// ---------------------------------------------------------------------------------------------------
struct Converter {
	const WatchConfig &cfg;
	std::vector<const FieldBinding *> needed; // bindings to convert
	pg_tz *tz = nullptr;
	MemoryContext scratch = nullptr;
	std::vector<FmgrInfo> out_funcs;
	std::vector<bool> use_out_func;
	std::vector<core::FieldType> field_types;

	Converter(const WatchConfig &c, const std::vector<int> &fields) : cfg(c) {
		for (const auto &b : cfg.fields)
			for (int f : fields)
				if (b.field == f)
					needed.push_back(&b);
		std::string tzname = cfg.timezone;
		tz = pg_call([&] { return pg_tzset(tzname.c_str()); });
		if (!tz)
			throw core::Error(core::sqlstate::invalid_parameter_value,
			                  "setting timezone = \"" + tzname + "\" is not a time zone");
		scratch = pg_call([] {
			return AllocSetContextCreate(CurrentMemoryContext, "oversight engine scratch", ALLOCSET_DEFAULT_SIZES);
		});
		out_funcs.resize(needed.size());
		use_out_func.resize(needed.size());
		for (const auto *b : needed)
			field_types.push_back(core::record_fields(cfg.kind)[static_cast<size_t>(b->field)].type);
		for (size_t i = 0; i < needed.size(); ++i) {
			Oid t = needed[i]->base_type;
			bool special = t == TEXTOID || t == VARCHAROID || t == BPCHAROID || t == NUMERICOID || t == DATEOID ||
			               t == TIMESTAMPTZOID || t == TIMESTAMPOID || t == INT2OID || t == INT4OID || t == INT8OID ||
			               t == BOOLOID;
			use_out_func[i] = !special;
			if (!special) {
				FmgrInfo *fi = &out_funcs[i];
				pg_call([&] {
					Oid func;
					bool varlena;
					getTypeOutputInfo(t, &func, &varlena);
					fmgr_info(func, fi);
				});
			}
		}
	}

	// Local date of a timestamp; the last answer is remembered (a load often repeats approval times).
	TimestampTz last_ts = 0;
	int32_t last_date = 0;
	bool have_last = false;
	int32_t local_date(TimestampTz ts) {
		if (have_last && ts == last_ts)
			return last_date;
		last_date = local_date_uncached(ts);
		last_ts = ts;
		have_last = true;
		return last_date;
	}

	int32_t local_date_uncached(TimestampTz ts) const {
		struct pg_tm tm;
		fsec_t fsec;
		int tzoff;
		int rc = pg_call([&] { return timestamp2tm(ts, &tzoff, &tm, &fsec, nullptr, tz); });
		if (rc != 0)
			return 0;
		return core::days_from_civil(tm.tm_year, tm.tm_mon, tm.tm_mday);
	}

	// Fills record from the slot; strings are produced in the scratch context, copied, then freed.
	void convert(TupleTableSlot *slot, core::Record &record) {
		const size_t n = needed.size();
		struct Raw {
			bool isnull;
			Datum d;
			char *cstr;
			int len; // text: length of cstr (not NUL-terminated); -1 otherwise
		};
		Raw raw[64];
		if (n > 64)
			throw core::Error(core::sqlstate::internal_error, "too many fields");
		pg_call([&] {
			MemoryContext old = MemoryContextSwitchTo(scratch);
			for (size_t i = 0; i < n; ++i) {
				const FieldBinding *b = needed[i];
				raw[i].d = slot_getattr(slot, b->attnum, &raw[i].isnull);
				raw[i].cstr = nullptr;
				raw[i].len = -1;
				if (raw[i].isnull)
					continue;
				Oid t = b->base_type;
				if (use_out_func[i])
					raw[i].cstr = OutputFunctionCall(&out_funcs[i], raw[i].d);
				else if (t == TEXTOID || t == VARCHAROID || t == BPCHAROID) {
					// the text in place (a copy only when compressed or out of line)
					text *tx = pg_detoast_datum_packed(reinterpret_cast<text *>(DatumGetPointer(raw[i].d)));
					raw[i].cstr = VARDATA_ANY(tx);
					raw[i].len = static_cast<int>(VARSIZE_ANY_EXHDR(tx));
				} else if (t == NUMERICOID)
					raw[i].cstr = DatumGetCString(DirectFunctionCall1(numeric_out, raw[i].d));
			}
			MemoryContextSwitchTo(old);
		});
		for (size_t i = 0; i < n; ++i) {
			const FieldBinding *b = needed[i];
			core::Value &v = record.fields[static_cast<size_t>(b->field)];
			v.null = true; // reset in place: the text keeps its buffer from row to row
			v.text.clear();
			v.dec = core::Decimal{};
			v.integer = 0;
			v.date = 0;
			v.micros = 0;
			if (raw[i].isnull)
				continue;
			v.null = false;
			const core::FieldType ft = field_types[i];
			Oid t = b->base_type;
			if (raw[i].cstr) {
				if (raw[i].len >= 0)
					v.text.assign(raw[i].cstr, static_cast<size_t>(raw[i].len));
				else
					v.text = raw[i].cstr;
				if (ft == core::FieldType::Decimal)
					v.dec = core::Decimal::parse(v.text);
				else if (ft == core::FieldType::Integer)
					v.integer = core::Decimal::parse(v.text).units / core::Decimal::scale;
				continue;
			}
			switch (t) {
			case DATEOID:
				v.date = DatumGetDateADT(raw[i].d);
				break;
			case TIMESTAMPTZOID:
				v.micros = DatumGetTimestampTz(raw[i].d);
				v.date = local_date(v.micros);
				break;
			case TIMESTAMPOID: { // a timestamp without zone is read as local time of the bureau
				Timestamp ts = DatumGetTimestamp(raw[i].d);
				v.micros = ts;
				v.date =
				    static_cast<int32_t>(ts >= 0 ? ts / USECS_PER_DAY : -((-ts + USECS_PER_DAY - 1) / USECS_PER_DAY));
				break;
			}
			case INT2OID:
				v.integer = DatumGetInt16(raw[i].d);
				break;
			case INT4OID:
				v.integer = DatumGetInt32(raw[i].d);
				break;
			case INT8OID:
				v.integer = DatumGetInt64(raw[i].d);
				break;
			case BOOLOID:
				v.integer = DatumGetBool(raw[i].d) ? 1 : 0;
				break;
			default:
				break;
			}
			if (ft == core::FieldType::Decimal && (t == INT2OID || t == INT4OID || t == INT8OID))
				v.dec = core::Decimal::from_int(v.integer);
			if (ft == core::FieldType::Text && (t == INT2OID || t == INT4OID || t == INT8OID))
				v.text = std::to_string(v.integer);
		}
		MemoryContextReset(scratch); // frees the strings; cannot raise
	}

	// Key and unit columns, resolved once per batch.
	struct Column {
		std::string name;
		AttrNumber attnum = 0;
		Oid type = InvalidOid;
		FmgrInfo out;
	};
	std::vector<Column> key_columns;
	Column unit_column;
	bool has_unit = false;

	void resolve_columns(TupleDesc tupdesc) {
		auto resolve = [&](Column &c) {
			std::string name = c.name;
			c.attnum = pg_call([&] { return static_cast<AttrNumber>(SPI_fnumber(tupdesc, name.c_str())); });
			if (c.attnum <= 0)
				throw core::Error("42703", "watched table " + cfg.table_name + " has no key column \"" + name + "\"");
			Oid atttype = TupleDescAttr(tupdesc, c.attnum - 1)->atttypid;
			c.type = base_type_of(atttype);
			FmgrInfo *fi = &c.out;
			pg_call([&] {
				Oid func;
				bool varlena;
				getTypeOutputInfo(atttype, &func, &varlena);
				fmgr_info(func, fi);
			});
		};
		for (const auto &k : cfg.key_columns) {
			Column c;
			c.name = k;
			key_columns.push_back(c);
			resolve(key_columns.back());
		}
		const char *unit = core::unit_field(cfg.kind);
		if (unit)
			for (const auto &b : cfg.fields)
				if (std::string(core::record_fields(cfg.kind)[static_cast<size_t>(b.field)].name) == unit) {
					unit_column.name = b.column;
					resolve(unit_column);
					has_unit = true;
				}
	}

	// Text of one column of the row in slot (output function), or false when NULL.
	bool column_text(TupleTableSlot *slot, const Column &c, std::string &out) {
		char *s = nullptr;
		pg_call([&] {
			bool isnull;
			Datum d = slot_getattr(slot, c.attnum, &isnull);
			if (!isnull) {
				MemoryContext old = MemoryContextSwitchTo(scratch);
				s = OutputFunctionCall(const_cast<FmgrInfo *>(&c.out), d);
				MemoryContextSwitchTo(old);
			}
		});
		if (!s)
			return false;
		out = s;
		MemoryContextReset(scratch); // cannot raise
		return true;
	}

	// JSON object of the key columns of the row in slot (jsonb_build_object semantics for common types).
	// Numbers are written with their PostgreSQL text (numeric scale kept, as jsonb_build_object does).
	std::string key_json(TupleTableSlot *slot) {
		std::string key = "{";
		std::string text;
		for (const auto &c : key_columns) {
			if (key.size() > 1)
				key += ", ";
			key += core::json_quote(c.name) + ": ";
			if (!column_text(slot, c, text))
				key += "null";
			else if (c.type == INT2OID || c.type == INT4OID || c.type == INT8OID || c.type == NUMERICOID)
				key += text;
			else if (c.type == BOOLOID)
				key += text == "t" ? "true" : "false";
			else
				key += core::json_quote(text);
		}
		return key + "}";
	}

	std::string unit_text(TupleTableSlot *slot) {
		std::string text;
		if (has_unit && column_text(slot, unit_column, text))
			return text;
		return {};
	}
};

// The rules and the calendar are read once per top-level statement (a multi-row statement watched at
// row level reads them once, not per row); a change inside the same statement is seen by the next one.
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

core::Calendar load_calendar_uncached();

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

void record_fault(int64_t version_id, const std::string &table, const std::string *object_key, const Fault &f,
                  const char *path, int64_t batch_rows) {
	Oid types[7] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID};
	Datum values[7] = {Int64GetDatum(version_id), text_datum(table),     object_key ? text_datum(*object_key) : 0,
	                   text_datum(f.sqlstate),    text_datum(f.message), text_datum(f.detail),
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

struct RowHit {
	int64_t version_id;
	std::string key;
	std::string unit;
	core::Hit hit;
};

// The row pass's findings as the seven parallel arrays of oversight.record_hits (rule version, table,
// key, period, unit, message, details; key and details as jsonb text), built directly as datums: no
// JSON document to write and parse again.
struct HitArrays {
	Datum values[7] = {};
	char nulls[8] = "nnnnnnn";
};

HitArrays hit_arrays(const std::vector<RowHit> &hits, const std::string &table) {
	HitArrays out;
	if (hits.empty())
		return out;
	const int n = static_cast<int>(hits.size());
	pg_call([&] {
		Datum *rv = static_cast<Datum *>(palloc(sizeof(Datum) * n));
		Datum *col[6];
		bool *isnull[6];
		for (int c = 0; c < 6; ++c) {
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
			if (h.hit.details.empty())
				isnull[5][i] = true;
			else
				col[5][i] = PointerGetDatum(
				    cstring_to_text_with_len(h.hit.details.data(), static_cast<int>(h.hit.details.size())));
		}
		int dims[1] = {n}, lbs[1] = {1};
		out.values[0] =
		    PointerGetDatum(construct_array(rv, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		for (int c = 0; c < 6; ++c)
			out.values[c + 1] =
			    PointerGetDatum(construct_md_array(col[c], isnull[c], 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
	});
	for (int c = 0; c < 7; ++c)
		out.nulls[c] = ' ';
	return out;
}

// Evaluates every approved rule of the watched table over the rows in store, as the schema owner
// (inside an ElevatedScope); returns the message of the first blocking alert (empty when nothing blocks).
std::string evaluate_batch_elevated(WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path,
                                    const std::vector<Fault> &compile_faults,
                                    const std::vector<int64_t> &compile_fault_versions) {
	TupleDesc tupdesc = RelationGetDescr(rel);
	const int64_t nrows = pg_call([&] { return static_cast<int64_t>(tuplestore_tuple_count(store)); });
	std::string blocking;

	for (size_t i = 0; i < compile_faults.size(); ++i)
		record_fault(compile_fault_versions[i], cfg.table_name, nullptr, compile_faults[i], path, nrows);

	std::vector<const core::CompiledRule *> row_rules, set_rules;
	for (const auto &r : cfg.rules)
		(r.evaluation() == core::Evaluation::Row ? row_rules : set_rules).push_back(&r);
	// Sweep rules run in oversight.sweep(), not on writes.
	set_rules.erase(
	    std::remove_if(set_rules.begin(), set_rules.end(),
	                   [](const core::CompiledRule *r) { return r->evaluation() == core::Evaluation::Sweep; }),
	    set_rules.end());

	// Candidates of each set-based rule (C++ pre-filter); a failed pass leaves every rule a candidate.
	std::vector<bool> candidate(set_rules.size(), false);
	bool prefiltered = false;

	// Pass 1: row-local rules and the pre-filters in C++, one scan of the batch. Its findings are
	// recorded with those of the set-based rules in pass 2.
	HitArrays row_hits; // the row pass's findings (all NULL when none)
	bool have_row_hits = false;
	if (!row_rules.empty() || !set_rules.empty()) {
		std::vector<RowHit> hits;
		std::vector<std::pair<const core::CompiledRule *, std::pair<std::string, Fault>>> row_faults;
		Fault pass_fault;
		bool ok = in_subtransaction(
		    [&] {
			    std::vector<int> fields;
			    bool calendar_needed = false;
			    for (const auto *r : row_rules) {
				    for (const auto &name : core::row_rule_fields(*r))
					    fields.push_back(core::field_index(cfg.kind, name));
				    calendar_needed = calendar_needed || core::needs_calendar(*r);
			    }
			    for (const auto *r : set_rules)
				    for (const auto &name : core::prefilter_fields(*r))
					    fields.push_back(core::field_index(cfg.kind, name));
			    size_t undecided = set_rules.size();
			    static const core::Calendar no_calendar;
			    const core::Calendar &calendar = calendar_needed ? load_calendar() : no_calendar;
			    Converter conv(cfg, fields);
			    conv.resolve_columns(tupdesc);
			    core::Record record;
			    record.fields.resize(core::record_fields(cfg.kind).size());
			    TupleTableSlot *slot = pg_call([&] { return MakeSingleTupleTableSlot(tupdesc, &TTSOpsMinimalTuple); });
			    int reader = pg_call([&] { return tuplestore_alloc_read_pointer(store, EXEC_FLAG_REWIND); });
			    pg_call([&] {
				    tuplestore_select_read_pointer(store, reader);
				    tuplestore_rescan(store);
			    });
			    int64_t seen = 0;
			    core::Hit hit;
			    while (pg_call([&] { return tuplestore_gettupleslot(store, true, false, slot); })) {
				    if ((++seen & 0xFFF) == 0)
					    oversight::check_for_interrupts();
				    conv.convert(slot, record);
				    if (undecided > 0)
					    for (size_t i = 0; i < set_rules.size(); ++i)
						    if (!candidate[i] && core::may_fire(*set_rules[i], record)) {
							    candidate[i] = true;
							    --undecided;
						    }
				    for (const auto *r : row_rules) {
					    try {
						    if (core::evaluate_row(*r, record, calendar, hit))
							    hits.push_back(RowHit{r->version_id, conv.key_json(slot), conv.unit_text(slot), hit});
					    } catch (const oversight::PgError &) {
						    throw; // a PostgreSQL error: handled by the subtransaction
					    } catch (const std::exception &e) {
						    if (row_faults.size() < 100) { // a rule failing on every row is recorded 100 times at most
							    Fault f;
							    f.message = e.what();
							    if (auto *ce = dynamic_cast<const core::Error *>(&e))
								    f.sqlstate = ce->sqlstate();
							    row_faults.push_back({r, {conv.key_json(slot), f}});
						    }
					    }
				    }
			    }
			    pg_call([&] {
				    tuplestore_select_read_pointer(store, 0);
				    ExecDropSingleTupleTableSlot(slot);
			    });
			    prefiltered = true;
			    if (!hits.empty()) {
				    row_hits = hit_arrays(hits, cfg.table_name);
				    have_row_hits = true;
			    }
		    },
		    pass_fault);
		if (!ok)
			record_fault(0, cfg.table_name, nullptr, pass_fault, path, nrows);
		for (const auto &[rule, kf] : row_faults)
			record_fault(rule->version_id, cfg.table_name, &kf.first, kf.second, path, nrows);
	}

	// Pass 2: one statement runs every candidate set-based rule over the whole batch and records all
	// findings of the batch (the row pass's too) with one call of oversight.record_hits, in one
	// subtransaction. Only if it fails are the parts re-run one by one, each in its own subtransaction,
	// so the faulty rule is the one recorded and the findings of the others are kept.
	// Small batches (single-row writes) reuse saved plans; a large batch is planned for its own size.
	std::vector<const core::CompiledRule *> run;
	for (size_t i = 0; i < set_rules.size(); ++i)
		if (!prefiltered || candidate[i]) // otherwise no row of the batch can take part in a finding
			run.push_back(set_rules[i]);
	if (run.empty() && !have_row_hits)
		return blocking;
	const bool small_batch = nrows <= 16;
	bool registered = false;
	if (!run.empty()) {
		EphemeralNamedRelation enr = pg_call([&] {
			auto *e = static_cast<EphemeralNamedRelation>(palloc0(sizeof(EphemeralNamedRelationData)));
			e->md.name = pstrdup(batch_relation);
			e->md.reliddesc = RelationGetRelid(rel);
			e->md.tupdesc = nullptr;
			e->md.enrtype = ENR_NAMED_TUPLESTORE;
			e->md.enrtuples = static_cast<double>(tuplestore_tuple_count(store));
			e->reldata = store;
			return e;
		});
		int rc = pg_call([&] { return SPI_register_relation(enr); });
		if (rc != SPI_OK_REL_REGISTER)
			throw core::Error(core::sqlstate::internal_error,
			                  "could not register the batch relation (" + std::to_string(rc) + ")");
		registered = true;
	}
	// Runs the row hits (when given) and rules as one recording statement; returns the blocking message.
	auto record = [&](const std::vector<const core::CompiledRule *> &rules, bool with_row_hits) {
		Oid types[7] = {INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
		                TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
		HitArrays none;
		HitArrays &args = with_row_hits ? row_hits : none;
		std::string key = "rec|" + std::string(path) + "|" + (with_row_hits ? "h" : "-");
		for (const auto *r : rules)
			key += "|" + std::to_string(r->version_id);
		key += "|" + cfg.signature;
		auto build = [&] { return recording_query(rules, cfg, tupdesc, path, true); };
		SpiResult res;
		if (small_batch)
			res = spi_query_keyed(key, rel, build, 7, types, args.values, args.nulls);
		else
			res = spi_query(build(), 7, types, args.values, args.nulls);
		return !res.rows.empty() && !res.nulls[0][0] ? res.rows[0][0] : std::string();
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
	int guc_level = pg_call([&] {
		int level = NewGUCNestLevel();
		(void)set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		if (!small_batch)
			(void)set_config_option("enable_mergejoin", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
			                        false);
		return level;
	});
	Fault fault;
	std::string found;
	bool ok = in_subtransaction([&] { found = record(run, true); }, fault);
	if (ok) {
		if (blocking.empty())
			blocking = found;
	} else {
		if (have_row_hits) {
			Fault f;
			std::string b;
			if (in_subtransaction([&] { b = record({}, true); }, f)) {
				if (blocking.empty())
					blocking = b;
			} else
				record_fault(0, cfg.table_name, nullptr, f, path, nrows);
		}
		for (const auto *r : run) {
			Fault f;
			std::string b;
			if (in_subtransaction([&] { b = record({r}, false); }, f)) {
				if (blocking.empty())
					blocking = b;
			} else
				record_fault(r->version_id, cfg.table_name, nullptr, f, path, nrows);
		}
	}
	pg_call([&] { AtEOXact_GUC(true, guc_level); });
	if (registered)
		pg_call([] { SPI_unregister_relation(batch_relation); });
	return blocking;
}

std::string evaluate_batch(WatchConfig &cfg, Relation rel, Tuplestorestate *store, const char *path,
                           const std::vector<Fault> &compile_faults,
                           const std::vector<int64_t> &compile_fault_versions) {
	ElevatedScope elevated(cfg.schema_owner);
	std::string blocking = evaluate_batch_elevated(cfg, rel, store, path, compile_faults, compile_fault_versions);
	elevated.leave();
	return blocking;
}

} // namespace

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
	Tuplestorestate *store = nullptr;
	if (!row_level) {
		store = trigdata->tg_newtable;
		if (!store)
			throw core::Error("39P01", "the statement trigger must declare REFERENCING NEW TABLE");
		if (pg_call([&] { return tuplestore_tuple_count(store); }) == 0)
			return PointerGetDatum(nullptr);
	}
	pg_call([] { SPI_connect(); });
	WatchConfig cfg;
	std::vector<Fault> compile_faults;
	std::vector<int64_t> compile_fault_versions;
	Oid relid = RelationGetRelid(rel);
	// The configuration is read as the schema owner too (writers need no rights on the rule tables).
	Oid owner = schema_owner();
	WatchState state;
	{
		static StatementKey cached_key;
		static Oid cached_relid = InvalidOid;
		static WatchState cached_state = WatchState::NotWatched;
		static WatchConfig cached_cfg;
		static std::vector<Fault> cached_faults;
		static std::vector<int64_t> cached_fault_versions;
		StatementKey now = current_statement();
		if (row_level && cached_key == now && cached_relid == relid) {
			state = cached_state;
			cfg = cached_cfg;
			compile_faults = cached_faults;
			compile_fault_versions = cached_fault_versions;
		} else {
			ElevatedScope elevated(owner);
			std::string broken;
			state = load_config(relid, RelationGetDescr(rel), cfg, compile_faults, compile_fault_versions, broken);
			if (state == WatchState::Broken) { // never block the business table: disable the watch, say why
				disable_watch(relid, broken);
				state = WatchState::NotWatched;
			}
			elevated.leave();
			cached_key = StatementKey{};
			cached_relid = relid;
			cached_state = state;
			cached_cfg = cfg;
			cached_faults = compile_faults;
			cached_fault_versions = compile_fault_versions;
			cached_key = now;
		}
	}
	std::string blocking;
	if (state == WatchState::Watched && (!cfg.rules.empty() || !compile_faults.empty())) {
		if (row_level) {
			HeapTuple tuple = TRIGGER_FIRED_BY_UPDATE(ev) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
			store = pg_call([&] {
				Tuplestorestate *ts = tuplestore_begin_heap(false, false, work_mem);
				tuplestore_puttuple(ts, tuple);
				return ts;
			});
		}
		blocking =
		    evaluate_batch(cfg, rel, store, row_level ? "row" : "statement", compile_faults, compile_fault_versions);
		if (row_level)
			pg_call([&] { tuplestore_end(store); });
	}
	pg_call([] { SPI_finish(); });
	if (!blocking.empty())
		throw core::Error(
		    "OV100", "write blocked by oversight rule: " + blocking, {},
		    "A blocking rule (preventive hold) fired; correct the record, or have an inspector approve a waiver.");
	return PointerGetDatum(nullptr);
}

// Runs the deadline (sweep) rules of one watched table as of a timestamp; returns the rules run.
OVERSIGHT_FUNCTION(oversight_sweep_table) {
	Oid relid = PG_GETARG_OID(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	pg_call([] { SPI_connect(); });
	// A table dropped since sweep() listed it is skipped (sweep() records it); never an error for everyone.
	Relation rel = pg_call([&] { return try_relation_open(relid, AccessShareLock); });
	if (!rel) {
		pg_call([] { SPI_finish(); });
		PG_RETURN_INT32(0);
	}
	WatchConfig cfg;
	std::vector<Fault> compile_faults;
	std::vector<int64_t> compile_fault_versions;
	Oid owner = schema_owner();
	int32 ran = 0;
	{
		ElevatedScope elevated(owner);
		std::string broken;
		WatchState state =
		    load_config(relid, RelationGetDescr(rel), cfg, compile_faults, compile_fault_versions, broken);
		if (state == WatchState::Broken)
			disable_watch(relid, broken);
		if (state == WatchState::Watched) {
			for (size_t i = 0; i < compile_faults.size(); ++i)
				record_fault(compile_fault_versions[i], cfg.table_name, nullptr, compile_faults[i], "sweep", 0);
			for (const auto &r : cfg.rules) {
				if (r.evaluation() != core::Evaluation::Sweep)
					continue;
				Fault fault;
				Oid types[1] = {TIMESTAMPTZOID};
				Datum values[1] = {TimestampTzGetDatum(as_of)};
				bool ok = in_subtransaction(
				    [&] {
					    spi_query_cached(recording_query(r, cfg, RelationGetDescr(rel), "sweep"), 1, types, values);
				    },
				    fault);
				if (!ok)
					record_fault(r.version_id, cfg.table_name, nullptr, fault, "sweep", 0);
				++ran;
			}
		}
		elevated.leave();
	}
	pg_call([&] { relation_close(rel, AccessShareLock); });
	pg_call([] { SPI_finish(); });
	PG_RETURN_INT32(ran);
}
