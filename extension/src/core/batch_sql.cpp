#include "oversight/core/batch_sql.hpp"

#include <algorithm>
#include <cstring>
#include <regex>

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

std::string relation_view(const TableShape &shape, const std::string &from, bool with_pair) {
	const auto &fields = record_fields(shape.kind);
	const char *unit = unit_field(shape.kind);
	std::string sql = "(SELECT ", unit_expr = "NULL::pg_catalog.text", sources;
	for (size_t i = 0; i < fields.size(); ++i) {
		const std::string canonical_type = sql_type_name(fields[i].type);
		std::string column; // the mapped column as the field's type; empty when none
		for (const auto &b : shape.fields)
			if (b.field == static_cast<int>(i)) {
				column = "t." + b.quoted_column;
				bool same = b.type_name == canonical_type ||
				            (canonical_type == "timestamptz" && b.type_name == "timestamp with time zone");
				if (!same)
					column = "(" + column + ")::pg_catalog." + canonical_type;
			}
		const FieldValues *values = shape.values.find(static_cast<int>(i));
		std::string expr = values           ? mapped_field_sql(*values, fields[i].type, column)
		                   : column.empty() ? "NULL::pg_catalog." + canonical_type
		                                    : column;
		if (unit && std::strcmp(fields[i].name, unit) == 0 && (values || !column.empty()))
			unit_expr = "(" + expr + ")::pg_catalog.text";
		sql += expr + " AS " + fields[i].name + ", ";
		if (values && !values->aliases.empty() && !column.empty())
			sources += column + " AS __src_" + fields[i].name + ", ";
	}
	sql += sources;
	// The alert key, as SQL (key_json below writes the same object from C++).
	sql += "pg_catalog.jsonb_build_object(";
	for (size_t k = 0; k < shape.key_columns.size(); ++k)
		sql += (k ? ", " : "") + sql_literal(shape.key_columns[k]) + ", t." + shape.quoted_key_columns[k];
	sql += ") AS __key, ";
	for (size_t k = 0; k < shape.key_columns.size(); ++k)
		sql += "t." + shape.quoted_key_columns[k] + " AS __k" + std::to_string(k) + ", ";
	sql += unit_expr + " AS __unit, ";
	if (with_pair)
		sql += "t.__pair, ";
	sql += shape.provenance_column.empty() ? std::string("NULL::pg_catalog.int8") : "t." + shape.provenance_column;
	sql += " AS __load FROM " + from + " t)";
	return sql;
}

namespace {

// The text of an SQL string literal's body ('' is one quote).
std::string literal_text(std::string body) {
	for (size_t at = body.find("''"); at != std::string::npos; at = body.find("''", at + 1))
		body.erase(at, 1);
	return body;
}

} // namespace

std::optional<std::vector<std::string>> column_check_values(const std::string &def, const std::string &quoted_column) {
	// CHECK ((zffs = ANY (ARRAY['现金'::text, '转账'::text])))
	// CHECK (((zffs)::text = ANY ((ARRAY['现金'::character varying, '转账'::character varying])::text[])))
	static const std::regex shape(R"(^CHECK \(\(\(?(.+?)(\)::text)? = ANY \(\(?ARRAY\[(.*?)\](\)::text\[\])?\)\)\)$)");
	static const std::regex literal(R"(^'((?:[^']|'')*)'::[a-z ]+(, |$))");
	std::smatch m;
	if (!std::regex_match(def, m, shape) || m[1].str() != quoted_column || m[2].matched != m[4].matched)
		return std::nullopt;
	std::vector<std::string> values;
	std::string rest = m[3].str();
	std::smatch lit;
	while (!rest.empty()) {
		if (!std::regex_search(rest, lit, literal))
			return std::nullopt;
		values.push_back(literal_text(lit[1].str()));
		rest = lit.suffix().str();
	}
	return values;
}

std::string source_comparisons(const std::string &sql, const TableShape &shape) {
	if (shape.values.empty())
		return sql;
	// The aliases of the rows of the table or the batch: "{hist} h", "{batch} b".
	static const std::regex relation(R"(\{(batch|hist|hist_all)\}\s+([a-z_][a-z0-9_]*))");
	std::string aliases;
	for (std::sregex_iterator r(sql.begin(), sql.end(), relation), end; r != end; ++r)
		aliases += (aliases.empty() ? "" : "|") + (*r)[2].str();
	if (aliases.empty())
		return sql;
	const auto &fields = record_fields(shape.kind);
	std::string out = sql;
	for (const auto &bound : shape.fields) {
		const FieldValues *values = shape.values.find(bound.field);
		if (!values || values->aliases.empty())
			continue;
		const std::string field = fields[static_cast<size_t>(bound.field)].name;
		// A whole comparison only: after WHERE, AND, OR, ON, WHEN, NOT or "(", before AND, OR, THEN, ")" or the end.
		const std::regex comparison("(\\b(?:WHERE|AND|OR|ON|WHEN|NOT)\\s+|\\()(" + aliases + ")\\." + field +
		                            "\\s*=\\s*'((?:[^']|'')*)'(?=\\s*(?:\\)|$|AND\\b|OR\\b|THEN\\b))");
		std::string rewritten;
		auto from = out.cbegin();
		for (std::sregex_iterator c(out.begin(), out.end(), comparison), end; c != end; ++c) {
			const std::smatch &m = *c;
			const std::string target = literal_text(m[3].str());
			auto admitted = [&](const std::string &v) {
				return !bound.admitted_values || std::find(bound.admitted_values->begin(), bound.admitted_values->end(),
				                                           v) != bound.admitted_values->end();
			};
			std::vector<std::string> sources; // the column values the CASE turns into target
			for (const auto &[from_value, to_value] : values->aliases)
				if (to_value == target && admitted(from_value))
					sources.push_back(from_value);
			if (!values->aliases.count(target) && admitted(target))
				sources.push_back(target); // an unlisted value passes as it is
			const std::string src = m[2].str() + ".__src_" + field;
			std::string in;
			for (const auto &v : sources)
				in += (in.empty() ? "" : ", ") + sql_literal(v);
			const std::string any = sources.empty()          ? std::string()
			                        : sources.size() == 1 ? src + " = " + in
			                                              : src + " IN (" + in + ")";
			std::string predicate;
			if (values->default_value && *values->default_value == target) // NULL becomes the target
				predicate = any.empty() ? src + " IS NULL" : "(" + any + " OR " + src + " IS NULL)";
			else if (values->default_value) // NULL becomes another value: false, not NULL
				predicate = any.empty() ? std::string("false") : "(" + src + " IS NOT NULL AND " + any + ")";
			else
				predicate = any.empty() ? "(" + src + " IS NULL AND NULL)" : "(" + any + ")";
			rewritten.append(from, m[0].first).append(m[1].str()).append(predicate);
			from = m[0].second;
		}
		rewritten.append(from, out.cend());
		out = rewritten;
	}
	return out;
}

namespace {

// An entry's fields as fields_provided names them: "payment.paid_on".
std::vector<std::string> provided_names(const CompiledRule &rule, const std::string &entry) {
	std::vector<std::string> names = input_alternatives(entry);
	for (auto &n : names)
		n = std::string(record_kind_name(rule.record_kind)) + "." + n;
	return names;
}

// SQL: the row x has every required input (some field of each entry is not NULL).
std::string has_required_inputs(const CompiledRule &rule, const std::string &x) {
	std::string sql;
	for (const std::string &entry : required_inputs(rule)) {
		std::string any;
		for (const auto &field : input_alternatives(entry))
			any += (any.empty() ? "" : " OR ") + x + "." + field + " IS NOT NULL";
		sql += (sql.empty() ? "(" : " AND (") + any + ")";
	}
	return sql.empty() ? "true" : sql;
}

// SQL: the row x is one the rule would judge if it could (its candidates, with every required input).
std::string judged_if_it_could(const CompiledRule &rule) {
	std::string sql = has_required_inputs(rule, "x");
	if (rule.spec->candidates) // written over a row aliased x
		sql += " AND (" + bind_params(rule, rule.spec->candidates) + ")";
	return sql;
}

// SQL: the row x is one the rule judges by its kind (a payment, for kinds that judge payments only).
std::string judged_kind(const CompiledRule &rule, const std::string &x) {
	return rule.spec->payments_only && rule.record_kind == RecordKind::Payment
	           ? " AND coalesce(" + x + ".payment_kind, 'payment') = 'payment'"
	           : std::string();
}

// A cannot-evaluate row of a rule's SQL: one per group of rows of relation x (see instantiate).
std::string gap_select(const std::string &reason, const std::string &missing_jsonb, const std::string &x) {
	return "SELECT {table}, NULL::pg_catalog.jsonb, '', NULL::pg_catalog.text, "
	       "pg_catalog.jsonb_build_object('cannot_evaluate', " +
	       sql_literal(reason) + ", 'missing', " + missing_jsonb + ", 'load_id', " + x +
	       ".__load, 'records', pg_catalog.count(*))";
}

std::string int8_array(const std::vector<int64_t> &ids) {
	std::string out = "'{";
	for (size_t i = 0; i < ids.size(); ++i)
		out += (i ? "," : "") + std::to_string(ids[i]);
	return out + "}'::pg_catalog.int8[]";
}

} // namespace

std::string load_lacks_inputs(const CompiledRule &rule, const std::string &l) {
	std::string all;
	for (const std::string &entry : required_inputs(rule))
		all += (all.empty() ? "" : " AND ") + l + ".fields_provided && " + sql_text_array(provided_names(rule, entry));
	return all.empty() ? "false" : l + ".fields_provided IS NOT NULL AND NOT (" + all + ")";
}

std::string instantiate(const CompiledRule &rule, const TableShape &shape, const RuleScope &scope) {
	if (!scope.split_xmin.empty() && scope.half == RuleScope::Half::Whole) {
		// A split batch: the paired rows within their clusters, then the written rows with the rows stored before.
		RuleScope half = scope;
		half.half = RuleScope::Half::Paired;
		std::string sql = instantiate(rule, shape, half);
		if (!scope.rows_before)
			return sql;
		half.half = RuleScope::Half::Before;
		return "(" + sql + ")\n UNION ALL\n(" + instantiate(rule, shape, half) + ")";
	}
	const bool paired = scope.half == RuleScope::Half::Paired;
	std::string sql = source_comparisons(rule_sql(rule), shape);
	const bool sweep = rule.evaluation() == Evaluation::Sweep;
	const bool provenance = !shape.provenance_column.empty() && !required_inputs(rule).empty();
	const std::string base = scope.base_currency.empty() ? std::string("oversight.setting_value('base_currency')")
	                                                     : sql_literal(scope.base_currency);
	// Loads that did not provide a required input of the rule (oversight.load.fields_provided).
	const std::string lacking = "SELECT l.load_id FROM oversight.load l WHERE " + load_lacks_inputs(rule, "l");

	if (sweep) {
		std::string extra;
		// Stored records of loads that did not provide a required input: counted per load, never judged.
		if (provenance) {
			std::string missing;
			for (const std::string &entry : required_inputs(rule))
				missing += (missing.empty() ? "" : ", ") + std::string("CASE WHEN NOT (l.fields_provided && ") +
				           sql_text_array(provided_names(rule, entry)) + ") THEN " + sql_literal(entry) + " END";
			extra += "\n UNION ALL\n" + gap_select(gap_reason::not_provided, "pg_catalog.to_jsonb(m.missing)", "x") +
			         " FROM {hist_all} x JOIN (SELECT l.load_id, pg_catalog.array_remove(ARRAY[" + missing +
			         "]::pg_catalog.text[], NULL) AS missing FROM oversight.load l WHERE " +
			         load_lacks_inputs(rule, "l") + ") m ON m.load_id = x.__load WHERE true" + judged_kind(rule, "x") +
			         " GROUP BY x.__load, m.missing";
		}
		// Records in another currency than the thresholds'.
		if (rule.spec->thresholds != ThresholdCurrency::None) {
			std::string cur = threshold_currency(rule, scope.base_currency);
			const std::string cur_sql = cur.empty() ? base : sql_literal(cur);
			const std::string rec_cur = "coalesce(x.currency, " + base + ")";
			extra += "\n UNION ALL\n" +
			         gap_select(gap_reason::other_currency, "pg_catalog.jsonb_build_array(" + rec_cur + ")", "x") +
			         " FROM {hist} x WHERE " + rec_cur + " <> " + cur_sql + " AND " + judged_if_it_could(rule) +
			         judged_kind(rule, "x") + " GROUP BY x.__load, " + rec_cur;
		}
		if (!extra.empty())
			sql = "SELECT q.* FROM (" + sql + ") q" + extra;
	}

	// A required link table without any row: nothing the rule says would mean anything (what it cannot judge
	// for other reasons is then not told apart).
	if (!rule.spec->required_links.empty()) {
		std::string exists, missing;
		for (const char *link : rule.spec->required_links) {
			exists += std::string(exists.empty() ? "" : " AND ") + "EXISTS (SELECT FROM " + link + ")";
			missing += std::string(missing.empty() ? "" : ", ") + "CASE WHEN NOT EXISTS (SELECT FROM " + link +
			           ") THEN " + sql_literal(link) + " END";
		}
		// (Every written row, also when the rule's SQL reads only its candidates: scope.batch_relation.)
		const std::string rel = sweep ? "{hist}" : "{batch_all}";
		sql =
		    "SELECT q.* FROM (" + sql + ") q WHERE " + exists + "\n UNION ALL\n" +
		    gap_select(gap_reason::no_link_rows,
		               "pg_catalog.to_jsonb(pg_catalog.array_remove(ARRAY[" + missing + "]::pg_catalog.text[], NULL))",
		               "x") +
		    " FROM " + rel + " x WHERE NOT (" + exists + ") AND " + has_required_inputs(rule, "x") +
		    judged_kind(rule, "x") + " GROUP BY x.__load";
	}
	// {batch}: the written rows the rule judges (its candidates when the engine registered them apart,
	// scope.batch_relation); {batch_all}: every written row. Both leave out what the scope leaves out.
	auto batch_view = [&](const std::string &relation) {
		std::string view = !scope.queued_group.empty() ? relation_view(shape, shape.table_name)
		                                               : relation_view(shape, relation, paired && relation == scope.paired_relation),
		            where;
		if (!scope.queued_group.empty()) {
			where = "v." + scope.queued_group + " = ANY ($1::pg_catalog.text[])";
			// Stored records, not written ones: those of loads that did not provide a required input are
			// left out, as from {hist} (they were counted as cannot-evaluate when written).
			if (provenance)
				where += " AND (v.__load IS NULL OR v.__load NOT IN (" + lacking + "))";
		}
		if (!scope.excluded_loads.empty())
			where += (where.empty() ? "" : " AND ") + std::string("(v.__load IS NULL OR v.__load <> ALL (") +
			         int8_array(scope.excluded_loads) + "))";
		if (!scope.batch_currency.empty())
			where += (where.empty() ? "" : " AND ") + std::string("coalesce(v.currency, ") + base +
			         ") = " + sql_literal(scope.batch_currency);
		return where.empty() ? view : "(SELECT * FROM " + view + " v WHERE " + where + ")";
	};
	if (sql.find("{batch}") != std::string::npos)
		sql = substitute(sql, "batch", batch_view(paired                         ? scope.paired_relation
		                                          : scope.batch_relation.empty() ? std::string(batch_relation)
		                                                                         : scope.batch_relation));
	if (sql.find("{batch_all}") != std::string::npos)
		sql = substitute(sql, "batch_all", batch_view(batch_relation));
	if (sql.find("{hist_all}") != std::string::npos)
		sql = substitute(sql, "hist_all", relation_view(shape, shape.table_name));
	if (sql.find("{hist}") != std::string::npos) {
		std::string view =
		    paired ? relation_view(shape, scope.paired_relation, true)
		    : scope.half == RuleScope::Half::Before
		        ? relation_view(shape, "(SELECT * FROM " + shape.table_name + " s WHERE NOT (s.xmin = " +
		                                   sql_literal(scope.split_xmin) + "::pg_catalog.xid AND s.cmin = " +
		                                   sql_literal(scope.split_cmin) + "::pg_catalog.cid))")
		        : relation_view(shape, shape.table_name);
		if (provenance && (sweep || rule.spec->judges_history))
			view = "(SELECT * FROM " + view + " v WHERE v.__load IS NULL OR v.__load NOT IN (" + lacking + "))";
		sql = substitute(sql, "hist", view);
	}
	sql = substitute(sql, "table", sql_literal(shape.table_name));
	// {other_row:h:b}: the two rows differ in a key column (same truth as h.__key <> b.__key: jsonb
	// null equals null, hence IS DISTINCT FROM).
	std::string differs;
	for (size_t k = 0; k < shape.key_columns.size(); ++k) {
		std::string col = "__k" + std::to_string(k);
		differs += (k ? " OR " : "") + std::string("h.") + col + " IS DISTINCT FROM b." + col;
	}
	std::string other = shape.key_columns.empty() ? "h.__key <> b.__key" : "(" + differs + ")";
	if (paired) // two rows of one cluster: a hash key of the join, so a group's rows are not all compared
		other += " AND h.__pair = b.__pair";
	return substitute(sql, "other_row:h:b", other);
}

std::string recording_query(const std::vector<const CompiledRule *> &rules, const TableShape &shape, const char *path,
                            bool with_row_hits, const std::vector<RuleScope> &scopes) {
	std::string parts;
	for (size_t i = 0; i < rules.size(); ++i) {
		if (!parts.empty())
			parts += "\n UNION ALL\n";
		// The rule's findings carry their values (details); their messages in English and Chinese are the
		// kind's templates filled with them, by the same renderer as the row pass's (a function in FROM:
		// once per finding). A row the rule could not judge (no key, details {"cannot_evaluate": …}) has
		// no message.
		parts += "SELECT " + std::to_string(rules[i]->version_id) +
		         "::pg_catalog.int8, q.object_table, q.object_key, q.period, q.unit_code, CASE WHEN q.object_key IS "
		         "NULL AND q.details ? 'cannot_evaluate' THEN NULL ELSE (m.texts)[1] END, CASE WHEN q.object_key IS "
		         "NULL AND q.details ? 'cannot_evaluate' THEN NULL ELSE (m.texts)[2] END, q.details FROM (" +
		         instantiate(*rules[i], shape, i < scopes.size() ? scopes[i] : RuleScope{}) +
		         ") AS q(object_table, object_key, period, unit_code, details) CROSS JOIN LATERAL "
		         "oversight.finding_messages(" +
		         sql_literal(rules[i]->kind) + ", q.details, false) AS m(texts)";
	}
	if (parts.empty())
		parts = "SELECT NULL::pg_catalog.int8, NULL, NULL::pg_catalog.jsonb, NULL, NULL, NULL, NULL, NULL::pg_catalog.jsonb WHERE false";
	// Findings go to record_hits; the rows a rule reports it could not judge (NULL message, details
	// {"cannot_evaluate": …}) to record_coverage, aggregated in the same pass. The row pass's hits ($1..$8:
	// parallel arrays, NULL when none, messages rendered) go first, appended to the rules' aggregated
	// findings as arrays: unnesting them only to aggregate them again cost 20 ms per 7,000 hits.
	const std::string table = sql_literal(shape.table_name), hit = "FILTER (WHERE NOT q.ce)";
	const auto arg = [&](int n, const char *type, const std::string &aggregated) {
		return with_row_hits ? "pg_catalog.array_cat($" + std::to_string(n) + "::" + type + ", " + aggregated + ")"
		                     : aggregated;
	};
	const std::string mapping_version = shape.mapping_version_id > 0 ? std::to_string(shape.mapping_version_id) + "::pg_catalog.int8"
	                                                                  : std::string("NULL::pg_catalog.int8");
	return "SELECT (SELECT r.blocking_message FROM oversight.record_hits(a.rv, a.tb, a.k, a.p, a.u, a.m, a.mz, a.d, " +
	       sql_literal(path) + ", " + mapping_version +
	       ") AS r WHERE a.rv IS NOT NULL) AS blocking_message, "
	       "(SELECT oversight.record_coverage(a.g, " +
	       sql_literal(path) +
	       ") WHERE a.g IS NOT NULL) AS gaps "
	       "FROM (SELECT " +
	       arg(1, "pg_catalog.int8[]", "pg_catalog.array_agg(q.rv) " + hit) + ", " +
	       arg(2, "pg_catalog.text[]", "pg_catalog.array_agg(coalesce(q.tb, " + table + ")) " + hit) + ", " +
	       arg(3, "pg_catalog.jsonb[]", "pg_catalog.array_agg(q.k) " + hit) + ", " +
	       arg(4, "pg_catalog.text[]", "pg_catalog.array_agg(coalesce(q.p, '')) " + hit) + ", " +
	       arg(5, "pg_catalog.text[]", "pg_catalog.array_agg(q.u) " + hit) + ", " +
	       arg(6, "pg_catalog.text[]", "pg_catalog.array_agg(q.m) " + hit) + ", " +
	       arg(7, "pg_catalog.text[]", "pg_catalog.array_agg(q.mz) " + hit) + ", " +
	       arg(8, "pg_catalog.jsonb[]", "pg_catalog.array_agg(q.d) " + hit) +
	       ", pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('rv', q.rv, 'tb', coalesce(q.tb, " + table +
	       ")) || q.d) FILTER (WHERE q.ce) "
	       "FROM (SELECT q.*, coalesce(q.m IS NULL AND q.d ? 'cannot_evaluate', false) AS ce FROM (" +
	       parts + ") AS q(rv, tb, k, p, u, m, mz, d)) AS q) AS a(rv, tb, k, p, u, m, mz, d, g)";
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
