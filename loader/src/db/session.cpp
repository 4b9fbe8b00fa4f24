#include "db/load.hpp"

#include "core/json.hpp"
#include "pqxx_compat.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace oversight::loader {

std::unique_ptr<pqxx::connection> connect_database(const std::string &dsn) {
	auto conn = std::make_unique<pqxx::connection>(dsn);
	pqxx::nontransaction tx(*conn);
	tx.exec("SET client_encoding = 'UTF8'; SET application_name = 'oversight-load'");
	if (tx.exec("SELECT FROM pg_catalog.pg_extension WHERE extname = 'oversight'").empty())
		throw pqxx::undefined_table(std::string("extension oversight is not installed in database ") + conn->dbname() +
		                                " (CREATE EXTENSION oversight)",
		                            "", "42P01");
	// Times without an offset in the input are the bureau's local time.
	tx.exec("SELECT pg_catalog.set_config('TimeZone', oversight.setting_value('timezone'), false)");
	return conn;
}

long long insert_ledger(pqxx::work &tx, const LoadSummary &s, const std::string &options_json,
                        const std::string &reason_note) {
	auto r = pqxx_compat::exec_params(
	    tx,
	    "INSERT INTO oversight.load (record_kind, file_name, file_sha256, file_encoding, started_at, status, "
	    "rows_read, loader_version, options) "
	    "VALUES ($1, $2, $3, $4, oversight.now(), 'running', $5, $6, $7::jsonb) RETURNING load_id",
	    s.record_kind, s.file, s.sha256, s.encoding, static_cast<long long>(s.rows_read), loader_version, options_json);
	long long id = r[0][0].as<long long>();
	// Corrections made by this load are audited with its number as the reason.
	pqxx_compat::exec_params(tx, "SELECT pg_catalog.set_config('oversight.reason', $1, true)",
	                         fmt::format("oversight-load: load {} of {} ({}{})", id, s.file, s.record_kind,
	                                     reason_note.empty() ? "" : ", " + reason_note));
	return id;
}

void finish_ledger(pqxx::work &tx, LoadSummary &s, bool dry_run) {
	s.rows_quarantined =
	    pqxx_compat::exec_params(tx, "SELECT pg_catalog.count(*) FROM oversight.quarantine WHERE load_id = $1",
	                             s.load_id)[0][0]
	        .as<std::uint64_t>();
	s.status = dry_run ? "dry_run" : "committed";
	// finished_at follows the injectable clock: oversight.now() plus the time this transaction has taken.
	pqxx_compat::exec_params(
	    tx,
	    "UPDATE oversight.load SET status = $2, finished_at = oversight.now() + (pg_catalog.clock_timestamp() - "
	    "pg_catalog.now()), "
	    "rows_loaded = $3, rows_updated = $4, rows_unchanged = $5, rows_quarantined = $6, mapping_sha256 = "
	    "NULLIF($7::text, ''), fields_provided = NULLIF($8::text, '')::text[] WHERE load_id = $1",
	    s.load_id, s.status, static_cast<long long>(s.rows_loaded), static_cast<long long>(s.rows_updated),
	    static_cast<long long>(s.rows_unchanged), static_cast<long long>(s.rows_quarantined), s.mapping_sha256,
	    s.fields_provided ? text_array_literal(*s.fields_provided) : std::string());
}

void end_load(pqxx::work &tx, LoadSummary &s, bool dry_run, std::optional<RejectFile> &rejects,
              std::chrono::steady_clock::time_point started) {
	if (dry_run) {
		tx.abort();
	} else {
		tx.commit();
		if (rejects)
			s.reject_file = rejects->commit();
	}
	s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

MessageLimiter::~MessageLimiter() {
	if (suppressed_ && dry_run_) // a dry run writes neither the reject file nor oversight.quarantine
		std::fprintf(stderr,
		             "… and %d more refused rows (a dry run keeps none of them: rerun it with --max-messages %d "
		             "to see them all)\n",
		             suppressed_, printed_ + suppressed_);
	else if (suppressed_)
		std::fprintf(stderr, "… and %d more refused rows (see the reject file or oversight.quarantine)\n", suppressed_);
}

void MessageLimiter::print(const std::string &message) {
	if (quiet_)
		return;
	if (printed_ >= max_) {
		++suppressed_;
		return;
	}
	++printed_;
	std::fprintf(stderr, "%s\n", message.c_str());
}

std::string LoadSummary::to_json() const {
	Json j = Json::object();
	auto str = [&](const char *k, const std::string &v) { j[k] = v.empty() ? Json() : Json(v); };
	auto num = [&](const char *k, std::uint64_t v) { j[k] = v; };
	str("status", status);
	num("load_id", load_id);
	str("record_kind", record_kind);
	str("file", file);
	str("sha256", sha256);
	str("encoding", encoding);
	num("rows_read", rows_read);
	num("rows_loaded", rows_loaded);
	num("rows_updated", rows_updated);
	num("rows_unchanged", rows_unchanged);
	num("rows_quarantined", rows_quarantined);
	if (status == "staged")
		num("rows_staged", rows_staged);
	num("bytes", bytes);
	j["seconds"] = seconds;
	str("reject_file", reject_file);
	str("mapping_sha256", mapping_sha256);
	if (fields_provided)
		j["fields_provided"] = *fields_provided;
	else
		j["fields_provided"] = Json();
	Json d = Json::object();
	for (const auto &[k, v] : details)
		d[k] = v;
	j["details"] = d;
	Json w = Json::object();
	for (const auto &[k, v] : warnings)
		w[k] = v;
	j["warnings"] = w;
	return dump(j);
}

std::string LoadSummary::to_text() const {
	std::string out =
	    fmt::format("{}: {} rows read: {} loaded, {} updated, {} unchanged, {} quarantined ({}{}, {:.2f} s, {})", file,
	                rows_read, rows_loaded, rows_updated, rows_unchanged, rows_quarantined, status,
	                load_id ? fmt::format(" load {}", load_id) : "", seconds, encoding);
	if (status == "staged")
		out = fmt::format("{}: {} rows staged then rolled back ({:.2f} s, {})", file, rows_staged, seconds, encoding);
	for (const auto &[k, v] : details)
		out += fmt::format("\n  {}: {}", k, v);
	for (const auto &[k, v] : warnings)
		out += fmt::format("\n  warning: {} {}{}", v, k,
		                   k == "short_rows" ? " (rows without some trailing columns: those cells read as empty)" : "");
	if (!reject_file.empty())
		out += "\n  refused rows: " + reject_file;
	return out;
}

} // namespace oversight::loader
