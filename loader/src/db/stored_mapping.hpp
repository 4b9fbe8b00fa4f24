// Mappings stored in the database (oversight.mapping, issue 13): one dictionary for files and tables.
// `oversight-load mapping import KIND FILE.map --name N` stores a mapping file in the watch() JSON language
// (core/mapping_json.hpp) through oversight.save_mapping(); `oversight-load KIND FILE --mapping-name N` loads
// a file with a stored one, read back by the one .map parser.
#pragma once

#include "core/mapping.hpp"
#include "core/record_kinds.hpp"

#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace oversight::loader {

struct SavedMapping {
	std::string name, sha256;
	int version = 0;
	bool created = false; // false: the same definition was stored already
};

// Parses the mapping file, converts it and stores it (with its text and the reason) in one transaction.
SavedMapping import_mapping(pqxx::connection &conn, const RecordKind &kind, const std::string &path,
                            const std::string &name, const std::string &reason);

// The stored mapping name (its latest version, or version) as a file mapping; its sha256 is the stored
// definition's, its source "oversight.mapping NAME version V". Throws MappingError when there is none or it
// maps another record kind.
Mapping stored_mapping(pqxx::connection &conn, const RecordKind &kind, const std::string &name,
                       std::optional<int> version);

} // namespace oversight::loader
