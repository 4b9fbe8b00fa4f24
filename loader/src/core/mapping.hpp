// Mapping files: how an export's column headers (Chinese or English) and its coded values map onto a
// record kind's canonical fields, so a new export format needs a mapping file, not code.
//
//   # comment
//   [columns]
//   payment_code   = 支付凭证号 | 凭证号 | voucher_no
//   [values.payment_method]
//   cash           = 现金 | 现金支付
//
// A header may feed several fields (e.g. 采购方式 → procurement_method and method_details). Canonical field
// names always match themselves. Headers and values match ignoring ASCII case, surrounding spaces and
// full-width forms.
#pragma once

#include "core/record_kinds.hpp"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace oversight::loader {

struct MappingError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

struct Mapping {
	std::string source;                                             // file it came from
	std::map<std::string, std::vector<std::string>> column_aliases; // canonical field → header aliases
	std::map<std::string, std::map<std::string, std::string>>
	    value_aliases; // field → normalised alias → canonical value

	// Parses mapping text; throws MappingError naming the line. Fields must exist in `kind`.
	static Mapping parse(const std::string &text, const std::string &source, const RecordKind &kind);
	static Mapping load(const std::string &path, const RecordKind &kind);

	// The canonical value for `value` of `field` when an alias matches, else `value` itself.
	std::string canonical_value(const std::string &field, const std::string &value) const;
};

// Header or value as compared: full-width folded, trimmed, ASCII lower-cased, inner spaces removed.
std::string normalise_label(const std::string &label);

// Which column of the file feeds each field of the kind (-1 when none), and which headers are unused.
struct HeaderBinding {
	std::vector<int> column_of_field; // index = field index of the kind
	std::vector<std::string> unmapped_headers;
	std::vector<std::string> missing_required; // required fields without a column and without a default
	bool has(int field_index) const { return column_of_field[static_cast<size_t>(field_index)] >= 0; }
};

HeaderBinding bind_header(const std::vector<std::string> &header, const Mapping &mapping, const RecordKind &kind);

} // namespace oversight::loader
