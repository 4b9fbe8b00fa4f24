// Turns one decoded CSV row into canonical field values for a record kind, or the first reason to refuse it.
#pragma once

#include "core/mapping.hpp"
#include "core/record_kinds.hpp"

#include <optional>
#include <string>
#include <vector>

namespace oversight::loader {

struct RowError {
	std::string field; // empty: the row as a whole
	std::string reason;
};

class RowValidator {
public:
	RowValidator(const RecordKind &kind, const Mapping &mapping, HeaderBinding binding, size_t header_width);

	// Validates `cells` (decoded UTF-8) into `values` (one per field of the kind; nullopt = NULL).
	// Returns the error when the row must be quarantined.
	std::optional<RowError> validate(const std::vector<std::string> &cells, std::vector<std::optional<std::string>> &values) const;

	// Fields that come from the file, in staging-table order.
	const std::vector<int> &staged_fields() const { return staged_fields_; }
	const HeaderBinding &binding() const { return binding_; }
	const RecordKind &kind() const { return kind_; }

	// Formats an error as the one-line message the user sees: FILE:LINE: field F: "raw" reason
	static std::string message(const std::string &file, std::uint64_t line, const RowError &e, const std::string &raw_value);

private:
	std::optional<RowError> parse_field(const FieldSpec &spec, const std::string &cell, std::optional<std::string> &out) const;

	const RecordKind &kind_;
	const Mapping &mapping_;
	HeaderBinding binding_;
	size_t header_width_;
	std::vector<int> staged_fields_;
};

} // namespace oversight::loader
