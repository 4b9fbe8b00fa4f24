// Turns one decoded CSV row into canonical field values for a record kind, or the first reason to refuse it.
#pragma once

#include "core/mapping.hpp"
#include "core/name_index.hpp"
#include "core/record_kinds.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oversight::loader {

struct RowError {
	std::string field; // empty: the row as a whole
	std::string reason;
};

// The validated values of one row, one per field of the kind (nullopt = NULL), reused row to row. A value
// is a view of its cell when the cell is already canonical (most are: no copy), of storage[f] when it had
// to be rewritten (1,234.50 → 1234.50), or of a constant (a default, an enumeration value). Valid while
// the cells live and until the next validate().
struct RowValues {
	std::vector<std::optional<std::string_view>> values;
	std::vector<std::string> storage;
	bool short_row = false; // the row lacked trailing columns of the header, read as empty (a warning)
	const std::optional<std::string_view> &operator[](size_t f) const { return values[f]; }
};

class RowValidator {
public:
	RowValidator(const RecordKind &kind, const Mapping &mapping, HeaderBinding binding, size_t header_width);

	// Validates `cells` (decoded UTF-8) into `out`. Returns the error when the row must be quarantined.
	// `check_cells` = false skips the per-cell NUL and U+FEFF checks (the caller found none in the whole row).
	std::optional<RowError> validate(const std::vector<std::string_view> &cells, RowValues &out,
	                                 bool check_cells = true) const;
	// The same with owned strings (tests, tools).
	std::optional<RowError> validate(const std::vector<std::string> &cells,
	                                 std::vector<std::optional<std::string>> &values) const;

	// Fields that come from the file or the mapping, in staging-table order.
	const std::vector<int> &staged_fields() const { return staged_fields_; }
	// by_name: the field's names are resolved by `resolver` (which outlives the validator).
	void set_resolver(int field, NameResolver *resolver) { resolvers_[static_cast<size_t>(field)] = resolver; }
	// The column whose cell a refusal of `field` quotes: its own, else the name or date column it derives from.
	int cell_column(int field) const;
	const HeaderBinding &binding() const { return binding_; }
	const RecordKind &kind() const { return kind_; }

	// Formats an error as the one-line message the user sees: FILE:LINE: field F: "raw" reason
	static std::string message(const std::string &file, std::uint64_t line, const RowError &e,
	                           std::string_view raw_value);

private:
	std::optional<RowError> parse_field(size_t f, std::string_view cell, std::optional<std::string_view> &out,
	                                    std::string &storage, bool check_cells) const;
	// The sources besides the field's own column: constant, key parts, name, year, the mapping's default.
	std::optional<RowError> fill_from_sources(size_t f, const std::vector<std::string_view> &cells,
	                                          std::optional<std::string_view> &out, std::string &storage,
	                                          bool check_cells) const;
	const std::string *alias_of(size_t f, std::string_view value) const;
	// A signed amount (payments): a negative amount sets the row's direction when the file or mapping gives one
	// (refund unless the row says credit note; "payment" from a cell or const: contradicts it); a row naming the
	// record it reverses must be a reversal. The amount stays signed (the merge stores its magnitude).
	std::optional<RowError> apply_sign(const std::vector<std::string_view> &cells, RowValues &out) const;

	const RecordKind &kind_;
	const Mapping &mapping_;
	HeaderBinding binding_;
	size_t header_width_;
	std::vector<int> staged_fields_;
	std::vector<bool> is_key_;                  // per field of the kind: part of the natural key
	std::vector<std::vector<int>> rule_inputs_; // per rule of the kind: the field position of each input (-1: unknown)
	std::vector<const std::map<std::string, std::string> *> aliases_; // per field: its [values.F] table, or null
	std::vector<bool> simple_;                                        // per field: its column, or nothing
	std::vector<size_t> active_; // fields validate() looks at: a column, another source, a default, or required
	std::vector<NameResolver *> resolvers_;                   // per field: by_name, or null
	int signed_amount_ = -1, direction_ = -1, reverses_ = -1; // the kind's SignedAmount fields (-1: none)
	bool direction_staged_ = false;        // the file or mapping gives the direction (else the merge derives it)
	std::vector<std::vector<int>> one_of_; // per RecordKind::one_of_required: its fields
};

} // namespace oversight::loader
