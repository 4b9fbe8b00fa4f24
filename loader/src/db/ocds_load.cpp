#include "core/copy_text.hpp"
#include "core/merge_sql.hpp"
#include "core/ocds.hpp"
#include "core/progress.hpp"
#include "core/reject_file.hpp"
#include "db/load.hpp"
#include "db/spool.hpp"
#include "pqxx_compat.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>

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

std::vector<std::string> column_names(const StageTable &t) {
	std::vector<std::string> names;
	for (const auto &c : t.columns)
		names.push_back(c.name);
	return names;
}

std::string select_list(const StageTable &t, const std::string &alias) {
	std::string out;
	for (const auto &c : t.columns)
		out += (out.empty() ? "" : ", ") + alias + "." + quote_ident(c.name);
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

LoadSummary load_ocds_file(pqxx::connection &conn, const LoadOptions &o) {
	auto started = std::chrono::steady_clock::now();
	LoadSummary s;
	s.record_kind = "ocds";
	s.file = o.file;
	s.encoding = "UTF-8"; // JSON is UTF-8 (RFC 8259); simdjson refuses anything else
	OcdsReader reader(o.file, o.ocds_format);

	std::array<Spool, ocds_table_count> spools;
	Spool refused;
	std::optional<RejectFile> rejects;
	if (!o.dry_run)
		rejects.emplace(reject_path_for(o.file, o.reject_dir), std::vector<std::string>{"raw_text"});
	MessageLimiter messages(o);
	Progress progress("ocds", reader.size_hint(), o.progress);
	OcdsRows rows;
	std::string line;
	std::uint64_t releases = 0;
	reader.run(
	    [&](OcdsItem &item) {
		    ++s.rows_read;
		    if (!item.compiled) {
			    messages.print(fmt::format("{}:{}: {}", o.file, item.item_no, item.error));
			    if (rejects)
				    rejects->add(item.item_no, {}, item.error, {item.raw_text});
			    line = std::to_string(item.item_no);
			    copy_append_field(line, item.error);
			    copy_append_field(line, item.raw_text);
			    refused.add(line);
			    return;
		    }
		    releases += item.releases_merged;
		    for (auto &r : rows)
			    r.clear();
		    flatten_compiled_release(*item.compiled, rows);
		    for (size_t t = 0; t < ocds_table_count; ++t)
			    for (const auto &row : rows[t]) {
				    line = std::to_string(item.item_no);
				    for (const auto &v : row)
					    copy_append_field(line, v);
				    spools[t].add(line);
			    }
	    },
	    [&](std::uint64_t bytes) { progress.update(bytes, s.rows_read); });
	progress.finish();
	s.sha256 = reader.sha256_hex();
	s.bytes = reader.bytes_read();
	s.details["releases read"] = releases;

	pqxx::work tx(conn, "oversight-load");
	std::string create =
	    "CREATE TEMP TABLE oversight_ocds_refused (line_no bigint, reason text, raw_text text) ON COMMIT DROP; "
	    "CREATE TEMP TABLE oversight_refused_at_merge (line_no bigint) ON COMMIT DROP";
	for (const auto &t : ocds_stage_tables()) {
		create += "; CREATE TEMP TABLE " + stage_name(t) + " (line_no bigint NOT NULL";
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
	{
		auto copy = pqxx_compat::open_copy(tx, "pg_temp", "oversight_ocds_refused", {"line_no", "reason", "raw_text"});
		refused.replay(*copy);
		copy->complete();
	}
	const std::string process = stage_ref(table(OcdsTable::process));
	s.rows_staged = tx.exec("SELECT pg_catalog.count(*) FROM " + process)[0][0].as<std::uint64_t>();
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
	// The same ocid on two lines of JSON Lines: the first is kept, later ones are refused with their rows.
	run(quarantine_statement(
	    process,
	    "(SELECT line_no, first_line FROM (SELECT line_no, pg_catalog.min(line_no) OVER w AS first_line, "
	    "pg_catalog.row_number() OVER w AS n FROM " +
	        process + " WINDOW w AS (PARTITION BY ocid ORDER BY line_no)) numbered WHERE n > 1) d",
	    "s.line_no = d.line_no", "ocid",
	    "pg_catalog.format('duplicate ocid %s within the file: first at line %s, kept there', r.ocid, r.first_line)",
	    "d.first_line"));
	// A release older than the one stored (by release date) must not overwrite it: its rows are set aside
	// and it counts as unchanged.
	tx.exec("CREATE TEMP TABLE oversight_ocds_stale ON COMMIT DROP AS SELECT s.line_no, s.ocid FROM " + process +
	        " s JOIN oversight.procurement_process t USING (ocid) WHERE t.published_at > s.published_at");
	for (const auto &t : ocds_stage_tables()) {
		if (&t == &table(OcdsTable::process))
			continue;
		tx.exec("DELETE FROM " + stage_ref(t) +
		        " c USING pg_temp.oversight_refused_at_merge m WHERE c.line_no = m.line_no");
		tx.exec("DELETE FROM " + stage_ref(t) + " c USING pg_temp.oversight_ocds_stale x WHERE c.line_no = x.line_no");
	}
	auto stale =
	    tx.exec("DELETE FROM " + process + " c USING pg_temp.oversight_ocds_stale x WHERE c.line_no = x.line_no")
	        .affected_rows();
	if (stale)
		s.details["processes older than the stored release"] = stale;
	auto processes = tx.exec("SELECT pg_catalog.count(*) FROM " + process)[0][0].as<std::uint64_t>();
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
	const StageTable &party = table(OcdsTable::party);
	// A party named by several processes of the file: the last mention wins.
	merge(OcdsTable::party, {"party_code"},
	      "SELECT DISTINCT ON (s.party_code) " + select_list(party, "s") + " FROM " + stage_ref(party) +
	          " s ORDER BY s.party_code, s.line_no DESC",
	      "parties");
	std::string process_columns = select_list(table(OcdsTable::process), "s");
	// A tender period ending before it starts breaks a CHECK: keep the start, drop the end (the document keeps both).
	process_columns.replace(
	    process_columns.find("s.\"tender_period_end\""), std::string("s.\"tender_period_end\"").size(),
	    "CASE WHEN s.tender_period_end < s.tender_period_start THEN NULL ELSE s.tender_period_end END");
	auto [inserted, updated] = merge(
	    OcdsTable::process, {"ocid"},
	    "SELECT " + process_columns + provenance(OcdsTable::process) + " FROM " + process + " s ORDER BY s.ocid", "");
	s.rows_loaded = inserted;
	s.rows_updated = updated;
	s.rows_unchanged = processes - inserted - updated + stale;
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
	std::string contract_columns = select_list(table(OcdsTable::contract), "s");
	contract_columns.replace(contract_columns.find("s.\"period_end\""), std::string("s.\"period_end\"").size(),
	                         "CASE WHEN s.period_end < s.period_start THEN NULL ELSE s.period_end END");
	merge(OcdsTable::contract, {"contract_code"},
	      "SELECT " + contract_columns + provenance(OcdsTable::contract) + " FROM " +
	          stage_ref(table(OcdsTable::contract)) + " s ORDER BY 1",
	      "contracts");
	finish_ledger(tx, s, o.dry_run);
	end_load(tx, s, o.dry_run, rejects, started);
	return s;
}

} // namespace oversight::loader
