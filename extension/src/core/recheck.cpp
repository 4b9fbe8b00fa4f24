#include "oversight/core/recheck.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

std::vector<RecheckColumn> recheck_columns(const TableShape &shape, const std::vector<std::string> &key_names) {
	std::vector<RecheckColumn> columns;
	if (key_names.empty())
		return columns;
	const auto &fields = record_fields(shape.kind);
	for (const auto &name : key_names) {
		RecheckColumn column;
		for (size_t k = 0; k < shape.key_columns.size() && column.quoted.empty(); ++k)
			if (shape.key_columns[k] == name)
				column = {static_cast<int>(k), -1, shape.quoted_key_columns[k]};
		for (size_t b = 0; b < shape.fields.size() && column.quoted.empty(); ++b) {
			const BoundField &bound = shape.fields[b];
			if (bound.field >= 0 && static_cast<size_t>(bound.field) < fields.size() &&
			    name == fields[static_cast<size_t>(bound.field)].name)
				column = {-1, static_cast<int>(b), bound.quoted_column};
		}
		if (column.quoted.empty())
			return {};
		columns.push_back(column);
	}
	return columns;
}

std::string recheck_query(const TableShape &shape, const std::vector<RecheckColumn> &columns) {
	std::string sql = "SELECT t FROM " + shape.table_name + " t WHERE ";
	for (size_t i = 0; i < columns.size(); ++i)
		sql += (i ? " AND t." : "t.") + columns[i].quoted + " = $" + std::to_string(i + 1);
	return sql;
}

} // namespace oversight::core
