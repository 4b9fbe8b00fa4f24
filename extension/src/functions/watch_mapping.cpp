// SQL-callable check of a watch's mapping (oversight.check_watch_mapping, called by oversight.watch()): the
// one definition of value aliases, constants and defaults (oversight/core/watch_mapping.hpp), which the
// engine reads back from oversight.watched_table.value_mapping.
#include "oversight/pg/pg.hpp"

#include "oversight/core/watch_mapping.hpp"

namespace core = oversight::core;
namespace pg = oversight::pg;

// check_watch_mapping(record_kind text, mapping jsonb) -> jsonb {"columns": {field: column}, "key": [...]
// (when "@key" was given), "values": the stored value mapping}; 22023 on anything watch() refuses.
OVERSIGHT_FUNCTION(oversight_check_watch_mapping) {
	const std::string kind_name = pg::text_arg(fcinfo, 0);
	auto kind = core::parse_record_kind(kind_name);
	if (!kind) {
		std::string kinds;
		for (const auto &k : core::record_kinds())
			kinds += (kinds.empty() ? "" : ", ") + std::string(k.name);
		throw core::Error(core::sqlstate::invalid_parameter_value,
		                  "未知的记录类型 \"" + kind_name + "\" / unknown record kind \"" + kind_name + "\"", {},
		                  "Record kinds: " + kinds + ".");
	}
	core::WatchMapping m = core::parse_watch_mapping(*kind, core::parse_json(pg::jsonb_text(PG_GETARG_DATUM(1))));
	core::Json out = core::Json::object();
	out["columns"] = m.columns_json();
	if (m.key)
		out["key"] = *m.key;
	out["values"] = m.values.json(*kind);
	return pg::jsonb_datum(out.dump());
}
