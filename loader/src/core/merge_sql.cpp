#include "core/merge_sql.hpp"

#include <algorithm>

namespace oversight::loader {
namespace {

// Which subcommand loads a referenced table: the hint in a refusal reason.
std::string loader_for(const std::string &table) {
	for (const auto &k : record_kinds())
		if (k.table == table)
			return "oversight-load " + k.command;
	return "oversight-load ocds";
}

std::string join(const std::vector<std::string> &parts, const std::string &sep, const std::string &prefix = {}) {
	std::string out;
	for (size_t i = 0; i < parts.size(); ++i)
		out += (i ? sep : "") + prefix + parts[i];
	return out;
}

} // namespace

std::string quote_ident(const std::string &name) {
	std::string out = "\"";
	for (char c : name)
		out += c == '"' ? std::string("\"\"") : std::string(1, c);
	return out + "\"";
}

std::string quote_literal(const std::string &text) {
	std::string out = "'";
	for (char c : text)
		out += c == '\'' ? std::string("''") : std::string(1, c);
	return out + "'";
}

std::string quarantine_statement(const std::string &stage, const std::string &using_clause,
                                 const std::string &condition, const std::string &field, const std::string &reason_expr,
                                 const std::string &extra_returning) {
	// The raw text of a row refused at merge time is the row as staged (validated values), as JSON.
	return "WITH refused AS (DELETE FROM " + stage + " s" + (using_clause.empty() ? "" : " USING " + using_clause) +
	       " WHERE " + condition + " RETURNING s.*" + (extra_returning.empty() ? "" : ", " + extra_returning) +
	       "), recorded AS (INSERT INTO oversight.quarantine (load_id, line_no, file_name, field, reason, raw_text) "
	       "SELECT $1, r.line_no, $2, " +
	       (field.empty() ? std::string("NULL") : quote_literal(field)) + ", " + reason_expr +
	       ", (pg_catalog.to_jsonb(r) - 'line_no' - 'first_line')::text FROM refused r RETURNING line_no) "
	       "INSERT INTO " +
	       refused_at_merge_table + " SELECT line_no FROM recorded";
}

std::string upsert_statement(const std::string &table, const std::vector<std::string> &columns,
                             const std::vector<std::string> &key, const std::string &conflict_target,
                             const std::string &select_sql, const std::string &extra_condition) {
	std::vector<std::string> quoted, sets, stored, excluded;
	for (const auto &c : columns) {
		quoted.push_back(quote_ident(c));
		if (std::find(key.begin(), key.end(), c) != key.end())
			continue;
		sets.push_back(quote_ident(c) + " = EXCLUDED." + quote_ident(c));
		stored.push_back("t." + quote_ident(c));
		excluded.push_back("EXCLUDED." + quote_ident(c));
	}
	std::string action = "DO NOTHING";
	if (!sets.empty()) {
		// Only a real change updates the row: no dead tuples, and audit entries for corrections only.
		std::string differs = sets.size() == 1
		                          ? stored[0] + " IS DISTINCT FROM " + excluded[0]
		                          : "(" + join(stored, ", ") + ") IS DISTINCT FROM (" + join(excluded, ", ") + ")";
		action = "DO UPDATE SET " + join(sets, ", ") + " WHERE " + differs +
		         (extra_condition.empty() ? "" : " AND " + extra_condition);
	}
	// xmax = 0 marks a freshly inserted row; a row updated by ON CONFLICT carries this transaction's xmax.
	return "WITH merged AS (INSERT INTO oversight." + quote_ident(table) + " AS t (" + join(quoted, ", ") + ") " +
	       select_sql + " ON CONFLICT " + conflict_target + " " + action +
	       " RETURNING (t.xmax = 0) AS inserted) SELECT pg_catalog.count(*) FILTER (WHERE inserted), "
	       "pg_catalog.count(*) FILTER (WHERE NOT inserted) FROM merged";
}

CsvMergePlan plan_csv_merge(const RecordKind &kind, const std::vector<int> &staged_fields) {
	CsvMergePlan plan;
	std::vector<std::string> columns, typed_columns;
	for (int f : staged_fields) {
		const FieldSpec &spec = kind.fields[static_cast<size_t>(f)];
		columns.push_back(quote_ident(spec.name));
		typed_columns.push_back(quote_ident(spec.name) + " " + spec.sql_type());
	}
	plan.create_stage =
	    "CREATE TEMP TABLE oversight_stage (line_no bigint NOT NULL, " + join(typed_columns, ", ") +
	    ") ON COMMIT DROP; CREATE TEMP TABLE oversight_client_refused (line_no bigint NOT NULL, field text, reason "
	    "text NOT NULL, "
	    "raw_text text) ON COMMIT DROP; CREATE TEMP TABLE oversight_refused_at_merge (line_no bigint) ON COMMIT DROP";
	plan.copy_columns = {"line_no"};
	plan.copy_columns.insert(plan.copy_columns.end(), columns.begin(), columns.end());

	plan.quarantine_client_rejects = "INSERT INTO oversight.quarantine (load_id, line_no, file_name, field, reason, "
	                                 "raw_text) SELECT $1, line_no, $2, "
	                                 "field, reason, raw_text FROM " +
	                                 client_refused_table + " ORDER BY line_no";

	std::vector<std::string> key_columns;
	for (const auto &k : kind.key)
		key_columns.push_back(quote_ident(k));
	std::string key_list = join(key_columns, ", ");
	std::string key_text = "pg_catalog.concat_ws(', ', " + join(key_columns, ", ", "r.") + ")";
	plan.quarantine_duplicate_keys = quarantine_statement(
	    stage_table,
	    "(SELECT line_no, first_line FROM (SELECT line_no, pg_catalog.min(line_no) OVER w AS first_line, "
	    "pg_catalog.row_number() OVER w AS n FROM " +
	        stage_table + " WINDOW w AS (PARTITION BY " + key_list + " ORDER BY line_no)) numbered WHERE n > 1) d",
	    "s.line_no = d.line_no", kind.key.size() == 1 ? kind.key.front() : std::string(),
	    "pg_catalog.format('\"%s\" appears again: duplicate %s within the file (first at line %s, kept there)', " +
	        key_text + ", " + quote_literal(join(kind.key, ", ")) + ", r.first_line)",
	    "d.first_line");

	for (int f : staged_fields) {
		const FieldSpec &spec = kind.fields[static_cast<size_t>(f)];
		if (!spec.references)
			continue;
		const Reference &ref = *spec.references;
		std::string col = quote_ident(spec.name);
		std::string condition = "s." + col + " IS NOT NULL AND NOT EXISTS (SELECT FROM oversight." +
		                        quote_ident(ref.table) + " t WHERE t." + quote_ident(ref.column) + " = s." + col + ")";
		std::string reason = "pg_catalog.format('\"%s\" is not a known %s (load it first: %s)', r." + col + ", " +
		                     quote_literal(ref.table) + ", " + quote_literal(loader_for(ref.table)) + ")";
		bool self_reference = ref.table == kind.table;
		if (self_reference) // the referenced row may come in the same file
			condition += " AND NOT EXISTS (SELECT FROM " + stage_table + " o WHERE o." + quote_ident(ref.column) +
			             " = s." + col + ")";
		(self_reference ? plan.quarantine_self_references : plan.quarantine_checks)
		    .push_back(quarantine_statement(stage_table, {}, condition, spec.name, reason));
	}
	for (const auto &check : kind.merge_checks) {
		bool staged = false;
		for (int f : staged_fields)
			staged = staged || kind.fields[static_cast<size_t>(f)].name == check.field;
		if (!staged)
			continue; // the check reads a column the file does not have
		plan.quarantine_checks.push_back(quarantine_statement(
		    stage_table, {}, check.condition, check.field,
		    "pg_catalog.format('\"%s\" %s', r." + quote_ident(check.field) + ", " + quote_literal(check.reason) + ")"));
	}
	plan.prepare = kind.prepare_sql;

	std::vector<std::string> column_names;
	for (int f : staged_fields)
		column_names.push_back(kind.fields[static_cast<size_t>(f)].name);
	plan.upsert = upsert_statement(kind.table, column_names, kind.key, kind.conflict_target,
	                               "SELECT " + join(columns, ", ", "s.") + " FROM " + stage_table + " s ORDER BY " +
	                                   join(key_columns, ", ", "s."));
	if (kind.update_then_insert) {
		std::vector<std::string> key_match, sets, stored, staged;
		for (const auto &k : key_columns)
			key_match.push_back("t." + k + " = s." + k);
		for (const auto &c : columns)
			if (std::find(key_columns.begin(), key_columns.end(), c) == key_columns.end()) {
				sets.push_back(c + " = s." + c);
				stored.push_back("t." + c);
				staged.push_back("s." + c);
			}
		std::string table = "oversight." + quote_ident(kind.table);
		std::string update = sets.empty()
		                         ? "SELECT 1 AS n WHERE false" // nothing but the key: nothing to update
		                         : "UPDATE " + table + " t SET " + join(sets, ", ") + " FROM " + stage_table +
		                               " s WHERE " + join(key_match, " AND ") + " AND ROW(" + join(stored, ", ") +
		                               ") IS DISTINCT FROM ROW(" + join(staged, ", ") + ") RETURNING 1 AS n";
		plan.upsert = "WITH updated AS (" + update + "), inserted AS (INSERT INTO " + table + " (" +
		              join(columns, ", ") + ") SELECT " + join(columns, ", ", "s.") + " FROM " + stage_table +
		              " s WHERE NOT EXISTS (SELECT FROM " + table + " t WHERE " + join(key_match, " AND ") +
		              ") ORDER BY " + join(key_columns, ", ", "s.") +
		              " RETURNING 1) SELECT (SELECT pg_catalog.count(*) FROM inserted), (SELECT pg_catalog.count(*) "
		              "FROM updated)";
	}
	return plan;
}

} // namespace oversight::loader
