// Mapping files: everything a source needs to load into a record kind — which column (Chinese or English
// header) or other source fills each canonical field, the coded values' aliases, and the file's encoding,
// date order and key — so a new export format needs a mapping file, not code.
//
//   # comment
//   encoding   = gb18030                       settings of the file, before any section:
//   date_order = dmy                           dmy | mdy | ymd (numeric dates not starting with a year)
//   key        = 'FYLDE' + Transaction Number  the key field built from columns and 'literals', joined by -
//   [columns]
//   payment_code     = 支付凭证号 | 凭证号 | voucher_no   header names, the first one present wins
//   currency         = const:CNY                  every row
//   status           = 状态 | default:paid          when the cell is empty or the column absent
//   fiscal_year      = year:支付日期               the year of a date column (a header or a field name)
//   payee_party_code = 信用代码 | by_name:收款人     a party or unit found by its name (a party is created
//                                                 when none has it); a code in the column wins
//   refund_of        = key:'FYLDE' + Original No   a code built like the key (empty columns: no value)
//   [values.payment_method]
//   cash             = 现金 | 现金支付               aliases of values, for a field of any kind (text too)
//
// A header may feed several fields (e.g. 采购方式 → procurement_method and method_details). Canonical field
// names always match themselves. Headers and values match ignoring ASCII case, surrounding spaces and
// full-width forms. A header that really starts like a directive is written in double quotes ("note: x").
// Anything the loader would not use (an unknown section, setting, field, directive or value) is an error
// naming the file, line and key: a mapping never fails silently.
#pragma once

#include "core/encoding.hpp"
#include "core/record_kinds.hpp"
#include "core/values.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace oversight::loader {

struct MappingError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

// One part of a key built from several columns: a column header, or a literal ('FYLDE').
struct KeyPart {
	std::string text;
	bool literal = false;
};

struct Mapping {
	std::string source;                                             // file it came from
	std::map<std::string, std::vector<std::string>> column_aliases; // canonical field → header aliases
	std::map<std::string, std::map<std::string, std::string>>
	    value_aliases;                                       // field → normalised alias → canonical value
	std::map<std::string, std::map<std::string, std::string>>
	    value_spellings;                                     // field → alias as written → canonical value
	std::map<std::string, std::string> constants;            // field → canonical value (const:)
	std::map<std::string, std::string> defaults;             // field → canonical value (default:)
	std::map<std::string, std::vector<std::string>> year_of; // field → date columns (year:)
	std::map<std::string, std::vector<std::string>> by_name; // field → name columns (by_name:)
	std::optional<Encoding> encoding;                        // encoding =
	DateOrder date_order = DateOrder::unspecified;           // date_order =
	std::vector<KeyPart> key;                                // key = (the kind's one key field)
	std::map<std::string, std::vector<KeyPart>> built;       // field → parts (key:): a code of the source,
	                                                         // scoped like the key ('FYLDE' + Original Transaction)
	std::string sha256; // SHA-256 of the mapping file's bytes, hex (the ledger's mapping_sha256)

	// Parses mapping text; throws MappingError naming the line. Fields must exist in `kind`.
	static Mapping parse(const std::string &text, const std::string &source, const RecordKind &kind);
	static Mapping load(const std::string &path, const RecordKind &kind);

	// The canonical value for `value` of `field` when an alias matches, else `value` itself.
	std::string canonical_value(const std::string &field, const std::string &value) const;
};

// Header or value as compared: full-width folded, trimmed, ASCII lower-cased, inner spaces removed.
std::string normalise_label(const std::string &label);

// A value of a field's type in canonical text, or why it is refused (no alias lookup): shared by the row
// validator and the checks of a mapping's constants, defaults and value aliases. Negative amounts parse.
ParsedValue parse_field_value(const FieldSpec &spec, std::string_view text, DateOrder order);

// Where a field's value comes from besides its own column (column_of_field).
struct FieldSource {
	std::optional<std::string> constant;      // const:, or --currency
	bool constant_checks_column = false;      // --currency: the column, when the file has one, must agree
	std::optional<std::string> default_value; // default: (canonical)
	int year_column = -1;                     // year:
	int name_column = -1;                     // by_name:
	std::vector<int> key_columns;             // key = (or key:): a column per part, -1 for a literal
	std::vector<std::string> key_literals;    // key = (or key:): the literal of each part ("" for a column)
	// Derived from the sign of this amount field (payment_kind: a negative amount is a refund). Not staged for
	// that: the staged amount keeps its sign and the merge derives the direction (no column more per row).
	int sign_of = -1;
	bool is_simple() const {
		return !constant && !default_value && year_column < 0 && name_column < 0 && key_columns.empty();
	}
};

// How the file's header feeds each field of the kind, and which headers are unused.
struct HeaderBinding {
	std::vector<int> column_of_field; // index = field index of the kind; -1 when no column
	std::vector<FieldSource> sources; // index = field index of the kind
	std::vector<std::string> unmapped_headers;
	std::vector<std::string> missing_required; // required fields nothing provides (no column, constant, default…);
	                                           // "name_zh or name_en" for a group of which a row needs one
	// The field gets a value from the file or the mapping (it is staged).
	bool has(int field_index) const;
	// The load provides the field: staged, or derived at merge time (payment_kind from the amount's sign).
	bool provides(int field_index) const;
};

// `overrides`: constants given on the command line (--currency), checked against the column when present.
HeaderBinding bind_header(const std::vector<std::string> &header, const Mapping &mapping, const RecordKind &kind,
                          const std::map<std::string, std::string> &overrides = {});

// How one field will be filled, in words (check-mapping): "column 3 \"金额\"", "constant CNY", "blind (not
// provided)"…
std::string describe_source(const HeaderBinding &binding, const std::vector<std::string> &header,
                            const Mapping &mapping, const RecordKind &kind, size_t field);

} // namespace oversight::loader
