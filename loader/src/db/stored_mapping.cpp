#include "db/stored_mapping.hpp"

#include "core/mapping_json.hpp"
#include "pqxx_compat.hpp"

#include <fstream>
#include <sstream>

namespace oversight::loader {

SavedMapping import_mapping(pqxx::connection &conn, const RecordKind &kind, const std::string &path,
                            const std::string &name, const std::string &reason) {
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw MappingError(path + ": cannot read mapping file");
	std::ostringstream text;
	text << in.rdbuf();
	const Mapping mapping = Mapping::parse(text.str(), path, kind);
	const std::string definition = watch_mapping_json(mapping, kind).dump();
	pqxx::work tx(conn, "oversight-load mapping import");
	auto r = pqxx_compat::exec_params(
	    tx,
	    "SELECT s.mapping_name, s.version, s.sha256, s.created FROM oversight.save_mapping($1, $2, $3::pg_catalog.jsonb, "
	    "$4, NULLIF($5, '')) s",
	    name, database_record_kind(kind), definition, text.str(), reason);
	tx.commit();
	return {r[0][0].as<std::string>(), r[0][2].as<std::string>(), r[0][1].as<int>(), r[0][3].as<bool>()};
}

Mapping stored_mapping(pqxx::connection &conn, const RecordKind &kind, const std::string &name,
                       std::optional<int> version) {
	pqxx::read_transaction tx(conn, "oversight-load stored mapping");
	auto r = pqxx_compat::exec_params(tx,
	                                  "SELECT m.version, m.record_kind, m.definition::pg_catalog.text, m.sha256 "
	                                  "FROM oversight.mapping m WHERE m.mapping_name = $1 AND ($2 = 0 OR m.version = $2) "
	                                  "ORDER BY m.version DESC LIMIT 1",
	                                  name, version.value_or(0));
	tx.commit();
	if (r.empty())
		throw MappingError("没有存储映射 " + name + (version ? " 第 " + std::to_string(*version) + " 版" : "") +
		                   " / no stored mapping " + name + (version ? " version " + std::to_string(*version) : "") +
		                   " (oversight.mapping lists them)");
	const std::string source = "oversight.mapping " + name + " version " + r[0][0].as<std::string>();
	if (r[0][1].as<std::string>() != database_record_kind(kind))
		throw MappingError(source + ": 映射的记录类型是 " + r[0][1].as<std::string>() + "，不是 " + kind.command +
		                   " / it maps record kind " + r[0][1].as<std::string>() + ", not " + kind.command);
	Mapping m = Mapping::parse(map_text_of(nlohmann::json::parse(r[0][2].as<std::string>()), kind), source, kind);
	m.sha256 = r[0][3].as<std::string>(); // the ledger names the stored definition
	return m;
}

} // namespace oversight::loader
