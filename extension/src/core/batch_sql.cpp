#include "oversight/core/batch_sql.hpp"

#include <cstring>

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

std::string relation_view(const TableShape &shape, const std::string &from) {
	const auto &fields = record_fields(shape.kind);
	std::string sql = "(SELECT ";
	for (size_t i = 0; i < fields.size(); ++i) {
		const std::string canonical_type = sql_type_name(fields[i].type);
		std::string expr = "NULL::pg_catalog." + canonical_type;
		for (const auto &b : shape.fields)
			if (b.field == static_cast<int>(i)) {
				expr = "t." + b.quoted_column;
				bool same = b.type_name == canonical_type ||
				            (canonical_type == "timestamptz" && b.type_name == "timestamp with time zone");
				if (!same)
					expr = "(" + expr + ")::pg_catalog." + canonical_type;
			}
		sql += expr + " AS " + fields[i].name + ", ";
	}
	// The alert key, as SQL (key_json below writes the same object from C++).
	sql += "pg_catalog.jsonb_build_object(";
	for (size_t k = 0; k < shape.key_columns.size(); ++k)
		sql += (k ? ", " : "") + sql_literal(shape.key_columns[k]) + ", t." + shape.quoted_key_columns[k];
	sql += ") AS __key, ";
	for (size_t k = 0; k < shape.key_columns.size(); ++k)
		sql += "t." + shape.quoted_key_columns[k] + " AS __k" + std::to_string(k) + ", ";
	const char *unit = unit_field(shape.kind);
	std::string unit_expr = "NULL::pg_catalog.text";
	if (unit)
		for (const auto &b : shape.fields)
			if (std::strcmp(fields[static_cast<size_t>(b.field)].name, unit) == 0)
				unit_expr = "(t." + b.quoted_column + ")::pg_catalog.text";
	sql += unit_expr + " AS __unit FROM " + from + " t)";
	return sql;
}

std::string instantiate(const CompiledRule &rule, const TableShape &shape) {
	std::string sql = rule_sql(rule);
	if (sql.find("{batch}") != std::string::npos)
		sql = substitute(sql, "batch", relation_view(shape, batch_relation));
	if (sql.find("{hist}") != std::string::npos)
		sql = substitute(sql, "hist", relation_view(shape, shape.table_name));
	sql = substitute(sql, "table", sql_literal(shape.table_name));
	// {other_row:h:b}: the two rows differ in a key column (same truth as h.__key <> b.__key: jsonb
	// null equals null, hence IS DISTINCT FROM).
	std::string differs;
	for (size_t k = 0; k < shape.key_columns.size(); ++k) {
		std::string col = "__k" + std::to_string(k);
		differs += (k ? " OR " : "") + std::string("h.") + col + " IS DISTINCT FROM b." + col;
	}
	return substitute(sql, "other_row:h:b", shape.key_columns.empty() ? "h.__key <> b.__key" : "(" + differs + ")");
}

std::string recording_query(const std::vector<const CompiledRule *> &rules, const TableShape &shape, const char *path,
                            bool with_row_hits) {
	std::string parts;
	if (with_row_hits) // $1..$8: the row pass's hits as parallel arrays (NULL when none), messages rendered
		parts = "SELECT x.rv, x.tb, x.k::pg_catalog.jsonb, x.p, x.u, x.m, x.mz, x.d::pg_catalog.jsonb FROM ROWS FROM "
		        "(pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.text[]), "
		        "pg_catalog.unnest($3::pg_catalog.text[]), pg_catalog.unnest($4::pg_catalog.text[]), "
		        "pg_catalog.unnest($5::pg_catalog.text[]), pg_catalog.unnest($6::pg_catalog.text[]), "
		        "pg_catalog.unnest($7::pg_catalog.text[]), pg_catalog.unnest($8::pg_catalog.text[])) "
		        "AS x(rv, tb, k, p, u, m, mz, d)";
	for (const auto *rule : rules) {
		if (!parts.empty())
			parts += "\n UNION ALL\n";
		// The rule's findings carry their values (details); their messages in English and Chinese are the
		// kind's templates filled with them, by the same renderer as the row pass's (a function in FROM:
		// once per finding).
		parts += "SELECT " + std::to_string(rule->version_id) +
		         "::pg_catalog.int8, q.object_table, q.object_key, q.period, q.unit_code, (m.texts)[1], (m.texts)[2], "
		         "q.details FROM (" +
		         instantiate(*rule, shape) +
		         ") AS q(object_table, object_key, period, unit_code, details) CROSS JOIN LATERAL "
		         "oversight.finding_messages(" +
		         sql_literal(rule->kind) + ", q.details, false) AS m(texts)";
	}
	return "SELECT r.blocking_message FROM (SELECT pg_catalog.array_agg(q.rv), pg_catalog.array_agg(coalesce(q.tb, " +
	       sql_literal(shape.table_name) +
	       ")), pg_catalog.array_agg(q.k), pg_catalog.array_agg(coalesce(q.p, '')), pg_catalog.array_agg(q.u), "
	       "pg_catalog.array_agg(q.m), pg_catalog.array_agg(q.mz), pg_catalog.array_agg(q.d) FROM (" +
	       parts +
	       ") AS q(rv, tb, k, p, u, m, mz, d)) AS a(rv, tb, k, p, u, m, mz, d) "
	       "CROSS JOIN LATERAL oversight.record_hits(a.rv, a.tb, a.k, a.p, a.u, a.m, a.mz, a.d, " +
	       sql_literal(path) + ") AS r WHERE a.rv IS NOT NULL";
}

std::string key_json(const std::vector<KeyPart> &parts) {
	// jsonb_build_object semantics for the common types: numbers with their PostgreSQL text (numeric
	// scale kept), booleans as true/false, everything else as a string.
	std::string key = "{";
	for (const auto &p : parts) {
		if (key.size() > 1)
			key += ", ";
		key += json_quote(*p.name) + ": ";
		if (p.null)
			key += "null";
		else if (p.kind == KeyValue::Number)
			key += p.text;
		else if (p.kind == KeyValue::Bool)
			key += p.text == "t" ? "true" : "false";
		else
			key += json_quote(p.text);
	}
	return key + "}";
}

} // namespace oversight::core
