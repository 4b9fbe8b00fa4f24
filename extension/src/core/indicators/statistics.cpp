// Order statistics and periods of the indicators (oversight/core/indicators.hpp).
#include "oversight/core/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace oversight::core::indicators {

double quantile(std::vector<double> data, double tau) {
	if (data.empty() || !(tau >= 0.0 && tau <= 1.0))
		return std::numeric_limits<double>::quiet_NaN();
	const double n = static_cast<double>(data.size());
	const double h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0;
	const auto hf = static_cast<int64_t>(h); // truncation, as Rust's `as i64`
	std::sort(data.begin(), data.end());
	if (hf <= 0 || tau == 0.0)
		return data.front();
	// statrs compares tau with 1 in ulps; a tau one ulp below 1 still means the maximum.
	if (hf >= static_cast<int64_t>(data.size()) || std::nextafter(tau, 2.0) >= 1.0)
		return data.back();
	const double a = data[static_cast<size_t>(hf) - 1], b = data[static_cast<size_t>(hf)];
	return a + (h - static_cast<double>(hf)) * (b - a);
}

Quartiles quartiles(const std::vector<double> &data) {
	return {quantile(data, 0.25), quantile(data, 0.75)};
}

double Quartiles::lower_fence() const {
	return std::fma(q3 - q1, -1.5, q1);
}

double Quartiles::upper_fence() const {
	return std::fma(q3 - q1, 1.5, q3);
}

int64_t whole_days(int64_t start_micros, int64_t end_micros) {
	return (end_micros - start_micros) / (86400LL * 1000000LL); // C++ division truncates toward zero
}

bool period_too_short(int64_t start_micros, int64_t end_micros, int64_t min_days, int64_t &days) {
	days = whole_days(start_micros, end_micros);
	return days < min_days;
}

namespace {
bool digits(std::string_view s, size_t pos, size_t count, int &out) {
	if (pos + count > s.size())
		return false;
	out = 0;
	for (size_t i = pos; i < pos + count; ++i) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		out = out * 10 + (s[i] - '0');
	}
	return true;
}

// Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const auto yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool leap(int y) {
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
} // namespace

std::optional<int64_t> parse_rfc3339(std::string_view s) {
	int year, month, day, hour, minute, second;
	if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
	    !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
	    s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
		return std::nullopt;
	static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] + (month == 2 && leap(year)) || hour > 23 ||
	    minute > 59 || second > 60)
		return std::nullopt;
	size_t pos = 19;
	int64_t micros = 0;
	if (pos < s.size() && s[pos] == '.') {
		size_t start = ++pos;
		int64_t scale = 100000;
		while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
			micros += (s[pos] - '0') * scale;
			scale /= 10;
			++pos;
		}
		if (pos == start)
			return std::nullopt;
	}
	int64_t offset_seconds;
	if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
		offset_seconds = 0;
	} else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
		int oh, om;
		if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
			return std::nullopt;
		offset_seconds = (s[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	} else {
		return std::nullopt;
	}
	// A leap second reads as the next second (chrono keeps it inside the minute; a day count is unaffected).
	const int64_t seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
	                        hour * 3600 + minute * 60 + second - offset_seconds;
	return seconds * 1000000 + micros;
}

} // namespace oversight::core::indicators
