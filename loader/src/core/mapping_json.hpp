// One mapping language for files and tables: a loader mapping (.map, core/mapping.hpp) as the JSON that
// oversight.watch() takes and oversight.mapping stores (the extension's oversight/core/watch_mapping.hpp),
// and back. A bureau writes its dictionary once: `oversight-load mapping import` stores a .map file in this
// form, `oversight.watch(..., p_mapping_name => N)` watches a table with it, and `--mapping-name N` loads a
// file with it (rendered as .map text and read by the one parser, Mapping::parse).
//
//   [columns] payee_name = 收款人 | 收款单位     {"payee_name": {"column": ["收款人", "收款单位"]}}  first present wins
//   currency = const:CNY                         {"currency": {"const": "CNY"}}
//   status = 状态 | default:paid                   {"status": {"column": ["状态"], "default": "paid"}}
//   [values.payment_method] cash = 现金 | 提现   "payment_method": {…, "values": {"现金": "cash", "提现": "cash"}}
//
// What only one side can say is refused with a bilingual message (MappingError), never dropped: a .map's
// year:, by_name:, key:, key =, encoding and date_order (a table has typed columns and its own key), a
// table's "@key" (a file's key is the kind's), and a value a .map line cannot hold (| or a line break).
// A file matches headers and values ignoring case, spaces and full-width forms; a table matches its column
// names and values exactly as listed.
#pragma once

#include "core/mapping.hpp"
#include "core/record_kinds.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace oversight::loader {

// The record kind's name in the database (oversight.record_kind_fields(), oversight.mapping.record_kind):
// "payment" for payments, "enforcement" for enforcement cases.
std::string database_record_kind(const RecordKind &kind);

// The mapping in the watch() JSON language; throws MappingError on what a table mapping cannot say.
nlohmann::json watch_mapping_json(const Mapping &mapping, const RecordKind &kind);

// A stored definition as mapping-file text (read back with Mapping::parse); throws MappingError on what a
// file mapping cannot say.
std::string map_text_of(const nlohmann::json &definition, const RecordKind &kind);

} // namespace oversight::loader
