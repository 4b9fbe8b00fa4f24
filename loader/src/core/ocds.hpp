// OCDS input: release packages, record packages, single releases or records, and JSON Lines of (compiled)
// releases, OCDS 1.0 and 1.1. Each contracting process becomes one compiled release (releases of one ocid
// in a file are merged as OCDS does; a record's compiledRelease is used as published), which is then
// flattened onto the rows of the canonical procurement tables. Pure code: no database.
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

// Staging tables of an OCDS load, in merge order (referenced tables first).
enum class OcdsTable { party, process, lot, bid, bid_tenderer, award, award_supplier, contract };
constexpr size_t ocds_table_count = 8;

struct StageColumn {
	std::string name, sql_type;
	bool field = true; // a field the ledger's fields_provided may list (canonical fields of a watched kind; no
	                   // source documents)
};
struct StageTable {
	std::string target;                 // table in schema oversight
	std::vector<StageColumn> columns;   // staging columns after line_no (same names as the target's)
	std::string kind_name = {};         // record kind in fields_provided: "procurement", "bid", "contract"; else target
	std::string provenance_column = {}; // the load that last wrote a record ("load_id"; empty: the table has none)
};
const std::array<StageTable, ocds_table_count> &ocds_stage_tables();

using StageRow = std::vector<std::optional<std::string>>;
using OcdsRows = std::array<std::vector<StageRow>, ocds_table_count>;

// Flattens one compiled release (normalised) onto staging rows, appended to `out`.
void flatten_compiled_release(const Json &release, OcdsRows &out);

// One unit of an OCDS load: a compiled release, or why an input item was refused.
struct OcdsItem {
	std::uint64_t item_no = 0;    // JSON Lines: line number; a package: position of the (first) release or record
	std::optional<Json> compiled; // set when usable
	std::string ocid;
	std::string error;          // set when refused
	std::string raw_text;       // the refused item as read
	size_t releases_merged = 0; // releases compiled into this process
};

enum class OcdsFormat { automatic, json, json_lines };

// Reads an OCDS file, once (a named pipe works), and hands out its items. JSON Lines are streamed line by
// line (memory flat); a single JSON document (package) is parsed whole. Throws InputError when unreadable.
class OcdsReader {
public:
	OcdsReader(std::string path, OcdsFormat format);
	std::uint64_t size_hint() const { return input_.size_hint(); } // 0 for a pipe
	std::uint64_t bytes_read() const { return input_.bytes_read(); }
	// Calls on_item for each item; on_bytes reports progress (bytes consumed so far).
	void run(const std::function<void(OcdsItem &)> &on_item, const std::function<void(std::uint64_t)> &on_bytes);
	OcdsFormat format() const { return format_; }
	const std::string &sha256_hex() const { return sha256_; }

private:
	InputFile input_;
	OcdsFormat format_;
	std::string sha256_;
};

// Classifies one parsed JSON document and emits its compiled releases (exposed for tests).
void emit_document_items(const Json &doc, std::uint64_t base_no, bool number_by_position, const std::string &raw_text,
                         const std::function<void(OcdsItem &)> &on_item);

} // namespace oversight::loader
