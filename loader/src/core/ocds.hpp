// OCDS input: release packages, record packages, single releases or records, and JSON Lines of (compiled)
// releases, OCDS 1.0 and 1.1. The reader hands out every release as received (a record contributes its
// compiledRelease, or its embedded releases); the load keeps each one in oversight.ocds_release and
// compiles every process it touched from all the releases stored for it (compile_releases: the OCDS merge,
// in an order that depends on the releases only, never on the files or their order), then flattens the
// compiled release onto the rows of the canonical procurement tables. Pure code: no database.
#pragma once

#include "core/input_file.hpp"
#include "core/json.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace oversight::loader {

// Staging tables of an OCDS load, in merge order (referenced tables first). The tables after `contract`
// are owned by the compilation (StageTable::owned_key): the details the canonical tables have no column
// for, and the mapping notes (what was read as absent or left out, and why).
enum class OcdsTable {
	party,
	process,
	lot,
	bid,
	bid_tenderer,
	award,
	award_supplier,
	contract,
	process_detail,
	tenderer,
	item,
	amendment,
	transaction,
	related_process,
	mapping_note
};
constexpr size_t ocds_table_count = 15;

struct StageColumn {
	std::string name, sql_type;
	bool field = true;  // a field the ledger's fields_provided may list (canonical fields of a watched kind; no
	                    // source documents)
	bool target = true; // a column of the target table (false: staged for another table, e.g. a party's roles
	                    // for oversight.ocds_party_mention)
};
struct StageTable {
	std::string target;                 // table in schema oversight
	std::vector<StageColumn> columns;   // staging columns after line_no (same names as the target's)
	std::string kind_name = {};         // record kind in fields_provided: "procurement", "bid", "contract"; else target
	std::string provenance_column = {}; // the load that last wrote a record ("load_id"; empty: the table has none)
	std::vector<std::string> owned_key = {}; // set: every row of a compiled process is the compilation's (its key):
	                                         // rows it no longer stages are deleted, the others upserted
};
const std::array<StageTable, ocds_table_count> &ocds_stage_tables();

using StageRow = std::vector<std::optional<std::string>>;
using OcdsRows = std::array<std::vector<StageRow>, ocds_table_count>;

// Flattens one compiled release (normalised) onto staging rows, appended to `out`.
void flatten_compiled_release(const Json &release, OcdsRows &out);

// How a stored document enters the compilation of its process: a release (merged in date order), or a
// compiled release (a record's compiledRelease, a JSON Lines line tagged "compiled": the publisher's own
// compilation as of its date, merged like a release, after the releases of the same date).
enum class ReleaseKind { release, compiled };
const char *release_kind_name(ReleaseKind kind); // "release", "compiled" (oversight.ocds_release.release_kind)

// One unit of an OCDS load: a release as received, or why an input item was refused.
struct OcdsItem {
	std::uint64_t item_no = 0;    // JSON Lines: line number; a package: position of the release or record
	std::optional<Json> document; // set when usable: the release (normalised, see json.hpp)
	ReleaseKind kind = ReleaseKind::release;
	std::string ocid;
	std::string error;    // set when refused
	std::string raw_text; // the refused item as read
};

// A release of one process as stored: what compile_releases orders and merges.
struct StoredRelease {
	ReleaseKind kind = ReleaseKind::release;
	std::string hash; // oversight.ocds_release.release_hash (hex): the last tie-break, so any order is one order
	Json document;
};

// The instant of a release's `date` as a key that sorts in time order whatever the offset it was written
// with ("2016-11-04T21:55:56+02:00" before "2016-11-04T20:00:00Z"); a date without an offset is read as UTC.
// Empty when the release has no readable date (such releases sort first).
std::string release_date_key(const Json &release);

// The compiled release of one process from all its stored releases, given in any order: sorted by date
// (release_date_key), releases before compiled releases of the same instant, then release id, then hash,
// and merged with the OCDS merge rules (ocds_merge). One release is its own compiled release, as
// published; two or more are tagged "compiled". The same set of releases always gives the same document.
Json compile_releases(std::vector<StoredRelease> releases);

enum class OcdsFormat { automatic, json, json_lines };

// Reads an OCDS file, once (a named pipe works), and hands out its items. JSON Lines are streamed line by
// line (memory flat); a single JSON document (package) is parsed whole. Throws InputError when unreadable.
class OcdsReader {
public:
	OcdsReader(std::string path, OcdsFormat format);
	std::uint64_t size_hint() const { return input_.size_hint(); } // 0 for a pipe
	std::uint64_t bytes_read() const { return input_.bytes_read(); }
	// Calls on_item for each item; on_bytes reports progress (bytes consumed so far). Throws InputError when the
	// file holds no JSON text at all (zero bytes, or only white space and byte-order marks): exit 3.
	void run(const std::function<void(OcdsItem &)> &on_item, const std::function<void(std::uint64_t)> &on_bytes);
	OcdsFormat format() const { return format_; }
	const std::string &sha256_hex() const { return sha256_; }

private:
	InputFile input_;
	OcdsFormat format_;
	std::string sha256_;
};

// Classifies one parsed JSON document and emits its releases (exposed for tests).
void emit_document_items(const Json &doc, std::uint64_t base_no, bool number_by_position, const std::string &raw_text,
                         const std::function<void(OcdsItem &)> &on_item);

} // namespace oversight::loader
