// Pure C++ error type of the core: carries a five-character SQLSTATE so the boundary can raise the
// right PostgreSQL error without the core ever including PostgreSQL headers.
#pragma once

#include <stdexcept>
#include <string>

namespace oversight::core {

// SQLSTATEs the core raises; named after PostgreSQL's errcodes.txt.
namespace sqlstate {
inline constexpr const char *invalid_parameter_value = "22023";
inline constexpr const char *data_exception = "22000";
inline constexpr const char *numeric_value_out_of_range = "22003";
inline constexpr const char *invalid_datetime_format = "22007";
inline constexpr const char *feature_not_supported = "0A000";
inline constexpr const char *internal_error = "XX000";
} // namespace sqlstate

class Error : public std::runtime_error {
public:
	Error(const char *sqlstate, const std::string &message, std::string detail = {}, std::string hint = {});
	const char *sqlstate() const noexcept { return sqlstate_; }
	const std::string &detail() const noexcept { return detail_; }
	const std::string &hint() const noexcept { return hint_; }

private:
	char sqlstate_[6];
	std::string detail_;
	std::string hint_;
};

// True when code is five characters from [0-9A-Z], the shape of an SQLSTATE.
bool is_valid_sqlstate(const std::string &code) noexcept;

} // namespace oversight::core
