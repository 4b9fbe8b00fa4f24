// Which names in a piece of SQL would be looked up through search_path.
//
// The engine runs its SQL as the owner of schema oversight on behalf of any writer. A function or type
// named without a schema is resolved through search_path, and a writer controls both the path and the
// temporary schema pg_temp (searched first for types when the path does not list it). The engine pins
// search_path to "pg_catalog, pg_temp" while it is elevated, and on top of that refuses to run any
// statement in which a function or type is not schema-qualified: this scanner finds them.
// Operators are not qualified (OPERATOR(pg_catalog.=) everywhere would make the rules unreadable):
// pg_temp is never searched for operators, and the pinned path leaves only pg_catalog's.
#pragma once

#include <string>
#include <vector>

namespace oversight::core {

// Unqualified function calls ("abs(") and type names ("::text", "date '2024-01-01'") in sql, in order
// of appearance. SQL syntax that only looks like a call (COALESCE, EXISTS, IN, alias column lists after
// AS, ...) is not reported; string literals, quoted identifiers and comments are skipped.
std::vector<std::string> unqualified_names(const std::string &sql);

} // namespace oversight::core
