#include "core/copy_text.hpp"
#include "core/csv_source.hpp"
#include "core/json.hpp"
#include "core/mapping.hpp"
#include "db/stored_mapping.hpp"
#include "core/merge_sql.hpp"
#include "core/name_index.hpp"
#include "core/progress.hpp"
#include "core/reject_file.hpp"
#include "core/row_validator.hpp"
#include "db/load.hpp"
#include "db/spool.hpp"
#include "pqxx_compat.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace oversight::loader {
namespace {

std::string default_mapping_path(const RecordKind &kind, const LoadOptions &o) {
	if (!o.mapping_file.empty())
		return o.mapping_file;
	return o.mapping_dir + "/" + kind.command + ".map";
}

std::string options_json(const LoadOptions &o, const std::string &mapping_path, bool detected, const LoadSummary &s) {
	Json j = Json::object();
	j["mapping"] = mapping_path;
	j["encoding_detected"] = detected;
	if (o.dry_run)
		j["dry_run"] = true;
	if (!o.currency.empty())
		j["currency"] = o.currency;
	if (o.correction)
		j["correction"] = true;
	for (const auto &[k, v] : s.warnings)
		j["warnings"][k] = v;
	return dump(j);
}

// Refuses a load the session could not commit before anything is read: the discretion standard is the
// administrators' (oversight_admin), the ledger and quarantine the loaders' (oversight_loader).
void check_may_write(pqxx::work &tx, const std::string &table, const std::string &writer_role) {
	auto r = pqxx_compat::exec_params(
	    tx,
	    "SELECT pg_catalog.has_table_privilege($1, 'INSERT') AND pg_catalog.has_table_privilege($1, 'UPDATE'), "
	    "pg_catalog.has_table_privilege('oversight.load', 'INSERT') AND "
	    "pg_catalog.has_table_privilege('oversight.quarantine', 'INSERT'), current_user",
	    "oversight." + quote_ident(table));
	std::string user = r[0][2].as<std::string>();
	if (!r[0][0].as<bool>())
		throw PermissionError(fmt::format(
		    "oversight.{} is written by members of {} only, and {} is not one (it may not INSERT or UPDATE it){}: "
		    "nothing was read or written; connect as a member of {}{} (--dsn \"… user=…\")",
		    table, writer_role, user,
		    writer_role == "oversight_admin"
		        ? " — the discretion standard is set by the bureau's administrators, not loaded with the finance "
		          "records; the loader role only reads it"
		        : "",
		    writer_role, writer_role == "oversight_loader" ? "" : " that is also a member of oversight_loader"));
	if (!r[0][1].as<bool>())
		throw PermissionError(fmt::format(
		    "{} may not write the load ledger (oversight.load, oversight.quarantine), which every load records: "
		    "nothing was read or written; connect as a member of oversight_loader{}",
		    user, writer_role == "oversight_loader" ? "" : " that is also a member of " + writer_role));
}

// NOT NULL columns of the target table with a DEFAULT: an empty cell takes it (currency: the database's,
// never the loader's CNY).
std::map<std::string, std::string> column_defaults(pqxx::work &tx, const std::string &table) {
	std::map<std::string, std::string> out;
	auto r = pqxx_compat::exec_params(
	    tx,
	    "SELECT a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attribute a JOIN "
	    "pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = "
	    "pg_catalog.to_regclass($1) AND a.attnotnull AND NOT a.attisdropped AND a.attgenerated = ''",
	    "oversight." + quote_ident(table));
	for (const auto &row : r)
		out[row[0].as<std::string>()] = row[1].as<std::string>();
	return out;
}

// The names of the stored parties or units, for by_name fields.
std::unique_ptr<NameIndex> load_name_index(pqxx::work &tx, const std::string &table) {
	auto index = std::make_unique<NameIndex>(table);
	std::string sql = table == "party" ? "SELECT party_code, name, NULL FROM oversight.party"
	                                   : "SELECT unit_code, name_zh, name_en FROM oversight.org_unit";
	for (const auto &row : tx.exec(sql)) {
		std::string code = row[0].as<std::string>();
		for (int i : {1, 2})
			if (!row[i].is_null())
				index->add(code, row[i].as<std::string>());
	}
	return index;
}

// A row the merge refused comes back as the staged values (JSON); lay them out under the file's header.
std::vector<std::string> cells_from_staged_json(const std::string &json, const RowValidator &validator, size_t width) {
	std::vector<std::string> cells(width);
	simdjson::dom::parser parser;
	simdjson::dom::element root;
	if (parser.parse(simdjson::padded_string(json)).get(root) || !root.is_object())
		return cells;
	Json row = from_dom(root);
	const auto &kind = validator.kind();
	// A refund's amount was staged with its sign: it reloads as what it was.
	for (int f : validator.staged_fields()) {
		const Json *v = find(row, kind.fields[static_cast<size_t>(f)].name);
		size_t col = static_cast<size_t>(validator.binding().column_of_field[static_cast<size_t>(f)]);
		if (v && !v->is_null() && col < width)
			cells[col] = v->is_boolean() ? (v->get<bool>() ? "true" : "false") : text_of_value(*v);
	}
	return cells;
}

} // namespace

LoadSummary load_csv_file(pqxx::connection &conn, const RecordKind &kind, const LoadOptions &o) {
	auto started = std::chrono::steady_clock::now();
	LoadSummary s;
	s.record_kind = kind.command;
	s.file = o.file;
	// A stored mapping (--mapping-name) is named by its source: "oversight.mapping N version V".
	Mapping mapping = o.mapping_name.empty() ? Mapping::load(default_mapping_path(kind, o), kind)
	                                         : stored_mapping(conn, kind, o.mapping_name, o.mapping_version);
	const std::string mapping_path = mapping.source;
	pqxx::work tx(conn, "oversight-load");
	check_may_write(tx, kind.table, kind.writer_role);
	CsvSource source(o.file, o.encoding ? o.encoding : mapping.encoding); // --encoding, else the mapping's
	s.encoding = encoding_name(source.encoding());

	std::optional<RowValidator> validator;
	std::map<std::string, std::unique_ptr<NameIndex>> name_indexes; // "party", "org_unit"
	NameIndex *party_index = nullptr;
	std::uint64_t short_rows = 0;
	std::optional<RejectFile> rejects;
	std::unique_ptr<pqxx::stream_to> copy;
	std::optional<pqxx_compat::CopyBatcher> batcher;
	CsvMergePlan plan;
	MessageLimiter messages(o);
	Progress progress(kind.command, source.size_hint(), o.progress);
	std::string line;
	RowValues values;
	std::optional<Spool> refused; // rows refused before COPY: their own COPY after the staging one
	std::uint64_t refused_before_copy = 0, bytes_done = 0;
	size_t header_width = 0;

	auto refuse = [&](const CsvRow &row, const RowError &e) {
		++refused_before_copy;
		std::string_view raw_value;
		if (!e.field.empty() && validator) {
			int col = validator->cell_column(kind.field_index(e.field));
			if (col >= 0 && static_cast<size_t>(col) < row.cells.size())
				raw_value = row.cells[static_cast<size_t>(col)];
		}
		messages.print(RowValidator::message(o.file, row.line_no, e, raw_value));
		if (!o.dry_run)
			rejects->add_views(row.line_no, e.field, e.reason, row.cells);
		line = std::to_string(row.line_no);
		copy_append_field(line, e.field.empty() ? std::nullopt : std::optional<std::string_view>(e.field));
		copy_append_field(line, std::optional<std::string_view>(e.reason));
		copy_append_field(line, storable_text(row.as_csv_line())); // a NUL would refuse the whole COPY
		if (!refused)
			refused.emplace();
		refused->add(line);
	};

	source.run(
	    [&](const CsvRow &header) {
		    std::vector<std::string> header_cells = header.cell_strings();
		    std::map<std::string, std::string> overrides;
		    if (!o.currency.empty())
			    overrides["currency"] = o.currency;
		    HeaderBinding binding = bind_header(header_cells, mapping, kind, overrides);
		    if (!binding.missing_required.empty()) {
			    std::string missing;
			    for (const auto &f : binding.missing_required)
				    missing += (missing.empty() ? "" : ", ") + f;
			    throw InputError(fmt::format(
			        "{}:{}: no column for required field(s) {}: add the export's header name to [columns] in {}, or "
			        "give a mapping file of your own with --mapping FILE (`oversight-load fields {}` lists the fields "
			        "and the headers they accept; `oversight-load check-mapping {} {}` shows how this file's "
			        "columns would fill each field)",
			        o.file, header.line_no, missing, mapping_path, kind.command, kind.command, o.file));
		    }
		    for (const auto &h : binding.unmapped_headers)
			    if (!o.quiet)
				    std::fprintf(stderr, "%s:%llu: column \"%s\" is not mapped to a field of %s; ignored\n",
				                 o.file.c_str(), static_cast<unsigned long long>(header.line_no), h.c_str(),
				                 kind.command.c_str());
		    header_width = header.cells.size();
		    validator.emplace(kind, mapping, binding, header_width);
		    CsvMergeOptions merge;
		    merge.correction = o.correction;
		    merge.column_defaults = column_defaults(tx, kind.table);
		    for (size_t f = 0; f < kind.fields.size(); ++f) {
			    const FieldSpec &spec = kind.fields[f];
			    if (binding.sources[f].name_column < 0)
				    continue;
			    auto &index = name_indexes[spec.references->table];
			    if (!index)
				    index = load_name_index(tx, spec.references->table);
			    validator->set_resolver(static_cast<int>(f), index.get());
			    if (spec.references->table == "party") {
				    party_index = index.get();
				    merge.creating_fields.push_back(static_cast<int>(f));
			    }
		    }
		    if (party_index)
			    check_may_write(tx, "party", "oversight_loader");
		    plan = plan_csv_merge(kind, validator->staged_fields(), merge);
		    std::vector<int> provided; // staged, or derived at merge time (a payment's kind from its amount's sign)
		    for (size_t f = 0; f < kind.fields.size(); ++f)
			    if (binding.provides(static_cast<int>(f)))
				    provided.push_back(static_cast<int>(f));
		    s.fields_provided = fields_provided(kind, provided);
		    tx.exec(plan.create_stage);
		    copy = pqxx_compat::open_copy(tx, "pg_temp", "oversight_stage", plan.copy_columns);
		    batcher.emplace(*copy);
		    rejects.emplace(reject_path_for(o.file, o.reject_dir), header_cells);
	    },
	    [&](const CsvRow &row) {
		    ++s.rows_read;
		    if (row.decode_failed)
			    return refuse(row, {{},
			                        "is not valid " + s.encoding + " text" +
			                            (source.encoding_was_detected() ? " (the file was detected as " + s.encoding +
			                                                                  "; give --encoding if it is mixed)"
			                                                            : "")});
		    if (row.unterminated_quote)
			    return refuse(row, {{}, "ends inside a quoted field at the end of the file (truncated file?)"});
		    if (auto error = validator->validate(row.cells, values, !row.plain))
			    return refuse(row, *error);
		    short_rows += values.short_row;
		    std::string &out = batcher->row(); // formatted in place: no per-row line
		    copy_append_uint(out, row.line_no);
		    // Values are views of the cells or canonical texts: nothing to escape when the cells have nothing.
		    if (row.plain)
			    for (int f : validator->staged_fields())
				    copy_append_plain_field(out, values[static_cast<size_t>(f)]);
		    else
			    for (int f : validator->staged_fields())
				    copy_append_field(out, values[static_cast<size_t>(f)]);
		    batcher->end_row();
		    if ((s.rows_read & 1023) == 0)
			    progress.update(bytes_done, s.rows_read);
	    },
	    [&](std::uint64_t bytes) { progress.update(bytes_done = bytes, s.rows_read); });
	batcher->flush();
	copy->complete(); // explicitly: the 6.4 destructor swallows COPY errors (guide §3 pitfall 14)
	batcher.reset();
	copy.reset();
	if (refused) { // the refused rows' COPY, once the staging COPY is complete
		auto refused_copy = pqxx_compat::open_copy(tx, "pg_temp", "oversight_client_refused", client_refused_columns);
		refused->replay(*refused_copy);
		refused_copy->complete();
		refused.reset();
	}
	if (party_index && !party_index->created().empty()) { // parties named for the first time
		auto party_copy = pqxx_compat::open_copy(tx, "pg_temp", "oversight_new_party", new_party_columns);
		pqxx_compat::CopyBatcher parties(*party_copy);
		for (const auto &[code, name] : party_index->created()) {
			line.clear();
			copy_append_field(line, code, true);
			copy_append_field(line, name);
			parties.add(line);
		}
		parties.flush();
		party_copy->complete();
	}
	if (short_rows)
		s.warnings["short_rows"] = short_rows;
	progress.finish();
	s.sha256 = source.sha256_hex();
	s.mapping_sha256 = mapping.sha256;
	s.bytes = source.bytes_read();
	s.rows_staged = s.rows_read - refused_before_copy;

	if (o.stop_after_staging) {
		tx.abort();
		s.status = "staged";
		s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
		return s;
	}

	s.load_id = insert_ledger(tx, s, options_json(o, mapping_path, source.encoding_was_detected(), s),
	                          o.correction ? "--correction" : "");
	auto run = [&](const std::string &sql) { return pqxx_compat::exec_params(tx, sql, s.load_id, o.file); };
	for (const auto &fill : plan.fill_absent)
		tx.exec(fill);
	run(plan.quarantine_client_rejects);
	run(plan.quarantine_duplicate_keys);
	for (const auto &check : plan.quarantine_checks)
		run(check);
	// A row referring to a row of the same file that was itself refused must go too: repeat until stable.
	for (bool moved = true; moved;) {
		moved = false;
		for (const auto &check : plan.quarantine_self_references)
			moved = run(check).affected_rows() > 0 || moved;
	}
	if (!plan.quarantine_collisions.empty())
		run(plan.quarantine_collisions);
	if (!plan.create_parties.empty())
		s.details["parties_created"] = tx.exec(plan.create_parties)[0][0].as<std::uint64_t>();
	if (!plan.prepare.empty())
		run(plan.prepare);
	auto staged = tx.exec("SELECT pg_catalog.count(*) FROM " + stage_table)[0][0].as<std::uint64_t>();
	// The merge writes the load's number into the records it inserts or changes (provenance).
	auto merge = [&](const std::string &sql) {
		return plan.merge_takes_load_id ? pqxx_compat::exec_params(tx, sql, s.load_id) : tx.exec(sql);
	};
	if (!plan.update_first.empty())
		s.rows_updated = merge(plan.update_first)[0][0].as<std::uint64_t>();
	auto merged = merge(plan.upsert);
	s.rows_loaded = merged[0][0].as<std::uint64_t>();
	s.rows_updated += merged[0][1].as<std::uint64_t>();
	s.rows_unchanged = staged - s.rows_loaded - s.rows_updated;
	finish_ledger(tx, s, o.dry_run);

	auto refused_at_merge = pqxx_compat::exec_params(
	    tx,
	    "SELECT q.line_no, COALESCE(q.field, ''), q.reason, q.raw_text FROM " + refused_at_merge_table +
	        " m JOIN oversight.quarantine q ON q.load_id = $1 AND q.line_no = m.line_no ORDER BY q.line_no",
	    s.load_id);
	for (const auto &r : refused_at_merge) {
		RowError e{r[1].as<std::string>(), r[2].as<std::string>()};
		messages.print(fmt::format("{}:{}: {}{}", o.file, r[0].as<std::uint64_t>(),
		                           e.field.empty() ? "row " : "field " + e.field + ": ", e.reason));
		if (!o.dry_run)
			rejects->add(r[0].as<std::uint64_t>(), e.field, e.reason,
			             cells_from_staged_json(r[3].as<std::string>(), *validator, header_width));
	}
	end_load(tx, s, o.dry_run, rejects, started);
	return s;
}

} // namespace oversight::loader
