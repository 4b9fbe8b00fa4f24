// Running the rules again on the records behind an alert (a rectification is verified only when the
// rule no longer finds what it found): which rows of a watched table an alert's object key names, and
// the query that reads them whole. Pure C++: no PostgreSQL headers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oversight/core/batch_sql.hpp"

namespace oversight::core {

// The columns of the watched table that an alert's object key names, in the key's order: a key column
// of the table by its own name, or a canonical field of the record kind mapped onto a column (aggregate
// alerts are keyed by a field such as contract_code). Empty when some name is neither: the alert's
// records are not in this table.
struct RecheckColumn {
	int key_index = -1;   // a key column: index into shape.key_columns
	int bound_field = -1; // else a mapped field: index into shape.fields
	std::string quoted;   // the column's name, quoted as an identifier
};
std::vector<RecheckColumn> recheck_columns(const TableShape &shape, const std::vector<std::string> &key_names);

// SELECT of the whole rows (one composite column, the table's own row type) whose columns equal
// $1, $2, … in order; columns as recheck_columns gave them.
std::string recheck_query(const TableShape &shape, const std::vector<RecheckColumn> &columns);

} // namespace oversight::core
