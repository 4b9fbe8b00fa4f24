// Elevated SQL for the engine and the audit trigger (see oversight/engine/elevated.hpp).
#include "oversight/engine/elevated.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "utils/guc.h"
#include "utils/syscache.h"
}

#include "oversight/core/sql_names.hpp"

namespace oversight::engine {

Oid schema_owner() {
	return pg_call([] {
		Oid nsp = get_namespace_oid("oversight", false);
		HeapTuple tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for schema oversight");
		Oid owner = ((Form_pg_namespace)GETSTRUCT(tup))->nspowner;
		ReleaseSysCache(tup);
		return owner;
	});
}

void require_qualified(const std::string &sql) {
	auto names = core::unqualified_names(sql);
	if (names.empty())
		return;
	std::string list;
	for (const auto &n : names)
		list += (list.empty() ? "" : ", ") + n;
	throw core::Error(core::sqlstate::internal_error, "engine SQL names " + list + " without a schema: refused",
	                  sql.substr(0, 400),
	                  "Every function and type in SQL run with elevated rights must be schema-qualified.");
}

SPIPlanPtr keep_plan(const std::string &sql, int nargs, Oid *types) {
	require_qualified(sql);
	SPIPlanPtr plan = pg_call([&] {
		// One generic plan: the engine's statements take arrays and ephemeral relations whose sizes make the
		// plan cache's custom plans look cheaper, so it re-planned them on every call (7-8 % of a single-row
		// insert's time under perf); every one of them is a keyed lookup or a small batch's statement.
		SPIPlanPtr p = SPI_prepare_cursor(sql.c_str(), nargs, types, CURSOR_OPT_GENERIC_PLAN);
		if (p)
			SPI_keepplan(p);
		return p;
	});
	if (!plan)
		throw core::Error(core::sqlstate::internal_error, "could not prepare: " + sql.substr(0, 200));
	return plan;
}

ElevatedScope::ElevatedScope(Oid owner) {
	GetUserIdAndSecContext(&saved_user_, &saved_context_); // reads two globals: cannot raise
	SetUserIdAndSecContext(owner, saved_context_ | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	try {
		guc_level_ = pg_call([] {
			int level = NewGUCNestLevel();
			(void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
			                        true, 0, false);
			return level;
		});
	} catch (...) {
		SetUserIdAndSecContext(saved_user_, saved_context_);
		throw;
	}
}

void ElevatedScope::leave() {
	if (guc_level_ > 0) {
		int level = guc_level_;
		guc_level_ = 0;
		pg_call([&] { AtEOXact_GUC(true, level); });
	}
}

ElevatedScope::~ElevatedScope() {
	SetUserIdAndSecContext(saved_user_, saved_context_);
} // cannot raise

UnrestrictedScope::UnrestrictedScope() {
	GetUserIdAndSecContext(&saved_user_, &saved_context_);
	SetUserIdAndSecContext(saved_user_, saved_context_ & ~SECURITY_RESTRICTED_OPERATION);
}

UnrestrictedScope::~UnrestrictedScope() {
	SetUserIdAndSecContext(saved_user_, saved_context_);
} // cannot raise

} // namespace oversight::engine
