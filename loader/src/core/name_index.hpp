// Parties and org units given by name: an export names a supplier, payee or tenderer ("杭州文汇办公用品有限公司",
// "FYLDE COAST WOMENS AID LTD") or a paying unit ("市第一中学", "Fylde Borough Council") instead of its code.
// The index holds the stored rows' names by name_key() (full-width, spaces, punctuation and the spellings of
// a limited company folded), filled by the database side; resolution is pure and unit-tested.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oversight::loader {

// Turns a name, or a code when the export gives one, into the code of an existing row (or of a row to create).
class NameResolver {
public:
	virtual ~NameResolver() = default;
	// `code` (may be empty) wins when given; else `name` is matched. Returns the code; nullopt with the reason
	// in `error` when the row must be refused, nullopt with `error` empty when both are empty (NULL).
	virtual std::optional<std::string> resolve(std::string_view code, std::string_view name, std::string &error) = 0;
};

class NameIndex : public NameResolver {
public:
	// `table`: "party" (an unknown name creates a party) or "org_unit" (an unknown name is refused).
	explicit NameIndex(std::string table);
	// A stored row: its code and one of its names (a unit adds name_zh and name_en).
	void add(const std::string &code, std::string_view name);
	std::optional<std::string> resolve(std::string_view code, std::string_view name, std::string &error) override;
	// Parties this file creates: (party_code, name as first written). A name-only party's code is
	// "name:" + name_key(name), so the same name always makes the same party, load after load.
	const std::vector<std::pair<std::string, std::string>> &created() const { return created_; }
	static std::string code_for_name(std::string_view name);

private:
	struct Entry {
		std::string code, name;
	};
	std::string table_;
	bool creates_;
	std::map<std::string, std::vector<Entry>> by_key_; // name_key → rows with that name (one per code)
	std::map<std::string, bool, std::less<>> codes_;   // codes known (stored or created)
	std::vector<std::pair<std::string, std::string>> created_;
};

} // namespace oversight::loader
