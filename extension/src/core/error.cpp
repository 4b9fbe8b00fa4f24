#include "oversight/core/error.hpp"

#include <cstring>

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

bool is_valid_sqlstate(const std::string &code) noexcept {
	if (code.size() != 5)
		return false;
	for (char c : code)
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
			return false;
	return true;
}

Error::Error(const char *sqlstate, const std::string &message, std::string detail, std::string hint)
    : std::runtime_error(message), detail_(std::move(detail)), hint_(std::move(hint)) {
	// An unknown code must not reach MAKE_SQLSTATE: fall back to internal_error rather than garbage.
	const char *code = (sqlstate && is_valid_sqlstate(sqlstate)) ? sqlstate : sqlstate::internal_error;
	std::memcpy(sqlstate_, code, 6);
}

} // namespace oversight::core
