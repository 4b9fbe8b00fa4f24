// The audit trigger of the extension's tables (oversight.audit_row_change).
//
// Row level, AFTER INSERT/UPDATE/DELETE: one audit entry per changed row, with its key, the row before
// and after, and the role whose privileges made the change. Statement level, AFTER INSERT with a
// transition table: one entry per INSERT statement, with the number of rows and the key of each (bulk
// loads stay cheap, and the trail still says who added which rows, when).
//
// Why C, and not a SECURITY DEFINER PL/pgSQL function: the trigger must record the writer's own role
// (a SECURITY DEFINER function only ever sees its owner as current_user), and must not be usable by
// anyone to write audit entries of their own: it runs with the writer's rights, refuses any table
// outside schema oversight, and writes the entry as the schema owner through an ElevatedScope.
#include "oversight/engine/elevated.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "access/htup_details.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include <string>
#include <unordered_map>
#include <vector>

#include "oversight/core/rules.hpp"

namespace core = oversight::core;
using oversight::pg_call;
using oversight::engine::ElevatedScope;

namespace {

std::string quote_ident(const char *s) {
	const char *quoted = pg_call([&] { return quote_identifier(s); });
	return quoted;
}

// Saved plans by relation and event: the statement embeds the table's key columns and row type.
SPIPlanPtr audit_plan(const std::string &key, const std::string &sql, int nargs, Oid *types) {
	static std::unordered_map<std::string, SPIPlanPtr> plans; // lives for the backend
	auto it = plans.find(key);
	if (it != plans.end())
		return it->second;
	SPIPlanPtr plan = oversight::engine::keep_plan(sql, nargs, types);
	plans.emplace(key, plan);
	return plan;
}

// The entry as the audit trigger writes it: columns filled by the statement, the number by the identity
// column (the trigger's transaction holds its id already: it wrote the row). The time is oversight.now(),
// with the transaction time taken directly when no clock is injected (the usual case, on every row).
constexpr const char *insert_entry = "INSERT INTO oversight.audit_log (recorded_at, actor, acting_role, action, "
                                     "table_name, object_key, old_row, new_row, reason, transaction_id) ";
constexpr const char *recorded_at = "CASE WHEN COALESCE(pg_catalog.current_setting('oversight.now', true), '') = '' "
                                    "THEN pg_catalog.now() ELSE oversight.now() END";
constexpr const char *reason = "NULLIF(pg_catalog.current_setting('oversight.reason', true), '')";

// True when the two versions of a row hold the same value in every column (byte for byte).
bool same_row(Relation rel, HeapTuple old_tuple, HeapTuple new_tuple) {
	return pg_call([&] {
		TupleDesc desc = RelationGetDescr(rel);
		for (int i = 1; i <= desc->natts; ++i) {
			Form_pg_attribute attr = TupleDescAttr(desc, i - 1);
			if (attr->attisdropped)
				continue;
			bool old_null, new_null;
			Datum old_value = heap_getattr(old_tuple, i, desc, &old_null);
			Datum new_value = heap_getattr(new_tuple, i, desc, &new_null);
			if (old_null != new_null ||
			    (!old_null && !datum_image_eq(old_value, new_value, attr->attbyval, attr->attlen)))
				return false;
		}
		return true;
	});
}

Datum text_datum(const std::string &s) {
	return pg_call([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size()))); });
}

} // namespace

OVERSIGHT_FUNCTION(oversight_audit_row_change) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		throw core::Error("39P01", "oversight.audit_row_change() must be called as a trigger");
	auto *td = reinterpret_cast<TriggerData *>(fcinfo->context);
	const TriggerEvent ev = td->tg_event;
	Relation rel = td->tg_relation;
	const Oid relid = RelationGetRelid(rel);
	const Oid oversight_nsp = pg_call([] { return get_namespace_oid("oversight", false); });
	const bool row_level = TRIGGER_FIRED_FOR_ROW(ev);
	if (RelationGetNamespace(rel) != oversight_nsp || !TRIGGER_FIRED_AFTER(ev) || TRIGGER_FIRED_BY_TRUNCATE(ev) ||
	    (!row_level && (!TRIGGER_FIRED_BY_INSERT(ev) || !td->tg_trigger->tgnewtable)))
		throw core::Error("42501",
		                  "oversight.audit_row_change() 只能由扩展挂在其自身的表上 / may only be attached by the "
		                  "extension to its own tables",
		                  {}, "AFTER ROW for changes, or AFTER INSERT FOR EACH STATEMENT with REFERENCING NEW TABLE.");
	// Rows written by the extension's own scripts are shipped data, recreated by CREATE EXTENSION on
	// restore: not the bureau's history.
	if (creating_extension)
		return PointerGetDatum(nullptr);

	const std::string table = std::string("oversight.") + RelationGetRelationName(rel);
	const std::string acting_role = pg_call([] { return GetUserNameFromId(GetUserId(), false); });
	std::vector<std::string> key_columns;
	for (int i = 0; i < td->tg_trigger->tgnargs; ++i)
		key_columns.emplace_back(td->tg_trigger->tgargs[i]);
	const Oid owner = oversight::engine::schema_owner();

	// An update that changes nothing is not a change (the loader re-states rows; a DBA re-saves a form).
	if (row_level && TRIGGER_FIRED_BY_UPDATE(ev) && same_row(rel, td->tg_trigtuple, td->tg_newtuple))
		return PointerGetDatum(nullptr);

	pg_call([] { SPI_connect(); });
	ElevatedScope elevated(owner);
	if (row_level) {
		const char *action = TRIGGER_FIRED_BY_INSERT(ev) ? "insert" : TRIGGER_FIRED_BY_UPDATE(ev) ? "update" : "delete";
		const bool key_from_old = TRIGGER_FIRED_BY_DELETE(ev);
		std::string key = "pg_catalog.jsonb_build_object(";
		for (size_t i = 0; i < key_columns.size(); ++i)
			key += (i ? ", " : "") + core::sql_literal(key_columns[i]) + ", (" + (key_from_old ? "$3" : "$4") + ")." +
			       quote_ident(key_columns[i].c_str());
		key += ")";
		// $1 action, $2 table, $3 old row, $4 new row, $5 acting role.
		std::string sql = std::string(insert_entry) + "VALUES (" + recorded_at + ", session_user, $5, $1, $2, " + key +
		                  ", pg_catalog.to_jsonb($3), pg_catalog.to_jsonb($4), " + reason +
		                  ", pg_catalog.txid_current())";
		Oid rowtype = rel->rd_rel->reltype;
		Oid types[5] = {TEXTOID, TEXTOID, rowtype, rowtype, TEXTOID};
		SPIPlanPtr plan = audit_plan(std::to_string(relid) + (key_from_old ? "|old" : "|new"), sql, 5, types);
		Datum values[5] = {text_datum(action), text_datum(table), 0, 0, text_datum(acting_role)};
		char nulls[6] = "  nn ";
		TupleDesc tupdesc = RelationGetDescr(rel);
		pg_call([&] {
			if (!TRIGGER_FIRED_BY_INSERT(ev)) {
				values[2] = heap_copy_tuple_as_datum(td->tg_trigtuple, tupdesc);
				nulls[2] = ' ';
			}
			if (!TRIGGER_FIRED_BY_DELETE(ev)) {
				values[3] =
				    heap_copy_tuple_as_datum(TRIGGER_FIRED_BY_UPDATE(ev) ? td->tg_newtuple : td->tg_trigtuple, tupdesc);
				nulls[3] = ' ';
			}
		});
		int rc = pg_call([&] { return SPI_execute_plan(plan, values, nulls, false, 0); });
		if (rc != SPI_OK_INSERT)
			throw core::Error(core::sqlstate::internal_error, "audit entry not written (" + std::to_string(rc) + ")");
	} else {
		// One entry for the statement: how many rows it inserted and the key of each.
		pg_call([&] { SPI_register_trigger_data(td); });
		// The key of each row: its value for a one-column key, an array of values otherwise (aggregating
		// plain values is five times cheaper on a million-row load than building an array per row).
		std::string keys = key_columns.size() == 1 ? "" : "pg_catalog.jsonb_build_array(";
		std::string columns = "[";
		for (size_t i = 0; i < key_columns.size(); ++i) {
			keys += (i ? ", " : "") + std::string("t.") + quote_ident(key_columns[i].c_str());
			columns += (i ? ", " : "") + core::json_quote(key_columns[i]);
		}
		keys += key_columns.size() == 1 ? "" : ")";
		columns += "]";
		// $1 table, $2 acting role.
		std::string sql = std::string(insert_entry) + "SELECT " + recorded_at +
		                  ", session_user, $2, 'insert', $1, NULL, NULL, "
		                  "pg_catalog.jsonb_build_object('rows', pg_catalog.count(*), 'key_columns', " +
		                  core::sql_literal(columns) + "::pg_catalog.jsonb, 'keys', pg_catalog.jsonb_agg(" + keys +
		                  ")), " + reason + ", pg_catalog.txid_current() FROM " +
		                  quote_ident(td->tg_trigger->tgnewtable) + " t HAVING pg_catalog.count(*) > 0";
		Oid types[2] = {TEXTOID, TEXTOID};
		SPIPlanPtr plan = audit_plan(std::to_string(relid) + "|statement", sql, 2, types);
		Datum values[2] = {text_datum(table), text_datum(acting_role)};
		int rc = pg_call([&] { return SPI_execute_plan(plan, values, nullptr, false, 0); });
		if (rc != SPI_OK_INSERT)
			throw core::Error(core::sqlstate::internal_error, "audit entry not written (" + std::to_string(rc) + ")");
	}
	elevated.leave();
	pg_call([] { SPI_finish(); });
	return PointerGetDatum(nullptr);
}
