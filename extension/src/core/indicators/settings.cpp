// Cardinal's settings as data (oversight/core/indicators.hpp): the names and defaults of Cardinal's
// settings file, every unknown name refused.
#include "oversight/core/error.hpp"
#include "oversight/core/indicators.hpp"

#include <cmath>

namespace oversight::core::indicators {

const std::vector<std::string> &indicator_codes() {
	static const std::vector<std::string> codes = {"R003", "R018", "R024", "R025", "R028", "R030",
	                                               "R035", "R036", "R038", "R048", "R058"};
	return codes;
}

namespace {
[[noreturn]] void refuse(const std::string &zh, const std::string &en, const std::string &hint = {}) {
	throw Error(sqlstate::invalid_parameter_value, zh + " / " + en, {}, hint);
}

std::string path_of(const std::string &section, const std::string &name) {
	return section.empty() ? name : section + "." + name;
}

// Cardinal's pipe-separated lists ("open|selective"); empty members are dropped as split_terminator does.
std::set<std::string> pipe_list(const Json &v, const std::string &path) {
	if (!v.is_string())
		refuse("指标设置 " + path + " 应为以 | 分隔的文本",
		       "indicator setting " + path + " must be pipe-separated text");
	std::set<std::string> out;
	const std::string s = v.get<std::string>();
	size_t start = 0;
	while (start < s.size()) {
		size_t bar = s.find('|', start);
		if (bar == std::string::npos)
			bar = s.size();
		if (bar > start)
			out.insert(s.substr(start, bar - start));
		start = bar + 1;
	}
	return out;
}

std::string join(const std::set<std::string> &items) {
	std::string out;
	for (const auto &i : items)
		out += (out.empty() ? "" : "|") + i;
	return out;
}

double decimal(const Json &v, const std::string &path) {
	if (!v.is_number() || !std::isfinite(v.get<double>()))
		refuse("指标设置 " + path + " 应为数字", "indicator setting " + path + " must be a number");
	return v.get<double>();
}

uint64_t natural(const Json &v, const std::string &path) {
	if (!v.is_number_unsigned())
		refuse("指标设置 " + path + " 应为非负整数", "indicator setting " + path + " must be a non-negative integer");
	return v.get<uint64_t>();
}

int64_t integer(const Json &v, const std::string &path) {
	if (!v.is_number_integer())
		refuse("指标设置 " + path + " 应为整数", "indicator setting " + path + " must be an integer");
	return v.get<int64_t>();
}

void unknown(const std::string &path, const std::string &known) {
	refuse("未知的指标设置 \"" + path + "\"", "unknown indicator setting \"" + path + "\"",
	       known.empty() ? "This section takes no settings." : "Known here: " + known + ".");
}
} // namespace

Settings parse_settings(const Json &json) {
	Settings s;
	if (json.is_null() || (json.is_object() && json.empty())) {
		s.enabled.insert(indicator_codes().begin(), indicator_codes().end());
		return s;
	}
	if (!json.is_object())
		refuse("指标设置应为 JSON 对象", "indicator settings must be a JSON object");
	for (const auto &[key, value] : json.items()) {
		if (key == "currency") {
			if (!value.is_string() || value.get<std::string>().empty())
				refuse("指标设置 currency 应为货币代码", "indicator setting currency must be a currency code");
			s.currency = value.get<std::string>();
		} else if (key == "no_price_comparison_procurement_methods") {
			s.no_price_comparison_procurement_methods = pipe_list(value, key);
		} else if (key == "price_comparison_procurement_methods") {
			s.price_comparison_procurement_methods = pipe_list(value, key);
		} else if (key == "exclusions") {
			if (!value.is_object())
				refuse("指标设置 exclusions 应为对象", "indicator setting exclusions must be an object");
			for (const auto &[name, v] : value.items()) {
				if (name != "procurement_method_details")
					unknown(path_of(key, name), "procurement_method_details");
				s.excluded_procurement_method_details = pipe_list(v, path_of(key, name));
			}
		} else {
			bool is_code = false;
			for (const auto &c : indicator_codes())
				is_code = is_code || c == key;
			if (!is_code) {
				std::string known = "currency, no_price_comparison_procurement_methods, "
				                    "price_comparison_procurement_methods, exclusions";
				for (const auto &c : indicator_codes())
					known += ", " + c;
				unknown(key, known);
			}
			if (!value.is_object())
				refuse("指标设置 " + key + " 应为对象（{} 表示使用默认值）",
				       "indicator setting " + key + " must be an object ({} for the defaults)");
			s.enabled.insert(key);
			for (const auto &[name, v] : value.items()) {
				const std::string path = path_of(key, name);
				if (key == "R003" && name == "threshold") {
					s.r003_threshold = integer(v, path);
				} else if (key == "R003" && name == "procurement_methods") {
					s.r003_procurement_methods = pipe_list(v, path);
				} else if (key == "R003" && name == "procurement_method_details") {
					if (!v.is_object())
						refuse("指标设置 " + path + " 应为对象（采购方式细节 → 天数）",
						       "indicator setting " + path + " must be an object (method details → days)");
					for (const auto &[details, days] : v.items())
						s.r003_procurement_method_details[details] = integer(days, path + "." + details);
				} else if (key == "R018" && name == "procurement_methods") {
					s.r018_procurement_methods = pipe_list(v, path);
				} else if ((key == "R024" || key == "R058") && name == "threshold") {
					(key == "R024" ? s.r024_threshold : s.r058_threshold) = decimal(v, path);
				} else if (key == "R025" && name == "percentile") {
					s.r025_percentile = natural(v, path);
					if (s.r025_percentile > 100)
						refuse("指标设置 " + path + " 应在 0 到 100 之间",
						       "indicator setting " + path + " must be 0 to 100");
				} else if (key == "R025" && name == "threshold") {
					s.r025_threshold = decimal(v, path);
				} else if (key == "R035" && name == "threshold") {
					s.r035_threshold = std::max<uint64_t>(natural(v, path), 1); // Cardinal: at least 1
				} else if (key == "R038" && name == "threshold") {
					s.r038_threshold = decimal(v, path);
				} else if (key == "R038" && name == "minimum_submitted_bids") {
					s.r038_minimum_submitted_bids = natural(v, path);
				} else if (key == "R038" && name == "minimum_contracting_processes") {
					s.r038_minimum_contracting_processes = natural(v, path);
				} else if (key == "R048" && name == "digits") {
					s.r048_digits = natural(v, path);
				} else if (key == "R048" && name == "threshold") {
					s.r048_threshold = natural(v, path);
				} else if (key == "R048" && name == "minimum_contracting_processes") {
					s.r048_minimum_contracting_processes = natural(v, path);
				} else {
					static const std::map<std::string, std::string> known = {
					    {"R003", "threshold, procurement_methods, procurement_method_details"},
					    {"R018", "procurement_methods"},
					    {"R024", "threshold"},
					    {"R025", "percentile, threshold"},
					    {"R035", "threshold"},
					    {"R038", "threshold, minimum_submitted_bids, minimum_contracting_processes"},
					    {"R048", "digits, threshold, minimum_contracting_processes"},
					    {"R058", "threshold"}};
					auto k = known.find(key);
					unknown(path, k == known.end() ? "" : k->second);
				}
			}
		}
	}
	return s;
}

Json settings_json(const Settings &s) {
	Json out = Json::object();
	if (s.currency)
		out["currency"] = *s.currency;
	if (!s.no_price_comparison_procurement_methods.empty())
		out["no_price_comparison_procurement_methods"] = join(s.no_price_comparison_procurement_methods);
	if (!s.price_comparison_procurement_methods.empty())
		out["price_comparison_procurement_methods"] = join(s.price_comparison_procurement_methods);
	if (!s.excluded_procurement_method_details.empty())
		out["exclusions"] = {{"procurement_method_details", join(s.excluded_procurement_method_details)}};
	auto optional = [](const std::optional<double> &v) { return v ? Json(*v) : Json(nullptr); };
	for (const auto &code : indicator_codes()) {
		if (!s.on(code))
			continue;
		Json section = Json::object();
		if (code == "R003") {
			section["threshold"] = s.r003_threshold;
			if (!s.r003_procurement_methods.empty())
				section["procurement_methods"] = join(s.r003_procurement_methods);
			if (!s.r003_procurement_method_details.empty())
				section["procurement_method_details"] = s.r003_procurement_method_details;
		} else if (code == "R018") {
			section["procurement_methods"] = join(s.r018_procurement_methods);
		} else if (code == "R024" && s.r024_threshold) {
			section["threshold"] = optional(s.r024_threshold);
		} else if (code == "R025") {
			section["percentile"] = s.r025_percentile;
			if (s.r025_threshold)
				section["threshold"] = *s.r025_threshold;
		} else if (code == "R035") {
			section["threshold"] = s.r035_threshold;
		} else if (code == "R038") {
			if (s.r038_threshold)
				section["threshold"] = *s.r038_threshold;
			section["minimum_submitted_bids"] = s.r038_minimum_submitted_bids;
			section["minimum_contracting_processes"] = s.r038_minimum_contracting_processes;
		} else if (code == "R048") {
			section["digits"] = s.r048_digits;
			if (s.r048_threshold)
				section["threshold"] = *s.r048_threshold;
			section["minimum_contracting_processes"] = s.r048_minimum_contracting_processes;
		} else if (code == "R058" && s.r058_threshold) {
			section["threshold"] = *s.r058_threshold;
		}
		out[code] = section;
	}
	return out;
}

} // namespace oversight::core::indicators
