// Cardinal's red-flag indicators (open-contracting/cardinal-rs 0.0.8: R003, R018, R024, R025, R028, R030,
// R035, R036, R038, R048, R058) over OCDS compiled releases, with Cardinal's settings, exclusions,
// quantile method and fences, so a run here can be compared with `ocdscardinal indicators` key for key.
// Pure C++ (simdjson for the releases, nlohmann for settings and output): no PostgreSQL headers; the SQL
// glue (src/functions/indicators.cpp) feeds it oversight.procurement_process.source_document in batches.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "oversight/core/rules.hpp" // Json

namespace oversight::core::indicators {

// --- statistics (Cardinal uses statrs' OrderStatistics) --------------------------------------------
// The tau-quantile of data by statrs' method (Hyndman & Fan type 8, "median-unbiased"): h = (n + 1/3)·tau
// + 1/3; the minimum below the first order statistic, the maximum from the last, else linear
// interpolation between order statistics ⌊h⌋ and ⌊h⌋+1. NaN for empty data or tau outside [0, 1].
double quantile(std::vector<double> data, double tau);

struct Quartiles {
	double q1, q3;
	// Tukey's fences Q1 − 1.5·IQR and Q3 + 1.5·IQR, fused as Rust's mul_add computes them.
	double lower_fence() const;
	double upper_fence() const;
	// Cardinal skips a data-driven fence when Q1, Q3 (so the IQR) are all 0: it would flag 75% of cases.
	bool all_zero() const { return q1 == 0.0 && q3 == 0.0; }
};
Quartiles quartiles(const std::vector<double> &data);

// Whole days from start to end, truncated toward zero (chrono's num_days, and the Chinese tender-period
// rule's count): the one reading of "a period of N days" shared by R003 and PROC.TENDER_PERIOD.
int64_t whole_days(int64_t start_micros, int64_t end_micros);
// A period shorter than min_days (both R003 and PROC.TENDER_PERIOD flag `days < minimum`).
bool period_too_short(int64_t start_micros, int64_t end_micros, int64_t min_days, int64_t &days);
// RFC 3339 date-time ("2020-08-03T18:00:00-05:00", "…Z", fractions allowed) as microseconds since the
// Unix epoch (UTC); nullopt for anything else (Cardinal then excludes the process from R003).
std::optional<int64_t> parse_rfc3339(std::string_view text);

// --- settings ----------------------------------------------------------------------------------------
// The codes, in Cardinal's order.
const std::vector<std::string> &indicator_codes();

// Cardinal's settings file as a JSON object, with Cardinal's names: top-level `currency`,
// `no_price_comparison_procurement_methods`, `price_comparison_procurement_methods` (pipe-separated),
// `exclusions: {procurement_method_details}`, and one object per enabled indicator ("R024": {} enables
// R024 with its defaults). Every name not Cardinal's is refused (22023, bilingual).
struct Settings {
	std::optional<std::string> currency;
	std::set<std::string> no_price_comparison_procurement_methods;
	std::set<std::string> price_comparison_procurement_methods;
	std::set<std::string> excluded_procurement_method_details;
	std::set<std::string, std::less<>> enabled; // transparent: on() looks codes up without a string copy

	int64_t r003_threshold = 15;
	std::set<std::string> r003_procurement_methods; // empty: every method
	std::map<std::string, int64_t> r003_procurement_method_details;
	std::set<std::string> r018_procurement_methods{"open", "selective"};
	std::optional<double> r024_threshold;
	uint64_t r025_percentile = 75;
	std::optional<double> r025_threshold;
	uint64_t r035_threshold = 1;
	std::optional<double> r038_threshold;
	uint64_t r038_minimum_submitted_bids = 2;
	uint64_t r038_minimum_contracting_processes = 2;
	uint64_t r048_digits = 2;
	std::optional<uint64_t> r048_threshold;
	uint64_t r048_minimum_contracting_processes = 20;
	std::optional<double> r058_threshold;

	bool on(std::string_view code) const { return enabled.find(code) != enabled.end(); }
};

// Parses and validates settings (NULL/empty object: every indicator enabled with its defaults).
Settings parse_settings(const Json &json);
// The effective settings, every value explicit: what a run records, and what parse_settings reads back.
Json settings_json(const Settings &settings);

// --- a run -------------------------------------------------------------------------------------------
enum class Group { OCID, Buyer, ProcuringEntity, Tenderer };
const char *group_name(Group group);

struct Result {
	Group group;
	std::string identifier;
	std::string indicator;
	double value;
};

struct Results {
	std::vector<Result> rows;            // ordered by group, identifier, indicator
	Json meta = Json::object();          // Cardinal's "Meta": quartiles and fences, rounded to 4 decimals
	uint64_t read = 0;                   // releases with a string ocid
	uint64_t excluded = 0;               // cancelled tenders, excluded procurementMethodDetails
	uint64_t invalid = 0;                // not a JSON object with a string ocid (Cardinal skips them too)
	std::optional<std::string> currency; // the main currency used
};

// Folds compiled releases one by one, then computes the organisation-level and quartile-based results.
// The main currency, when not set, is the first one observed: feed releases in a fixed order (the glue
// reads them by ocid) and the same data and settings give the same results.
class Run {
public:
	explicit Run(Settings settings);
	~Run();
	Run(const Run &) = delete;
	Run &operator=(const Run &) = delete;
	void add(std::string_view release_json);
	Results finish();

private:
	struct State;
	std::unique_ptr<State> state_;
};

// Convenience: one run over line-delimited JSON (tests, benchmarks).
Results run_lines(const Settings &settings, std::string_view jsonl);

// The document `ocdscardinal indicators` prints: {"OCID": {id: {code: value}}, "Buyer": …,
// "ProcuringEntity": …, "Tenderer": …, "Meta": …}; empty groups omitted, as Cardinal does.
Json cardinal_document(const Results &results, bool with_meta);

} // namespace oversight::core::indicators
