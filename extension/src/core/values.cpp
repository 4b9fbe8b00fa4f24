// Values of the rule core: JSON with exact numbers (nlohmann), the fixed-point Decimal, civil dates and
// the working-day calendar the row rules read.
#include "oversight/core/rules.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "oversight/core/error.hpp"

#include "oversight/core/cpp_only.hpp"

namespace oversight::core {

// ---------------------------------------------------------------------------------------------------
// JSON (nlohmann) with exact numbers
// ---------------------------------------------------------------------------------------------------
namespace {
// Canonical form of a JSON number text: sign, significant digits without leading/trailing zeros, and
// the decimal exponent of the last digit ("1234567.89" and "1.23456789e6" give the same form).
std::string canonical_number(const std::string &text) {
	std::string digits;
	long exponent = 0;
	bool negative = false, dot = false;
	size_t i = 0;
	if (i < text.size() && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
		if (text[i] == '.')
			dot = true;
		else {
			digits += text[i];
			if (dot)
				--exponent;
		}
	}
	if (i < text.size())
		exponent += std::strtol(text.c_str() + i + 1, nullptr, 10);
	size_t first = digits.find_first_not_of('0');
	if (first == std::string::npos)
		return "0";
	digits.erase(0, first);
	while (digits.back() == '0') {
		digits.pop_back();
		++exponent;
	}
	return (negative ? "-" : "") + digits + "e" + std::to_string(exponent);
}

// SAX handler building the document; a float whose shortest round-trip form is not its source text
// (as a number) is refused instead of being rounded.
class ExactParser : public nlohmann::json_sax<Json> {
public:
	Json root;
	std::string error;

	bool null() override { return put(nullptr); }
	bool boolean(bool b) override { return put(b); }
	bool number_integer(number_integer_t v) override { return put(v); }
	bool number_unsigned(number_unsigned_t v) override { return put(v); }
	bool number_float(number_float_t v, const string_t &raw) override {
		Json j(v);
		if (canonical_number(j.dump()) != canonical_number(raw)) {
			error = "number " + raw + " cannot be kept exactly (at most 15 significant digits)";
			return false;
		}
		return put(std::move(j));
	}
	bool string(string_t &s) override { return put(std::move(s)); }
	bool binary(binary_t &) override {
		error = "binary values are not JSON";
		return false;
	}
	bool start_object(std::size_t) override { return open(Json::object()); }
	bool key(string_t &k) override {
		key_ = std::move(k);
		return true;
	}
	bool end_object() override {
		stack_.pop_back();
		return true;
	}
	bool start_array(std::size_t) override { return open(Json::array()); }
	bool end_array() override {
		stack_.pop_back();
		return true;
	}
	bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &ex) override {
		error = ex.what();
		return false;
	}

private:
	std::vector<Json *> stack_; // open containers; a parent never moves while a child is being filled
	std::string key_;

	Json *place(Json v) {
		if (stack_.empty()) {
			root = std::move(v);
			return &root;
		}
		Json &top = *stack_.back();
		if (top.is_array()) {
			top.push_back(std::move(v));
			return &top.back();
		}
		Json &slot = top[key_];
		slot = std::move(v);
		return &slot;
	}
	bool put(Json v) {
		place(std::move(v));
		return true;
	}
	bool open(Json v) {
		stack_.push_back(place(std::move(v)));
		return true;
	}
};
} // namespace

Json parse_json(const std::string &text) {
	ExactParser parser;
	bool ok = Json::sax_parse(text, &parser);
	if (!ok)
		throw Error("22P02", "invalid JSON: " + (parser.error.empty() ? std::string("malformed input") : parser.error));
	return std::move(parser.root);
}

Decimal json_decimal(const Json &v) {
	if (v.is_number())
		return Decimal::parse(v.dump());
	if (v.is_string())
		return Decimal::parse(v.get_ref<const std::string &>());
	throw Error("22P02", "not a number: " + v.dump());
}

Json decimal_json(const Decimal &d) {
	if (d.units % Decimal::scale == 0) {
		__int128 whole = d.units / Decimal::scale;
		if (whole >= INT64_MIN && whole <= INT64_MAX)
			return Json(static_cast<int64_t>(whole));
	}
	Json j(std::strtod(d.str().c_str(), nullptr));
	if (!(Decimal::parse(j.dump()) == d))
		throw Error(sqlstate::numeric_value_out_of_range,
		            "decimal " + d.str() + " cannot be kept exactly in JSON (at most 15 significant digits)");
	return j;
}

std::string json_quote(const std::string &s) {
	return Json(s).dump();
}

// ---------------------------------------------------------------------------------------------------
// Decimal
// ---------------------------------------------------------------------------------------------------
Decimal Decimal::parse(const std::string &text) {
	auto bad = [&]() -> Error { return Error("22P02", "invalid decimal number \"" + text + "\""); };
	size_t i = 0, n = text.size();
	while (i < n && text[i] == ' ')
		++i;
	bool negative = false;
	if (i < n && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	__int128 mantissa = 0;
	int frac_digits = 0, digits = 0;
	bool dot = false;
	const __int128 limit = static_cast<__int128>(1) << 100;
	for (; i < n; ++i) {
		char c = text[i];
		if (c == '.' && !dot) {
			dot = true;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		++digits;
		if (dot && frac_digits >= 6)
			continue; // truncate beyond 6 decimals (amounts have at most 4)
		mantissa = mantissa * 10 + (c - '0');
		if (mantissa > limit)
			throw Error(sqlstate::numeric_value_out_of_range, "decimal number \"" + text + "\" is too large");
		if (dot)
			++frac_digits;
	}
	if (digits == 0)
		throw bad();
	int exponent = 0;
	if (i < n && (text[i] == 'e' || text[i] == 'E')) {
		++i;
		bool eneg = false;
		if (i < n && (text[i] == '-' || text[i] == '+'))
			eneg = text[i++] == '-';
		int ed = 0;
		while (i < n && text[i] >= '0' && text[i] <= '9') {
			exponent = exponent * 10 + (text[i++] - '0');
			if (++ed > 3)
				throw bad();
		}
		if (ed == 0)
			throw bad();
		if (eneg)
			exponent = -exponent;
	}
	while (i < n && text[i] == ' ')
		++i;
	if (i != n)
		throw bad();
	int shift = 6 - frac_digits + exponent;
	for (; shift > 0; --shift) {
		mantissa *= 10;
		if (mantissa > limit)
			throw Error(sqlstate::numeric_value_out_of_range, "decimal number \"" + text + "\" is too large");
	}
	for (; shift < 0; ++shift)
		mantissa /= 10;
	Decimal d;
	d.units = negative ? -mantissa : mantissa;
	return d;
}

std::string Decimal::str() const {
	__int128 v = units < 0 ? -units : units;
	__int128 whole = v / scale, frac = v % scale;
	std::string w;
	do {
		w.insert(w.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
		whole /= 10;
	} while (whole > 0);
	std::string out = units < 0 ? "-" + w : w;
	if (frac) {
		std::string f(6, '0');
		for (int k = 5; k >= 0; --k) {
			f[static_cast<size_t>(k)] = static_cast<char>('0' + static_cast<int>(frac % 10));
			frac /= 10;
		}
		while (!f.empty() && f.back() == '0')
			f.pop_back();
		out += "." + f;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------
int32_t days_from_civil(int y, int m, int d) { // Howard Hinnant's algorithm, shifted to 2000-01-01
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<int>(doe) - 719468 - 10957;
}

void civil_from_days(int32_t days, int &y, int &m, int &d) {
	int z = days + 10957 + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = static_cast<unsigned>(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
	m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
	y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

int iso_dow(int32_t days) {
	return ((days % 7 + 7) % 7 + 5) % 7 + 1;
} // 2000-01-01 was a Saturday

std::string date_text(int32_t days) {
	int y, m, d;
	civil_from_days(days, y, m, d);
	char buf[16];
	std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	return buf;
}

bool Calendar::status_unindexed(int32_t day, bool &known) const {
	int y, m, d;
	civil_from_days(day, y, m, d);
	known = loaded_years.count(y) > 0;
	if (known) {
		if (holidays.count(day))
			return false;
		if (adjusted_workdays.count(day))
			return true;
	}
	return iso_dow(day) < 6;
}

bool Calendar::is_working_day(int32_t day, bool &known) const {
	const int64_t at = static_cast<int64_t>(day) - first_day_;
	if (at >= 0 && at < static_cast<int64_t>(status_.size()) && status_[static_cast<size_t>(at)] != not_loaded) {
		known = true;
		return status_[static_cast<size_t>(at)] == working;
	}
	return status_unindexed(day, known);
}

void Calendar::index() {
	status_.clear();
	if (loaded_years.empty())
		return;
	const auto [lowest, highest] = std::minmax_element(loaded_years.begin(), loaded_years.end());
	if (*highest - *lowest >= 200) // a calendar spanning centuries (not a bureau's) is asked through the sets
		return;
	first_day_ = days_from_civil(*lowest, 1, 1);
	const int32_t end = days_from_civil(*highest + 1, 1, 1);
	std::vector<uint8_t> status(static_cast<size_t>(end - first_day_), not_loaded);
	for (int32_t day = first_day_; day < end; ++day) {
		bool known;
		const bool working_day = status_unindexed(day, known);
		status[static_cast<size_t>(day - first_day_)] = !known ? not_loaded : working_day ? working : not_working;
	}
	status_ = std::move(status);
}

} // namespace oversight::core
