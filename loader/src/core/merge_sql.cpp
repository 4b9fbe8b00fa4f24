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
	       ", (pg_catalog.to_jsonb(r) - 'line_no' - 'first_line' - 'reason_detail')::text FROM refused r RETURNING "
	       "line_no) "
	       "INSERT INTO " +
	       refused_at_merge_table + " SELECT line_no FROM recorded";
}

std::string upsert_statement(const std::string &table, const std::vector<std::string> &columns,
                             const std::vector<std::string> &key, const std::string &conflict_target,
                             const std::string &select_sql, const std::string &extra_condition,
                             const std::vector<std::string> &uncompared) {
	std::vector<std::string> quoted, sets, stored, excluded;
	for (const auto &c : columns) {
		quoted.push_back(quote_ident(c));
		if (std::find(key.begin(), key.end(), c) != key.end())
			continue;
		sets.push_back(quote_ident(c) + " = EXCLUDED." + quote_ident(c));
		if (std::find(uncompared.begin(), uncompared.end(), c) != uncompared.end())
			continue;
		stored.push_back("t." + quote_ident(c));
		excluded.push_back("EXCLUDED." + quote_ident(c));
	}
	std::string action = "DO NOTHING";
	if (!stored.empty()) {
		// Only a real change updates the row: no dead tuples, and audit entries for corrections only.
		std::string differs = stored.size() == 1
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

std::string written_by_another_file(const std::string &stored_load_id) {
	return "NOT EXISTS (SELECT FROM oversight.load l WHERE l.load_id = " + stored_load_id +
	       " AND pg_catalog.regexp_replace(l.file_name, '^.*/', '') = pg_catalog.regexp_replace($2::text, '^.*/', "
	       "''))";
}

CsvMergePlan plan_csv_merge(const RecordKind &kind, const std::vector<int> &staged_fields,
                            const CsvMergeOptions &options) {
	CsvMergePlan plan;
	std::vector<int> fields = staged_fields; // the staging columns: the file's, then fill_absent ones it lacks
	std::vector<int> absent;
	for (const auto &name : kind.fill_absent) {
		int f = kind.field_index(name);
		if (f >= 0 && std::find(fields.begin(), fields.end(), f) == fields.end()) {
			fields.push_back(f);
			absent.push_back(f);
		}
	}
	auto name_of = [&](int f) -> const std::string & { return kind.fields[static_cast<size_t>(f)].name; };
	auto is_staged = [&](const std::string &name) {
		int f = kind.field_index(name);
		return f >= 0 && std::find(fields.begin(), fields.end(), f) != fields.end();
	};
	// A signed amount (payments) is staged with its sign: the record keeps its magnitude, and the direction, when
	// the file and the mapping give none, comes from the sign here (written, not staged: no column per row more).
	std::string signed_amount;
	std::map<std::string, std::string> derived; // column → its value, an expression on the staged row s
	if (kind.signed_amount && is_staged(kind.signed_amount->amount)) {
		const SignedAmount &sa = *kind.signed_amount;
		signed_amount = sa.amount;
		if (!is_staged(sa.kind_field)) {
			auto d = options.column_defaults.find(sa.kind_field);
			derived[sa.kind_field] =
			    "CASE WHEN s." + quote_ident(sa.amount) + " < 0 THEN " + quote_literal(sa.negative_kind) + " ELSE " +
			    (d == options.column_defaults.end() ? quote_literal(sa.positive_kind) : d->second) + " END";
		}
	}
	auto is_written = [&](const std::string &name) { return is_staged(name) || derived.count(name) > 0; };
	// The value a column gets: an empty cell of a NOT NULL column takes the column's database default.
	auto value_of = [&](const std::string &name, const std::string &alias) {
		if (auto d = derived.find(name); d != derived.end())
			return d->second;
		std::string v = alias + "." + quote_ident(name);
		if (name == signed_amount)
			v = "pg_catalog.abs(" + v + ")";
		auto d = options.column_defaults.find(name);
		return d == options.column_defaults.end() ? v : "COALESCE(" + v + ", " + d->second + ")";
	};
	std::vector<std::string> columns, typed_columns, values;
	for (int f : fields) {
		const FieldSpec &spec = kind.fields[static_cast<size_t>(f)];
		columns.push_back(quote_ident(spec.name));
		typed_columns.push_back(quote_ident(spec.name) + " " + spec.sql_type());
		values.push_back(value_of(spec.name, "s"));
	}
	for (const auto &[name, value] : derived) { // written after the staged columns
		columns.push_back(quote_ident(name));
		values.push_back(value);
	}
	plan.create_stage =
	    "CREATE TEMP TABLE oversight_stage (line_no bigint NOT NULL, " + join(typed_columns, ", ") +
	    ") ON COMMIT DROP; CREATE TEMP TABLE oversight_client_refused (line_no bigint NOT NULL, field text, reason "
	    "text NOT NULL, "
	    "raw_text text) ON COMMIT DROP; CREATE TEMP TABLE oversight_refused_at_merge (line_no bigint) ON COMMIT DROP";
	if (!options.creating_fields.empty())
		plan.create_stage +=
		    "; CREATE TEMP TABLE oversight_new_party (party_code text PRIMARY KEY, name text NOT NULL) ON COMMIT DROP";
	plan.copy_columns = {"line_no"};
	for (int f : staged_fields)
		plan.copy_columns.push_back(quote_ident(name_of(f)));

	std::vector<std::string> key_columns, key_match;
	for (const auto &k : kind.key) {
		key_columns.push_back(quote_ident(k));
		key_match.push_back("t." + quote_ident(k) + " = s." + quote_ident(k));
	}
	std::string table = "oversight." + quote_ident(kind.table);
	for (int f : absent)
		plan.fill_absent.push_back("UPDATE " + stage_table + " s SET " + quote_ident(name_of(f)) + " = t." +
		                           quote_ident(name_of(f)) + " FROM " + table + " t WHERE " + join(key_match, " AND "));

	plan.quarantine_client_rejects = "INSERT INTO oversight.quarantine (load_id, line_no, file_name, field, reason, "
	                                 "raw_text) SELECT $1, line_no, $2, "
	                                 "field, reason, raw_text FROM " +
	                                 client_refused_table + " ORDER BY line_no";

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

	std::vector<std::string> creating;
	for (int f : options.creating_fields)
		creating.push_back(quote_ident(name_of(f)));
	for (int f : staged_fields) {
		const FieldSpec &spec = kind.fields[static_cast<size_t>(f)];
		if (!spec.references)
			continue;
		const Reference &ref = *spec.references;
		std::string col = quote_ident(spec.name);
		std::string condition = "s." + col + " IS NOT NULL AND NOT EXISTS (SELECT FROM oversight." +
		                        quote_ident(ref.table) + " t WHERE t." + quote_ident(ref.column) + " = s." + col + ")";
		if (std::find(creating.begin(), creating.end(), col) != creating.end()) // a party this file creates
			condition += " AND NOT EXISTS (SELECT FROM " + new_party_table + " n WHERE n.party_code = s." + col + ")";
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
		if (!is_staged(check.field))
			continue; // the check reads a column the file does not have
		plan.quarantine_checks.push_back(quarantine_statement(
		    stage_table, {}, check.condition, check.field,
		    check.reason_sql.empty() ? "pg_catalog.format('\"%s\" %s', r." + quote_ident(check.field) + ", " +
		                                   quote_literal(check.reason) + ")"
		                             : check.reason_sql));
	}

	// A row that would change who was paid, how much or when, of a record stored from elsewhere: two records
	// under one key (codes unique only within their source) more likely than a correction. "Elsewhere": written
	// by a load of another file (by base name), or not by oversight-load; a corrected rerun of the same file is a
	// correction. An identity field with a column default (a payment's kind) is shown only where it is not the
	// default (a refund or credit note).
	std::vector<std::string> differs, stored, incoming;
	for (const auto &name : kind.identity_fields) {
		if (!is_written(name))
			continue;
		std::string c = quote_ident(name), in = value_of(name, "s"), label = quote_literal(name + " ");
		differs.push_back("(t." + c + " IS NOT NULL AND " + in + " IS NOT NULL AND t." + c + " <> " + in + ")");
		auto d = options.column_defaults.find(name);
		if (d == options.column_defaults.end()) {
			stored.push_back(label + " || t." + c);
			incoming.push_back(label + " || " + in);
		} else {
			std::string shown =
			    "(t." + c + " IS DISTINCT FROM " + d->second + " OR " + in + " IS DISTINCT FROM " + d->second + ")";
			stored.push_back("CASE WHEN " + shown + " THEN " + label + " || t." + c + " END");
			incoming.push_back("CASE WHEN " + shown + " THEN " + label + " || " + in + " END");
		}
	}
	std::string elsewhere = kind.provenance_column.empty()
	                            ? ""
	                            : " AND " + written_by_another_file("t." + quote_ident(kind.provenance_column));
	if (!differs.empty() && !options.correction && kind.key.size() == 1)
		plan.quarantine_collisions = quarantine_statement(
		    stage_table, table + " t", join(key_match, " AND ") + " AND (" + join(differs, " OR ") + ")" + elsewhere,
		    kind.key.front(), "r.reason_detail",
		    "pg_catalog.format('suspected key collision: %s \"%s\" is stored as (%s) and this row has (%s)%s. If it is "
		    "another record, give it a key of its own (key = … in the mapping file); if it corrects the stored one, "
		    "load the file with --correction', " +
		        quote_literal(kind.key.front()) + ", s." + key_columns.front() + ", pg_catalog.concat_ws(', ', " +
		        join(stored, ", ") + "), pg_catalog.concat_ws(', ', " + join(incoming, ", ") + "), " +
		        (kind.provenance_column.empty()
		             ? std::string("''")
		             : "COALESCE((SELECT pg_catalog.format('; the stored one was written by load %s of %s', l.load_id, "
		               "l.file_name) FROM oversight.load l WHERE l.load_id = t." +
		                   quote_ident(kind.provenance_column) +
		                   "), '; the stored one was not written by oversight-load')") +
		        ") AS reason_detail");

	if (!creating.empty()) {
		std::vector<std::string> refers;
		for (const auto &c : creating)
			refers.push_back("s." + c + " = n.party_code");
		plan.create_parties = "WITH created AS (INSERT INTO oversight.party (party_code, name) SELECT n.party_code, "
		                      "n.name FROM " +
		                      new_party_table + " n WHERE EXISTS (SELECT FROM " + stage_table + " s WHERE " +
		                      join(refers, " OR ") +
		                      ") ORDER BY n.party_code ON CONFLICT (party_code) DO NOTHING RETURNING 1) SELECT "
		                      "pg_catalog.count(*) FROM created";
	}
	plan.prepare = kind.prepare_sql;

	std::vector<std::string> column_names;
	for (int f : fields)
		column_names.push_back(name_of(f));
	for (const auto &d : derived)
		column_names.push_back(d.first);
	// Provenance: every record inserted or really changed names this load ($1); an unchanged one keeps its own.
	std::vector<std::string> uncompared;
	std::vector<std::string> written_columns = columns, written_values = values;
	if (!kind.provenance_column.empty()) {
		plan.merge_takes_load_id = true;
		uncompared.push_back(kind.provenance_column);
		column_names.push_back(kind.provenance_column);
		written_columns.push_back(quote_ident(kind.provenance_column));
		written_values.push_back("$1::bigint");
	}
	std::string order = (kind.merge_order.empty() ? "" : kind.merge_order + ", ") + join(key_columns, ", ", "s.");
	plan.upsert = upsert_statement(
	    kind.table, column_names, kind.key, kind.conflict_target,
	    "SELECT " + join(written_values, ", ") + " FROM " + stage_table + " s ORDER BY " + order, {}, uncompared);
	if (kind.update_then_insert) {
		// Two statements: the INSERT's row triggers (assignment's single holder) must see the UPDATE's rows.
		std::vector<std::string> sets, stored_values, staged_values;
		for (size_t i = 0; i < columns.size(); ++i)
			if (std::find(key_columns.begin(), key_columns.end(), columns[i]) == key_columns.end()) {
				sets.push_back(columns[i] + " = " + values[i]);
				stored_values.push_back("t." + columns[i]);
				staged_values.push_back(values[i]);
			}
		if (!kind.provenance_column.empty() && !sets.empty())
			sets.push_back(quote_ident(kind.provenance_column) + " = $1::bigint"); // written, not compared
		plan.merge_takes_load_id = !kind.provenance_column.empty();
		// Nothing but the key: nothing to update (the statement still takes the parameter the others take).
		plan.update_first = sets.empty() ? (plan.merge_takes_load_id ? "SELECT 0 * $1::bigint" : "SELECT 0")
		                                 : "WITH updated AS (UPDATE " + table + " t SET " + join(sets, ", ") +
		                                       " FROM " + stage_table + " s WHERE " + join(key_match, " AND ") +
		                                       " AND ROW(" + join(stored_values, ", ") + ") IS DISTINCT FROM ROW(" +
		                                       join(staged_values, ", ") +
		                                       ") RETURNING 1) SELECT pg_catalog.count(*) FROM updated";
		plan.upsert = "WITH inserted AS (INSERT INTO " + table + " (" + join(written_columns, ", ") + ") SELECT " +
		              join(written_values, ", ") + " FROM " + stage_table + " s WHERE NOT EXISTS (SELECT FROM " +
		              table + " t WHERE " + join(key_match, " AND ") + ") ORDER BY " + join(key_columns, ", ", "s.") +
		              " RETURNING 1) SELECT (SELECT pg_catalog.count(*) FROM inserted), 0";
	}
	return plan;
}

} // namespace oversight::loader
