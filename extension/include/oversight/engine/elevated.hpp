// Running SQL with the rights of the owner of schema oversight, safely, on behalf of any writer.
//
// The engine and the audit trigger act for writers who have no rights on the alert and audit tables,
// the way PostgreSQL's foreign-key triggers act as the table owner. While elevated:
//   - the current user is the schema owner, in a security-restricted operation (no temporary
//     objects, no SET ROLE: what PostgreSQL does when VACUUM or a materialized-view refresh runs as a
//     table owner);
//   - search_path is "pg_catalog, pg_temp", so neither the writer's path nor pg_temp resolves a name;
//   - every statement is refused unless each function and type it names is schema-qualified
//     (require_qualified; core::unqualified_names finds them).
// README "Security rules" states the rule; tests/pgtap/090_security_attacks.sql replays the attacks.
#pragma once

#include "oversight/guard.hpp"

extern "C" {
#include "executor/spi.h"
}

#include <string>

namespace oversight::engine {

// Owner of schema oversight: the role elevated SQL runs as.
Oid schema_owner();

// Throws (XX000) when sql names a function or type without a schema.
void require_qualified(const std::string &sql);

// Prepares sql (after require_qualified) and keeps the plan for the backend's lifetime.
SPIPlanPtr keep_plan(const std::string &sql, int nargs, Oid *types);

// Elevation for the lifetime of the object. The user is restored on scope exit; the search_path by
// leave() on the normal path, or by the (sub)transaction abort that follows any error escaping the
// scope (the pattern of fmgr_security_definer). Never hold one inside a try that swallows errors.
class ElevatedScope {
public:
	explicit ElevatedScope(Oid owner);
	void leave();
	~ElevatedScope();
	ElevatedScope(const ElevatedScope &) = delete;
	ElevatedScope &operator=(const ElevatedScope &) = delete;

private:
	Oid saved_user_ = InvalidOid;
	int saved_context_ = 0;
	int guc_level_ = 0;
};

// Inside an ElevatedScope, for one statement that must queue a deferred trigger event (PostgreSQL refuses
// to queue one in a security-restricted operation): the user stays the schema owner, the restriction is
// lifted for the lifetime of the object. Only for statements that run no code a writer controls (the
// insert into oversight.pending_evaluation: a pg_catalog default, a primary key, the extension's own
// deferred trigger). An error inside is rolled back by the enclosing subtransaction, which restores the
// context as well.
class UnrestrictedScope {
public:
	UnrestrictedScope();
	~UnrestrictedScope();
	UnrestrictedScope(const UnrestrictedScope &) = delete;
	UnrestrictedScope &operator=(const UnrestrictedScope &) = delete;

private:
	Oid saved_user_ = InvalidOid;
	int saved_context_ = 0;
};

} // namespace oversight::engine
