#include "core/copy_text.hpp"
#include "core/merge_sql.hpp"
#include "core/ocds.hpp"
#include "core/progress.hpp"
#include "core/reject_file.hpp"
#include "core/values.hpp"
#include "db/load.hpp"
#include "db/spool.hpp"
#include "pqxx_compat.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <tuple>

namespace oversight::loader {
namespace {

std::string stage_name(const StageTable &t) {
	return "oversight_ocds_" + t.target;
}
std::string stage_ref(const StageTable &t) {
	return "pg_temp." + stage_name(t);
}
const StageTable &table(OcdsTable t) {
	return ocds_stage_tables()[static_cast<size_t>(t)];
}

// The staged columns of the target table (not those staged for another table).
std::vector<std::string> column_names(const StageTable &t) {
	std::vector<std::string> names;
	for (const auto &c : t.columns)
		if (c.target)
			names.push_back(c.name);
	return names;
}

std::string select_list(const StageTable &t, const std::string &alias) {
	std::string out;
	for (const auto &name : column_names(t))
		out += (out.empty() ? "" : ", ") + alias + "." + quote_ident(name);
	return out;
}

// After the select list of a table that records its provenance: the load's number, $1.
std::string provenance(OcdsTable t) {
	return table(t).provenance_column.empty() ? "" : ", $1::bigint";
}

// The ledger's fields_provided of an OCDS load: per target table, the fields with a value in at least one of the
// rows the load goes on to merge ("procurement.tender_period_start", "party.address", …).
std::vector<std::string> fields_with_values(pqxx::work &tx) {
	std::vector<std::string> out;
	for (const auto &t : ocds_stage_tables()) {
		std::vector<const StageColumn *> fields;
		std::string sql;
		for (const auto &c : t.columns)
			if (c.field) {
				fields.push_back(&c);
				sql +=
				    (sql.empty() ? "SELECT " : ", ") + std::string("pg_catalog.count(") + quote_ident(c.name) + ") > 0";
			}
		if (fields.empty())
			continue;
		auto row = tx.exec(sql + " FROM " + stage_ref(t))[0];
		for (size_t i = 0; i < fields.size(); ++i)
			if (row[static_cast<int>(i)].as<bool>())
				out.push_back(t.kind_name + "." + fields[i]->name);
	}
	return out;
}

} // namespace

// Where compilation happens, and why there: the loader keeps every release as received in
// oversight.ocds_release (deduplicated by content: a release already stored is a no-op), then reads back
// ALL the stored releases of each process the file touched, compiles them in C++ (compile_releases: the
// same merge the package path always used, in an order that depends on the releases only) and writes the
// canonical rows through the one staging-and-upsert path below. So a process is always the compilation of
// everything received for it, whichever files brought it and in whatever order: the same set of releases
// gives the same compiled document and the same rows, byte for byte. Compiling in C++ rather than in SQL
// keeps one implementation of the OCDS merge (unit-tested, with the normalisation and exact numbers of
// json.hpp), and the canonical tables keep being written by the path the rules' triggers already watch.
LoadSummary load_ocds_file(pqxx::connection &conn, const LoadOptions &o) {
	auto started = std::chrono::steady_clock::now();
	LoadSummary s;
	s.record_kind = "ocds";
	s.file = o.file;
	s.encoding = "UTF-8"; // JSON is UTF-8 (RFC 8259); simdjson refuses anything else
	OcdsReader reader(o.file, o.ocds_format);

	Spool incoming, refused;
	std::optional<RejectFile> rejects;
	if (!o.dry_run)
		rejects.emplace(reject_path_for(o.file, o.reject_dir), std::vector<std::string>{"raw_text"});
	MessageLimiter messages(o);
	Progress progress("ocds", reader.size_hint(), o.progress);
	std::string line;
	std::uint64_t releases = 0;
	reader.run(
	    [&](OcdsItem &item) {
		    ++s.rows_read;
		    if (!item.document) {
			    messages.print(fmt::format("{}:{}: {}", o.file, item.item_no, item.error));
			    if (rejects)
				    rejects->add(item.item_no, {}, item.error, {item.raw_text});
			    line = std::to_string(item.item_no);
			    copy_append_field(line, item.error);
			    copy_append_field(line, item.raw_text);
			    refused.add(line);
			    return;
		    }
		    ++releases;
		    const Json &doc = *item.document;
		    std::string id = get_text(doc, "id");
		    line = std::to_string(item.item_no);
		    copy_append_field(line, item.ocid);
		    copy_append_field(line, std::string(release_kind_name(item.kind)));
		    copy_append_field(line, trim(id).empty() ? std::nullopt : std::optional<std::string>(id));
		    copy_append_field(line, parse_timestamp(get_text(doc, "date")).value);
		    copy_append_field(line, dump(doc));
		    incoming.add(line);
	    },
	    [&](std::uint64_t bytes) { progress.update(bytes, s.rows_read); });
	progress.finish();
	s.sha256 = reader.sha256_hex();
	s.bytes = reader.bytes_read();
	s.details["releases read"] = releases;

	pqxx::work tx(conn, "oversight-load");
	tx.exec("CREATE TEMP TABLE oversight_ocds_refused (line_no bigint, reason text, raw_text text) ON COMMIT DROP; "
	        "CREATE TEMP TABLE oversight_ocds_incoming (line_no bigint NOT NULL, ocid text NOT NULL, release_kind text "
	        "NOT NULL, release_id text, release_date timestamptz, document jsonb NOT NULL) ON COMMIT DROP");
	{
		auto copy =
		    pqxx_compat::open_copy(tx, "pg_temp", "oversight_ocds_incoming",
		                           {"line_no", "ocid", "release_kind", "release_id", "release_date", "document"});
		incoming.replay(*copy);
		copy->complete();
	}
	{
		auto copy = pqxx_compat::open_copy(tx, "pg_temp", "oversight_ocds_refused", {"line_no", "reason", "raw_text"});
		refused.replay(*copy);
		copy->complete();
	}
	s.rows_staged = releases;
	if (o.stop_after_staging) {
		tx.abort();
		s.status = "staged";
		return s;
	}

	s.load_id = insert_ledger(
	    tx, s,
	    fmt::format("{{\"format\": \"{}\"}}", reader.format() == OcdsFormat::json_lines ? "json_lines" : "json"));
	auto run = [&](const std::string &sql) { return pqxx_compat::exec_params(tx, sql, s.load_id, o.file); };
	run("INSERT INTO oversight.quarantine (load_id, line_no, file_name, field, reason, raw_text) SELECT $1, line_no, "
	    "$2, NULL, reason, raw_text FROM "
	    "pg_temp.oversight_ocds_refused");

	// Keep every release as received. Its identity is its content (the SHA-256 of its jsonb text, so member
	// order and white space do not matter): a release already stored, or given twice, is stored once and
	// counts as unchanged. Two different releases under one release id (a publisher's correction, or two
	// exports of one release) are both kept; compile_releases orders them by content.
	tx.exec("CREATE TEMP TABLE oversight_ocds_existing ON COMMIT DROP AS SELECT DISTINCT i.ocid FROM "
	        "pg_temp.oversight_ocds_incoming i JOIN oversight.procurement_process p ON p.ocid = i.ocid; "
	        "CREATE TEMP TABLE oversight_ocds_new (ocid text NOT NULL, line_no bigint NOT NULL) ON COMMIT DROP");
	pqxx_compat::exec_params(
	    tx,
	    "WITH stored AS (INSERT INTO oversight.ocds_release (ocid, release_hash, release_kind, release_id, "
	    "release_date, document, load_id, line_no) SELECT DISTINCT ON (i.ocid, h.hash) i.ocid, h.hash, "
	    "i.release_kind, i.release_id, i.release_date, i.document, $1, i.line_no FROM pg_temp.oversight_ocds_incoming "
	    "i CROSS JOIN LATERAL (SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(i.document::text, "
	    "'UTF8')), 'hex') AS hash) h ORDER BY i.ocid, h.hash, i.line_no ON CONFLICT DO NOTHING RETURNING ocid, "
	    "line_no) INSERT INTO pg_temp.oversight_ocds_new SELECT ocid, line_no FROM stored",
	    s.load_id);
	auto counts = tx.exec("SELECT pg_catalog.count(*) FILTER (WHERE e.ocid IS NULL), pg_catalog.count(*) FILTER "
	                      "(WHERE e.ocid IS NOT NULL) FROM pg_temp.oversight_ocds_new n LEFT JOIN "
	                      "pg_temp.oversight_ocds_existing e ON e.ocid = n.ocid")[0];
	s.rows_loaded = counts[0].as<std::uint64_t>();                // new releases of processes new to the database
	s.rows_updated = counts[1].as<std::uint64_t>();               // new releases of processes already stored
	s.rows_unchanged = releases - s.rows_loaded - s.rows_updated; // releases already stored (or twice in the file)
	s.details["releases stored"] = s.rows_loaded + s.rows_updated;
	s.details["releases already stored"] = s.rows_unchanged;

	// Compile every touched process from all its stored releases, one process at a time (a cursor: memory
	// holds one process's releases), onto the staging rows, numbered by process in ocid order.
	std::array<Spool, ocds_table_count> spools;
	OcdsRows rows;
	std::uint64_t processes = 0;
	simdjson::ondemand::parser parser;
	std::vector<StoredRelease> group;
	std::string group_ocid;
	auto compile_group = [&] {
		if (group.empty())
			return;
		Json compiled = compile_releases(std::move(group));
		group.clear();
		++processes;
		for (auto &r : rows)
			r.clear();
		flatten_compiled_release(compiled, rows);
		for (size_t t = 0; t < ocds_table_count; ++t)
			for (const auto &row : rows[t]) {
				line = std::to_string(processes);
				for (const auto &v : row)
					copy_append_field(line, v);
				spools[t].add(line);
			}
	};
	tx.exec("DECLARE oversight_ocds_touched NO SCROLL CURSOR FOR SELECT r.ocid, r.release_kind, r.release_hash, "
	        "r.document::text FROM oversight.ocds_release r WHERE r.ocid IN (SELECT ocid FROM "
	        "pg_temp.oversight_ocds_new) ORDER BY r.ocid");
	for (;;) {
		pqxx::result batch = tx.exec("FETCH FORWARD 500 FROM oversight_ocds_touched");
		if (batch.empty())
			break;
		for (const auto &r : batch) {
			std::string ocid = r[0].as<std::string>();
			if (ocid != group_ocid) {
				compile_group();
				group_ocid = ocid;
			}
			simdjson::padded_string text(r[3].as<std::string>());
			group.push_back({r[1].as<std::string>() == "compiled" ? ReleaseKind::compiled : ReleaseKind::release,
			                 r[2].as<std::string>(), parse_document(text, parser)});
		}
	}
	compile_group();
	tx.exec("CLOSE oversight_ocds_touched");
	s.details["processes compiled"] = processes;

	std::string create;
	for (const auto &t : ocds_stage_tables()) {
		create += std::string(create.empty() ? "" : "; ") + "CREATE TEMP TABLE " + stage_name(t) +
		          " (line_no bigint NOT NULL";
		for (const auto &c : t.columns)
			create += ", " + quote_ident(c.name) + " " + c.sql_type;
		create += ") ON COMMIT DROP";
	}
	tx.exec(create);
	for (size_t t = 0; t < ocds_table_count; ++t) {
		std::vector<std::string> cols{"line_no"};
		for (const auto &c : ocds_stage_tables()[t].columns)
			cols.push_back(quote_ident(c.name));
		auto copy = pqxx_compat::open_copy(tx, "pg_temp", stage_name(ocds_stage_tables()[t]), cols);
		spools[t].replay(*copy);
		copy->complete();
	}
	const std::string process = stage_ref(table(OcdsTable::process));
	s.fields_provided = fields_with_values(tx);

	// `select_sql` yields the stage table's columns; where the target records its provenance, the load's number
	// ($1) follows them, written with every insert and real change but compared with nothing.
	auto merge = [&](OcdsTable which, const std::vector<std::string> &key, const std::string &select_sql,
	                 const std::string &label) {
		const StageTable &t = table(which);
		std::string conflict = "(";
		for (size_t i = 0; i < key.size(); ++i)
			conflict += (i ? ", " : "") + quote_ident(key[i]);
		std::vector<std::string> columns = column_names(t);
		pqxx::result r;
		if (t.provenance_column.empty()) {
			r = tx.exec(upsert_statement(t.target, columns, key, conflict + ")", select_sql));
		} else {
			columns.push_back(t.provenance_column);
			r = pqxx_compat::exec_params(
			    tx, upsert_statement(t.target, columns, key, conflict + ")", select_sql, {}, {t.provenance_column}),
			    s.load_id);
		}
		auto inserted = r[0][0].as<std::uint64_t>(), updated = r[0][1].as<std::uint64_t>();
		if (!label.empty()) {
			s.details[label + " inserted"] = inserted;
			s.details[label + " updated"] = updated;
		}
		return std::make_pair(inserted, updated);
	};
	// Parties: each compiled process's mentions replace its earlier ones in oversight.ocds_party_mention, and
	// every party they name (or named) takes the mention of the process with the latest compiled release,
	// then the greatest ocid, among all processes' mentions: a deterministic choice, not the last file's.
	const StageTable &party = table(OcdsTable::party);
	std::string party_columns = select_list(party, "s"); // party_code first
	tx.exec("CREATE TEMP TABLE oversight_ocds_party_codes ON COMMIT DROP AS SELECT m.party_code FROM "
	        "oversight.ocds_party_mention m WHERE m.ocid IN (SELECT ocid FROM " +
	        process + ") UNION SELECT party_code FROM " + stage_ref(party));
	tx.exec("DELETE FROM oversight.ocds_party_mention m USING " + process +
	        " p WHERE m.ocid = p.ocid AND NOT EXISTS (SELECT FROM " + stage_ref(party) +
	        " s WHERE s.line_no = p.line_no AND s.party_code = m.party_code)");
	{
		std::vector<std::string> columns{"ocid", "published_at"};
		for (const auto &c : column_names(party))
			columns.push_back(c);
		columns.push_back("roles");
		tx.exec(upsert_statement("ocds_party_mention", columns, {"party_code", "ocid"}, "(party_code, ocid)",
		                         "SELECT DISTINCT ON (s.party_code, p.ocid) p.ocid, p.published_at, " + party_columns +
		                             ", s.roles FROM " + stage_ref(party) + " s JOIN " + process +
		                             " p ON p.line_no = s.line_no ORDER BY s.party_code, p.ocid"));
	}
	merge(OcdsTable::party, {"party_code"},
	      "SELECT " + select_list(party, "m") +
	          " FROM (SELECT DISTINCT ON (x.party_code) x.* FROM oversight.ocds_party_mention x WHERE x.party_code IN "
	          "(SELECT party_code FROM pg_temp.oversight_ocds_party_codes) ORDER BY x.party_code, x.published_at DESC "
	          "NULLS LAST, x.ocid DESC) m ORDER BY m.party_code",
	      "parties");
	std::string process_columns = select_list(table(OcdsTable::process), "s");
	// planning.budget.projectID names a budget project only when the bureau's budget has that project (a
	// budget project needs a unit and an amount OCDS does not give: never created here); the project as
	// published stays in oversight.ocds_process_detail.
	const std::string budget_project = "s.\"budget_project_code\"";
	process_columns.replace(process_columns.find(budget_project), budget_project.size(),
	                        "(SELECT b.project_code FROM oversight.budget_project b WHERE b.project_code = "
	                        "s.budget_project_code)");
	merge(OcdsTable::process, {"ocid"},
	      "SELECT " + process_columns + provenance(OcdsTable::process) + " FROM " + process + " s ORDER BY s.ocid",
	      "processes");
	for (auto [which, key2, label] : {std::tuple{OcdsTable::lot, "lot_id", "lots"},
	                                  {OcdsTable::bid, "bid_id", "bids"},
	                                  {OcdsTable::award, "award_id", "awards"}})
		merge(which, {"ocid", key2},
		      "SELECT " + select_list(table(which), "s") + provenance(which) + " FROM " + stage_ref(table(which)) +
		          " s ORDER BY 1, 2",
		      label);
	// Tenderers of a bid and suppliers of an award are replaced by the ones the release names.
	for (auto [link, parent, key2] : {std::tuple{OcdsTable::bid_tenderer, OcdsTable::bid, "bid_id"},
	                                  {OcdsTable::award_supplier, OcdsTable::award, "award_id"}}) {
		const StageTable &l = table(link);
		std::string k = quote_ident(key2);
		tx.exec("DELETE FROM oversight." + quote_ident(l.target) + " x USING " + stage_ref(table(parent)) +
		        " p WHERE x.ocid = p.ocid AND x." + k + " = p." + k + " AND NOT EXISTS (SELECT FROM " + stage_ref(l) +
		        " n WHERE n.ocid = x.ocid AND n." + k + " = x." + k + " AND n.party_code = x.party_code)");
		tx.exec("INSERT INTO oversight." + quote_ident(l.target) + " (ocid, " + k +
		        ", party_code) SELECT DISTINCT ocid, " + k + ", party_code FROM " + stage_ref(l) +
		        " ON CONFLICT DO NOTHING");
	}
	merge(OcdsTable::contract, {"contract_code"},
	      "SELECT " + select_list(table(OcdsTable::contract), "s") + provenance(OcdsTable::contract) + " FROM " +
	          stage_ref(table(OcdsTable::contract)) + " s ORDER BY 1",
	      "contracts");
	// The tables the compilation owns (details, items, tenderers, amendments, transactions, related processes,
	// mapping notes): a compiled process's rows are exactly what its compiled release stages.
	for (const auto &t : ocds_stage_tables()) {
		if (t.owned_key.empty())
			continue;
		std::string same_key, order;
		for (const auto &k : t.owned_key) {
			same_key += " AND n." + quote_ident(k) + " = x." + quote_ident(k);
			order += (order.empty() ? "" : ", ") + std::string("s.") + quote_ident(k);
		}
		auto removed = tx.exec("DELETE FROM oversight." + quote_ident(t.target) + " x USING " + process +
		                       " p WHERE x.ocid = p.ocid AND NOT EXISTS (SELECT FROM " + stage_ref(t) + " n WHERE " +
		                       same_key.substr(5) + ")")
		                   .affected_rows();
		auto which = static_cast<OcdsTable>(&t - ocds_stage_tables().data());
		auto [inserted, updated] = merge(which, t.owned_key,
		                                 "SELECT " + select_list(t, "s") + " FROM " + stage_ref(t) + " s ORDER BY " + order, "");
		if (inserted || updated || removed)
			s.details[t.target + " rows written"] = inserted + updated + removed;
	}
	// What the compilation no longer holds goes: lots, and the bids, awards and contracts an OCDS load wrote
	// (source_document set; CSV loads never set it), of the compiled processes, that their compiled release
	// does not name (a later release replaced an array or set it null). Without this, a row seen in an
	// intermediate compilation would survive in one file order and not in another. A contract that a payment
	// or a supplementary contract refers to is kept. Deletions are audited row by row.
	for (auto [which, key, owned] : {std::tuple{OcdsTable::contract, "contract_code", true},
	                                 {OcdsTable::lot, "lot_id", false},
	                                 {OcdsTable::bid, "bid_id", true},
	                                 {OcdsTable::award, "award_id", true}}) {
		const StageTable &t = table(which);
		std::string k = quote_ident(key);
		std::string sql = "DELETE FROM oversight." + quote_ident(t.target) + " x USING " + process +
		                  " p WHERE x.ocid = p.ocid" + (owned ? " AND x.source_document IS NOT NULL" : "") +
		                  " AND NOT EXISTS (SELECT FROM " + stage_ref(t) + " n WHERE n.ocid = x.ocid AND n." + k +
		                  " = x." + k + ")";
		if (which == OcdsTable::contract)
			sql += " AND NOT EXISTS (SELECT FROM oversight.payment y WHERE y.contract_code = x.contract_code) AND NOT "
			       "EXISTS (SELECT FROM oversight.contract z WHERE z.parent_contract_code = x.contract_code)";
		if (auto removed = tx.exec(sql).affected_rows())
			s.details[std::string(t.target) + " rows no longer in the compiled release, removed"] = removed;
	}
	finish_ledger(tx, s, o.dry_run);
	end_load(tx, s, o.dry_run, rejects, started);
	return s;
}

} // namespace oversight::loader
