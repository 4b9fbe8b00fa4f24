// Loads of one file into the canonical tables, in one transaction: stream through COPY into a temporary
// staging table, refuse bad rows set-based into oversight.quarantine, merge with one upsert, record the
// ledger row in oversight.load. A kill at any point leaves nothing; a rerun gives the same database.
#pragma once

#include "core/encoding.hpp"
#include "core/ocds.hpp"
#include "core/record_kinds.hpp"
#include "core/reject_file.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace oversight::loader {

inline const char *loader_version = "0.1.0";

struct LoadOptions {
	std::string file;
	std::optional<Encoding> encoding; // CSV: forced encoding (else detected)
	std::string mapping_file;         // CSV: explicit mapping file
	std::string mapping_dir;          // CSV: directory of KIND.map files
	std::string mapping_name;         // CSV: a mapping stored in oversight.mapping (--mapping-name), instead
	std::optional<int> mapping_version; // its version (--mapping-version), else the latest
	OcdsFormat ocds_format = OcdsFormat::automatic;
	std::string reject_dir;          // where reject files go ("" = beside the input)
	bool dry_run = false;            // everything, then roll back
	bool stop_after_staging = false; // benchmark: stream into staging, then roll back
	bool progress = false;           // draw a progress bar
	bool quiet = false;              // no per-row messages
	int max_messages = 20;           // per-row messages printed before "… and N more"
	std::string currency;            // CSV: --currency, the currency of every row ("" = column, mapping or database)
	bool correction = false;         // CSV: a changed payee, amount or date corrects the stored record
};

// The session may not write the kind's table (discretion bands are oversight_admin's): nothing is read.
struct PermissionError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

struct LoadSummary {
	std::string record_kind, file, sha256, encoding, status, reject_file;
	long long load_id = 0;
	std::uint64_t rows_read = 0, rows_loaded = 0, rows_updated = 0, rows_unchanged = 0, rows_quarantined = 0,
	              rows_staged = 0, bytes = 0;
	double seconds = 0;
	std::map<std::string, std::uint64_t> details;  // e.g. per-table counts of an OCDS load, parties created
	std::map<std::string, std::uint64_t> warnings; // rows loaded despite something, e.g. short_rows
	std::string mapping_sha256;                    // CSV: SHA-256 of the mapping file used ("" for OCDS: none)
	std::optional<std::vector<std::string>> fields_provided; // "payment.paid_on"…: the canonical fields filled
	std::string to_json() const;
	std::string to_text() const;
};

// Connects (libpq conninfo or URI; "" = PG* environment and ~/.pgpass) and prepares the session: UTF-8,
// application_name, the bureau's time zone. Throws pqxx::broken_connection when unreachable.
std::unique_ptr<pqxx::connection> connect_database(const std::string &dsn);

LoadSummary load_csv_file(pqxx::connection &conn, const RecordKind &kind, const LoadOptions &options);
LoadSummary load_ocds_file(pqxx::connection &conn, const LoadOptions &options);

// Shared by both loads: prints a refusal unless quiet or past the message limit.
class MessageLimiter {
public:
	MessageLimiter(const LoadOptions &o) : quiet_(o.quiet), dry_run_(o.dry_run), max_(o.max_messages) {}
	~MessageLimiter();
	void print(const std::string &message);

private:
	bool quiet_, dry_run_;
	int max_, printed_ = 0, suppressed_ = 0;
};

// The ledger row: inserted once the file has been read (its SHA-256 known), finished before commit.
// `reason_note` is added to the audit reason of the load's corrections (e.g. "--correction").
long long insert_ledger(pqxx::work &tx, const LoadSummary &s, const std::string &options_json,
                        const std::string &reason_note = {});
// Counts, status, and what the load provided: mapping_sha256 (NULL for OCDS) and fields_provided.
void finish_ledger(pqxx::work &tx, LoadSummary &s, bool dry_run);
// Ends a load: a dry run rolls back; otherwise COMMIT, and only then the reject file is put in place.
void end_load(pqxx::work &tx, LoadSummary &s, bool dry_run, std::optional<RejectFile> &rejects,
              std::chrono::steady_clock::time_point started);

} // namespace oversight::loader
