// Cardinal's indicators (oversight/core/indicators.hpp): the statistics against hand computation, each
// indicator on Cardinal's documented example (docs/examples/R/NNN.jsonl with its settings, output compared
// as JSON, so to full precision), then a flagged case, a near miss, the exclusions, ties and overrides.
#include <gtest/gtest.h>

#include <cmath>

#include "oversight/core/error.hpp"
#include "oversight/core/indicators.hpp"
#include "rule_fixtures.hpp"

using namespace oversight::core;
using namespace oversight::core::indicators;

namespace {

// The output `ocdscardinal indicators --no-meta` would print for these settings and lines.
Json run(const std::string &settings, const std::string &jsonl) {
	return cardinal_document(run_lines(parse_settings(parse_json(settings)), jsonl), false);
}

// docs/examples/settings.ini of Cardinal: the indicators its demonstrations run with.
const char *example_settings =
    R"({"R024": {}, "R025": {}, "R030": {}, "R035": {}, "R036": {}, "R038": {}, "R048": {}, "R058": {}})";

// A process with one active award to W, valid bids of W and L (amounts w and l, USD).
std::string priced(const std::string &ocid, double w, double l, const std::string &extra = "") {
	return R"({"ocid":")" + ocid +
	       R"(","bids":{"details":[{"status":"valid","tenderers":[{"id":"W"}],"value":{"amount":)" + Json(w).dump() +
	       R"(,"currency":"USD"}},{"status":"valid","tenderers":[{"id":"L"}],"value":{"amount":)" + Json(l).dump() +
	       R"(,"currency":"USD"}}]},"awards":[{"status":"active","suppliers":[{"id":"W"}]}])" + extra + "}\n";
}

std::string refusal(const std::string &settings) {
	try {
		parse_settings(parse_json(settings));
	} catch (const Error &e) {
		EXPECT_STREQ(e.sqlstate(), "22023");
		return e.what();
	}
	return "";
}

} // namespace

// --- statistics ----------------------------------------------------------------------------------------
TEST(IndicatorStatistics, QuantileIsStatrsTypeEight) {
	// n = 4: h(0.25) = (4 + 1/3)/4 + 1/3 = 17/12 → x1 + 5/12·(x2 − x1); h(0.75) = 43/12 → x3 + 7/12·(x4 − x3).
	EXPECT_NEAR(quantile({4, 1, 3, 2}, 0.25), 1.0 + 5.0 / 12.0, 1e-15);
	EXPECT_NEAR(quantile({4, 1, 3, 2}, 0.75), 3.0 + 7.0 / 12.0, 1e-15);
	// n = 5 (R024's example): h(0.25) = 5/3 → 1 + 2/3·98; h(0.75) = 13/3 → x4 = x5 = 99.
	EXPECT_NEAR(quantile({1, 99, 99, 99, 99}, 0.25), 1.0 + 98.0 * 2.0 / 3.0, 1e-12);
	EXPECT_EQ(quantile({1, 99, 99, 99, 99}, 0.75), 99.0);
	EXPECT_EQ(quantile({7}, 0.25), 7.0);         // h < 1: the minimum
	EXPECT_EQ(quantile({1, 2, 3}, 0.0), 1.0);    // tau 0: the minimum
	EXPECT_EQ(quantile({1, 2, 3}, 1.0), 3.0);    // tau 1: the maximum
	EXPECT_EQ(quantile({1, 2, 3}, 0.9), 3.0);    // h = 3.03 ≥ n: the maximum
	EXPECT_TRUE(std::isnan(quantile({}, 0.5)));  // empty
	EXPECT_TRUE(std::isnan(quantile({1}, 1.5))); // tau outside [0, 1]
}

TEST(IndicatorStatistics, TukeyFences) {
	Quartiles q{0.05, 0.07}; // Cardinal's R024/R058 documentation: fences 0.02 and 0.10
	EXPECT_NEAR(q.lower_fence(), 0.02, 1e-15);
	EXPECT_NEAR(q.upper_fence(), 0.10, 1e-15);
	Quartiles r{0.5, 0.75}; // R025's documentation: lower fence one eighth
	EXPECT_EQ(r.lower_fence(), 0.125);
	EXPECT_TRUE((Quartiles{0, 0}).all_zero());
	EXPECT_FALSE((Quartiles{0, 0.1}).all_zero());
}

TEST(IndicatorStatistics, WholeDaysAndRfc3339) {
	auto start = parse_rfc3339("2020-08-03T18:00:00-05:00"), end = parse_rfc3339("2020-08-04T18:00:00-05:00");
	ASSERT_TRUE(start && end);
	EXPECT_EQ(*start, parse_rfc3339("2020-08-03T23:00:00Z").value());
	EXPECT_EQ(whole_days(*start, *end), 1);
	// 14 days and 23 hours is 14 whole days; a negative period truncates toward zero.
	EXPECT_EQ(whole_days(parse_rfc3339("2024-01-01T00:00:00Z").value(), parse_rfc3339("2024-01-15T23:00:00Z").value()),
	          14);
	EXPECT_EQ(whole_days(parse_rfc3339("2024-01-02T12:00:00Z").value(), parse_rfc3339("2024-01-01T00:00:00Z").value()),
	          -1);
	EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00.5+08:00").value() % 1000000, 500000);
	EXPECT_FALSE(parse_rfc3339("2024-02-30T00:00:00Z")); // no such day
	EXPECT_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
	EXPECT_FALSE(parse_rfc3339("2024-01-01"));          // a date is not a date-time
	EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00")); // no offset
	int64_t days;
	EXPECT_TRUE(period_too_short(*start, *end, 15, days));
	EXPECT_EQ(days, 1);
	EXPECT_FALSE(period_too_short(*start, *end, 1, days)); // 1 day is not under a minimum of 1
}

// --- settings --------------------------------------------------------------------------------------------
TEST(IndicatorSettings, DefaultsAreCardinals) {
	Settings s = parse_settings(Json());
	EXPECT_EQ(s.enabled.size(), 11u);
	Json j = settings_json(s);
	EXPECT_EQ(j["R003"]["threshold"], 15);
	EXPECT_EQ(j["R018"]["procurement_methods"], "open|selective");
	EXPECT_EQ(j["R025"]["percentile"], 75);
	EXPECT_EQ(j["R035"]["threshold"], 1);
	EXPECT_EQ(j["R038"]["minimum_submitted_bids"], 2);
	EXPECT_EQ(j["R038"]["minimum_contracting_processes"], 2);
	EXPECT_EQ(j["R048"]["digits"], 2);
	EXPECT_EQ(j["R048"]["minimum_contracting_processes"], 20);
	EXPECT_EQ(j["R024"], Json::object()); // fence from the data
	// The effective settings read back to themselves.
	EXPECT_EQ(settings_json(parse_settings(j)), j);
	// Only the sections given are enabled, as in Cardinal's settings file.
	Settings only = parse_settings(parse_json(R"({"currency": "USD", "R024": {"threshold": 0.05}})"));
	EXPECT_EQ(only.enabled, (std::set<std::string, std::less<>>{"R024"}));
	EXPECT_EQ(*only.r024_threshold, 0.05);
	EXPECT_EQ(parse_settings(parse_json(R"({"R035": {"threshold": 0}})")).r035_threshold, 1u); // at least 1
}

TEST(IndicatorSettings, UnknownAndMalformedRefused) {
	EXPECT_NE(refusal(R"({"R999": {}})").find("未知的指标设置 \"R999\" / unknown indicator setting \"R999\""),
	          std::string::npos);
	EXPECT_NE(refusal(R"({"R024": {"treshold": 1}})").find("\"R024.treshold\""), std::string::npos);
	EXPECT_NE(refusal(R"({"R028": {"threshold": 1}})").find("\"R028.threshold\""), std::string::npos);
	EXPECT_NE(refusal(R"({"exclusions": {"procurement_method": "x"}})").find("exclusions.procurement_method"),
	          std::string::npos);
	EXPECT_NE(refusal(R"({"R038": {"minimum_submitted_bids": -1}})").find("non-negative integer"), std::string::npos);
	EXPECT_NE(refusal(R"({"R003": {"threshold": "15"}})").find("must be an integer"), std::string::npos);
	EXPECT_NE(refusal(R"({"R025": {"percentile": 101}})").find("0 to 100"), std::string::npos);
	EXPECT_NE(refusal(R"({"R018": {"procurement_methods": ["open"]}})").find("pipe-separated"), std::string::npos);
	EXPECT_NE(refusal(R"({"R024": 1})").find("must be an object"), std::string::npos);
	EXPECT_NE(refusal(R"([1])").find("JSON object"), std::string::npos);
}

// --- Cardinal's documented examples ------------------------------------------------------------------
TEST(CardinalExamples, R003) {
	const std::string in =
	    R"({"ocid":"F","tender":{"tenderPeriod":{"startDate":"2020-08-03T18:00:00-05:00","endDate":"2020-08-04T18:00:00-05:00"}}})"
	    "\n\n";
	EXPECT_EQ(run(example_settings, in), Json::object()); // the demonstration runs without R003: {}
	EXPECT_EQ(run(R"({"R003": {}})", in), parse_json(R"({"OCID":{"F":{"R003":1.0}}})"));
}

TEST(CardinalExamples, R018) {
	EXPECT_EQ(run(R"({"R018": {}})", R"({"ocid":"F","tender":{"numberOfTenderers":1,"procurementMethod":"open"}})"),
	          parse_json(R"({"OCID":{"F":{"R018":1.0}}})"));
}

TEST(CardinalExamples, R024) {
	std::string in = priced("F", 1, 2);
	for (const char *o : {"1", "2", "3", "4"})
		in += priced(o, 1, 100);
	EXPECT_EQ(run(R"({"R024": {}})", in), parse_json(R"({"OCID":{"F":{"R024":1.0}}})"));
	Results r = run_lines(parse_settings(parse_json(R"({"R024": {}})")), in);
	// Meta as Cardinal rounds it: q1 = 1 + 98·2/3, q3 = 99, fence q1 − 1.5·(q3 − q1).
	EXPECT_EQ(r.meta["R024"]["q1"], 66.3333);
	EXPECT_EQ(r.meta["R024"]["q3"], 99.0);
	EXPECT_EQ(r.meta["R024"]["lower_fence"], 17.3333);
}

TEST(CardinalExamples, R025) {
	std::string in =
	    R"({"ocid":"0","bids":{"details":[{"status":"valid","tenderers":[{"id":"F"}]}]},"awards":[{"status":"active","suppliers":[{"id":"F"}]}]})"
	    "\n";
	for (const char *o : {"1", "2", "3", "4", "5", "6", "7"})
		in +=
		    std::string(R"({"ocid":")") + o +
		    R"(","bids":{"details":[{"status":"valid","tenderers":[{"id":"F"}]},{"status":"valid","tenderers":[{"id":")" +
		    o + R"("}]}]},"awards":[{"status":"active","suppliers":[{"id":")" + o + "\"}]}]}\n";
	// F: 1 win in 8 processes; the others 1 in 1. Bid counts' 75th percentile 1 (F's 8 > 1); ratios' lower
	// fence 1 − 1.5·0 = 1 (F's 0.125 < 1).
	EXPECT_EQ(run(R"({"R025": {}})", in), parse_json(R"({"Tenderer":{"F":{"R025":0.125}}})"));
}

TEST(CardinalExamples, R028) {
	const char *in =
	    R"({"ocid":"F","bids":{"details":[{"status":"valid","value":{"amount":1,"currency":"USD"},"tenderers":[{"id":"V"}]},{"status":"disqualified","value":{"amount":1,"currency":"USD"},"tenderers":[{"id":"D"}]}]}})";
	EXPECT_EQ(run(R"({"R028": {}})", in),
	          parse_json(R"({"OCID":{"F":{"R028":1.0}},"Tenderer":{"D":{"R028":1.0},"V":{"R028":1.0}}})"));
}

TEST(CardinalExamples, R030) {
	const char *in =
	    R"({"ocid":"F","bids":{"details":[{"status":"valid","date":"2000-04-01T00:00:00Z","tenderers":[{"id":"W"}]}]},"tender":{"tenderPeriod":{"endDate":"2000-03-15T00:00:00Z"}},"awards":[{"status":"active","suppliers":[{"id":"W"}]}]})";
	EXPECT_EQ(run(R"({"R030": {}})", in), parse_json(R"({"OCID":{"F":{"R030":1.0}}})"));
}

TEST(CardinalExamples, R035) {
	const char *in =
	    R"({"ocid":"F","bids":{"details":[{"status":"disqualified","tenderers":[{"id":"D"}]},{"status":"valid","tenderers":[{"id":"V"}]}]},"awards":[{"status":"active","suppliers":[{"id":"V"}]}]})";
	EXPECT_EQ(run(R"({"R035": {}})", in), parse_json(R"({"OCID":{"F":{"R035":1.0}}})"));
}

TEST(CardinalExamples, R036) {
	const char *in =
	    R"({"ocid":"F","bids":{"details":[{"status":"disqualified","value":{"amount":1,"currency":"USD"}},{"status":"valid","value":{"amount":2,"currency":"USD"}}]},"awards":[{"status":"active"}]})";
	EXPECT_EQ(run(example_settings, in), parse_json(R"({"OCID":{"F":{"R036":1.0}}})"));
}

TEST(CardinalExamples, R038) {
	std::string in =
	    R"({"ocid":"0","bids":{"details":[{"status":"valid","tenderers":[{"id":"W"}]},{"status":"disqualified","tenderers":[{"id":"D"}]}]},"buyer":{"id":"B"}})"
	    "\n";
	for (const char *o : {"1", "2", "3", "4"})
		in += std::string(R"({"ocid":")") + o +
		      R"(","bids":{"details":[{"status":"valid","tenderers":[{"id":"W"}]}]},"buyer":{"id":")" + o + "\"}}\n";
	// Buyers 1–4 have 1 submitted bid (< 2); B's 1/2 is its own fence. Tenderer W's ratios are all 0: skipped.
	EXPECT_EQ(run(example_settings, in), parse_json(R"({"Buyer":{"B":{"R038":0.5}}})"));
}

TEST(CardinalExamples, R048) {
	std::string in =
	    R"({"ocid":"F","awards":[{"status":"active","suppliers":[{"id":"F"}],"items":[{"classification":{"id":"10000000"}},{"classification":{"id":"11000000"}}]}]})"
	    "\n";
	for (const char *o : {"1", "2", "3", "4"})
		in += std::string(R"({"ocid":")") + o + R"(","awards":[{"status":"active","suppliers":[{"id":")" + o +
		      R"("}],"items":[{"classification":{"id":"10000000"}}]}]})" + "\n";
	// Varieties [2,1,1,1,1]: q1 1, q3 1 + 1/3, fence ⌈1⅓ + 0.5⌉ = 2.
	EXPECT_EQ(run(R"({"R048": {"minimum_contracting_processes": 1}})", in),
	          parse_json(R"({"Tenderer":{"F":{"R048":2.0}}})"));
	EXPECT_EQ(run(R"({"R048": {}})", in), Json::object()); // default minimum: 20 processes
}

TEST(CardinalExamples, R058) {
	std::string in = priced("F", 1, 100);
	for (const char *o : {"1", "2", "3", "4"})
		in += priced(o, 1, 2);
	EXPECT_EQ(run(example_settings, in), parse_json(R"({"OCID":{"F":{"R058":99.0}}})"));
}

// --- flagged, near miss, exclusions, ties, overrides ----------------------------------------------------
namespace {
std::string tender(const std::string &ocid, const std::string &start, const std::string &end,
                   const std::string &extra = "") {
	return R"({"ocid":")" + ocid + R"(","tender":{)" + extra + R"("tenderPeriod":{"startDate":")" + start +
	       R"(","endDate":")" + end + "\"}}}\n";
}
} // namespace

TEST(Indicators, R003NearMissOverridesAndMethods) {
	const std::string s = "2024-01-01T00:00:00Z";
	EXPECT_EQ(run(R"({"R003": {}})", tender("A", s, "2024-01-15T23:59:59Z")),
	          parse_json(R"({"OCID":{"A":{"R003":1.0}}})"));
	EXPECT_EQ(run(R"({"R003": {}})", tender("A", s, "2024-01-16T00:00:00Z")), Json::object()); // 15 days: not under 15
	EXPECT_EQ(run(R"({"R003": {"threshold": 10}})", tender("A", s, "2024-01-11T00:00:00Z")), Json::object());
	// Thresholds by procurementMethodDetails override the threshold.
	const std::string emergency = tender("A", s, "2024-01-11T00:00:00Z", R"("procurementMethodDetails":"emergency",)");
	EXPECT_EQ(run(R"({"R003": {"procurement_method_details": {"emergency": 10}}})", emergency), Json::object());
	EXPECT_EQ(run(R"({"R003": {"procurement_method_details": {"emergency": 11}}})", emergency),
	          parse_json(R"({"OCID":{"A":{"R003":1.0}}})"));
	// A method filter excludes other and missing methods.
	const std::string limited = tender("A", s, "2024-01-02T00:00:00Z", R"("procurementMethod":"limited",)");
	EXPECT_EQ(run(R"({"R003": {"procurement_methods": "open"}})", limited), Json::object());
	EXPECT_EQ(run(R"({"R003": {"procurement_methods": "open"}})", tender("A", s, "2024-01-02T00:00:00Z")),
	          Json::object());
	EXPECT_EQ(run(R"({"R003": {"procurement_methods": "open|limited"}})", limited),
	          parse_json(R"({"OCID":{"A":{"R003":1.0}}})"));
	// Unreadable dates exclude the process.
	EXPECT_EQ(run(R"({"R003": {}})", tender("A", "2024-01-01", "2024-01-02")), Json::object());
}

TEST(Indicators, GlobalExclusions) {
	const std::string s = "2024-01-01T00:00:00Z", e = "2024-01-02T00:00:00Z";
	// A cancelled tender is excluded from every indicator.
	Results r = run_lines(parse_settings(Json()), tender("A", s, e, R"("status":"cancelled",)"));
	EXPECT_TRUE(r.rows.empty());
	EXPECT_EQ(r.excluded, 1u);
	// Excluded procurementMethodDetails; other details and none still count.
	const char *settings = R"({"exclusions": {"procurement_method_details": "Random Selection|Lottery"}, "R003": {}})";
	EXPECT_EQ(run(settings, tender("A", s, e, R"("procurementMethodDetails":"Lottery",)")), Json::object());
	EXPECT_EQ(run(settings, tender("A", s, e, R"("procurementMethodDetails":"Open",)") + tender("B", s, e)),
	          parse_json(R"({"OCID":{"A":{"R003":1.0},"B":{"R003":1.0}}})"));
	// Not an object, no string ocid: skipped and counted.
	r = run_lines(parse_settings(Json()), "[1]\n{\"ocid\": 5}\nnot json\n");
	EXPECT_EQ(r.invalid, 3u);
	EXPECT_EQ(r.read, 0u);
}

TEST(Indicators, R018MethodsAndCounts) {
	auto one = [](const std::string &method, const std::string &n) {
		return R"({"ocid":"A","tender":{"procurementMethod":")" + method + R"(","numberOfTenderers":)" + n + "}}";
	};
	EXPECT_EQ(run(R"({"R018": {}})", one("selective", "1")), parse_json(R"({"OCID":{"A":{"R018":1.0}}})"));
	EXPECT_EQ(run(R"({"R018": {}})", one("open", "2")), Json::object());
	EXPECT_EQ(run(R"({"R018": {}})", one("limited", "1")), Json::object());
	EXPECT_EQ(run(R"({"R018": {}})", one("open", "1.0")), Json::object()); // not an unsigned integer, as in Cardinal
	EXPECT_EQ(run(R"({"R018": {"procurement_methods": "limited"}})", one("limited", "1")),
	          parse_json(R"({"OCID":{"A":{"R018":1.0}}})"));
}

TEST(Indicators, SecondLowestRatioExclusionsAndCurrency) {
	// Fixed fence 0.05: 0.04 flagged, 0.05 flagged (inclusive), 0.06 not.
	const char *settings = R"({"R024": {"threshold": 0.05}})";
	EXPECT_EQ(run(settings, priced("A", 100, 104) + priced("B", 100, 105) + priced("C", 100, 106)),
	          parse_json(R"({"OCID":{"A":{"R024":0.04},"B":{"R024":0.05}}})"));
	// The winner's bid is not the lowest: excluded.
	EXPECT_EQ(run(settings, priced("A", 100, 99)), Json::object());
	// A pending award, or two active awards: excluded.
	std::string pending = priced("A", 100, 101);
	pending.replace(pending.find("\"active\""), 8, "\"pending\"");
	EXPECT_EQ(run(settings, pending), Json::object());
	std::string two_awards = priced("A", 100, 101);
	two_awards.insert(two_awards.rfind("]}"), R"(,{"status":"active","suppliers":[{"id":"L"}]})");
	EXPECT_EQ(run(settings, two_awards), Json::object());
	// Other currencies than the main one are ignored: with currency EUR nothing compares.
	EXPECT_EQ(run(R"({"currency": "EUR", "R024": {"threshold": 0.05}})", priced("A", 100, 101)), Json::object());
	// Price comparison lists: the deny list drops, the allow list keeps only its members.
	const std::string auction = priced("A", 100, 101, R"(,"tender":{"procurementMethodDetails":"Random Selection"})");
	EXPECT_EQ(
	    run(R"({"no_price_comparison_procurement_methods": "Random Selection", "R024": {"threshold": 0.05}})", auction),
	    Json::object());
	EXPECT_EQ(
	    run(R"({"price_comparison_procurement_methods": "Reverse Auction", "R024": {"threshold": 0.05}})", auction),
	    Json::object());
	EXPECT_EQ(
	    run(R"({"price_comparison_procurement_methods": "Random Selection", "R024": {"threshold": 0.05}})", auction),
	    parse_json(R"({"OCID":{"A":{"R024":0.01}}})"));
}

TEST(Indicators, R024AllZeroQuartilesSkipped) {
	// Every winner tied with the runner-up: Q1 = Q3 = 0, so Cardinal flags nothing rather than everything.
	EXPECT_EQ(run(R"({"R024": {}})", priced("A", 5, 5) + priced("B", 5, 5) + priced("C", 5, 5)), Json::object());
	// R058 likewise: an upper fence of 0 flags nothing.
	EXPECT_EQ(run(R"({"R058": {}})", priced("A", 5, 5) + priced("B", 5, 5)), Json::object());
}

TEST(Indicators, R028SameTendererAndNearMiss) {
	auto bids = [](const std::string &b1, const std::string &b2) {
		return R"({"ocid":"A","bids":{"details":[)" + b1 + "," + b2 + "]}}";
	};
	auto bid = [](const std::string &id, const std::string &amount, const std::string &status = "valid",
	              const std::string &cur = "USD") {
		return R"({"status":")" + status + R"(","value":{"amount":)" + amount + R"(,"currency":")" + cur +
		       R"("},"tenderers":[{"id":")" + id + "\"}]}";
	};
	EXPECT_EQ(run(R"({"R028": {}})", bids(bid("X", "10"), bid("X", "10"))), Json::object()); // one company's two bids
	EXPECT_EQ(run(R"({"R028": {}})", bids(bid("X", "10"), bid("Y", "10.01"))), Json::object()); // near miss
	EXPECT_EQ(run(R"({"R028": {}})", bids(bid("X", "10"), bid("Y", "10", "valid", "EUR"))), Json::object());
	EXPECT_EQ(run(R"({"R028": {}})", bids(bid("X", "10"), bid("Y", "10", "withdrawn"))),
	          Json::object()); // not submitted
	EXPECT_EQ(run(R"({"R028": {}})", bids(bid("X", "10"), bid("Y", "10.0"))),
	          parse_json(R"({"OCID":{"A":{"R028":1.0}},"Tenderer":{"X":{"R028":1.0},"Y":{"R028":1.0}}})"));
}

TEST(Indicators, R030NearMiss) {
	const char *in =
	    R"({"ocid":"F","bids":{"details":[{"status":"valid","date":"2000-03-15T00:00:00Z","tenderers":[{"id":"W"}]}]},"tender":{"tenderPeriod":{"endDate":"2000-03-15T00:00:00Z"}},"awards":[{"status":"active","suppliers":[{"id":"W"}]}]})";
	EXPECT_EQ(run(R"({"R030": {}})", in), Json::object()); // on time
	const char *loser =
	    R"({"ocid":"F","bids":{"details":[{"status":"valid","date":"2000-04-01T00:00:00Z","tenderers":[{"id":"L"}]}]},"tender":{"tenderPeriod":{"endDate":"2000-03-15T00:00:00Z"}},"awards":[{"status":"active","suppliers":[{"id":"W"}]}]})";
	EXPECT_EQ(run(R"({"R030": {}})", loser), Json::object()); // late, but did not win
}

TEST(Indicators, R035ThresholdAndSameTenderer) {
	const char *two =
	    R"({"ocid":"F","bids":{"details":[{"status":"disqualified","tenderers":[{"id":"D"}]},{"status":"disqualified","tenderers":[{"id":"E"}]},{"status":"disqualified","tenderers":[{"id":"V"}]},{"status":"valid","tenderers":[{"id":"V"}]}]},"awards":[{"status":"active","suppliers":[{"id":"V"}]}]})";
	EXPECT_EQ(run(R"({"R035": {}})", two),
	          parse_json(R"({"OCID":{"F":{"R035":2.0}}})")); // V's own disqualified bid does not count
	EXPECT_EQ(run(R"({"R035": {"threshold": 3}})", two), Json::object());
	const char *two_valid =
	    R"({"ocid":"F","bids":{"details":[{"status":"disqualified","tenderers":[{"id":"D"}]},{"status":"valid","tenderers":[{"id":"V"}]},{"status":"valid","tenderers":[{"id":"U"}]}]},"awards":[{"status":"active","suppliers":[{"id":"V"}]}]})";
	EXPECT_EQ(run(R"({"R035": {}})", two_valid), Json::object());
}

TEST(Indicators, R036Ties) {
	auto in = [](const std::string &first, const std::string &second) {
		return R"({"ocid":"F","bids":{"details":[{"status":")" + first +
		       R"(","value":{"amount":1,"currency":"USD"}},{"status":")" + second +
		       R"(","value":{"amount":1,"currency":"USD"}}]},"awards":[{"status":"active"}]})";
	};
	// Equal lowest bids: the first one decides (Cardinal's strict comparison).
	EXPECT_EQ(run(R"({"R036": {}})", in("valid", "disqualified")), Json::object());
	EXPECT_EQ(run(R"({"R036": {}})", in("disqualified", "valid")), parse_json(R"({"OCID":{"F":{"R036":1.0}}})"));
	// No active award: excluded.
	std::string no_award = in("disqualified", "valid");
	no_award.replace(no_award.find("\"active\""), 8, "\"cancelled\"");
	EXPECT_EQ(run(R"({"R036": {}})", no_award), Json::object());
}

TEST(Indicators, R038FixedThresholdAndMinimum) {
	std::string in;
	for (int i = 0; i < 3; ++i)
		in +=
		    R"({"ocid":")" + std::to_string(i) +
		    R"(","bids":{"details":[{"status":"disqualified","tenderers":[{"id":"T"}]},{"status":"valid","tenderers":[{"id":"U"}]}]},"buyer":{"id":"B"},"tender":{"procuringEntity":{"id":"P"}}})"
		    "\n";
	EXPECT_EQ(
	    run(R"({"R038": {"threshold": 0.5}})", in),
	    parse_json(
	        R"({"Buyer":{"B":{"R038":0.5}},"ProcuringEntity":{"P":{"R038":0.5}},"Tenderer":{"T":{"R038":1.0}}})"));
	EXPECT_EQ(
	    run(R"({"R038": {"threshold": 0.5, "minimum_submitted_bids": 4, "minimum_contracting_processes": 7}})", in),
	    Json::object());
}

TEST(Indicators, RepeatableAndOrderedDocument) {
	std::string in = priced("F", 1, 100);
	for (const char *o : {"1", "2", "3", "4"})
		in += priced(o, 1, 2);
	Settings s = parse_settings(Json());
	EXPECT_EQ(cardinal_document(run_lines(s, in), true).dump(), cardinal_document(run_lines(s, in), true).dump());
	Results r = run_lines(s, in);
	EXPECT_EQ(r.read, 5u);
	EXPECT_EQ(*r.currency, "USD");
	ASSERT_FALSE(r.rows.empty());
	EXPECT_EQ(group_name(r.rows.front().group), std::string("OCID"));
}

// Issue 12 item 6: R003 and PROC.TENDER_PERIOD are one check (period_too_short) with their own minimums:
// given the same minimum they agree, day by day, on whole days.
TEST(Indicators, R003AndTenderPeriodRuleAreOneCheck) {
	const CompiledRule rule = CompiledRule::compile(1, "PROC.TENDER_PERIOD", "tender_period_short", "procurement",
	                                                R"({"min_days_open": 15})", false);
	Calendar calendar;
	for (const char *end : {"2025-06-14", "2025-06-15", "2025-06-16", "2025-06-17"}) {
		Hit hit;
		const bool rule_fires =
		    evaluate_row(rule,
		                 fixtures::record(RecordKind::Procurement, {{"procurement_method", "open"},
		                                                            {"tender_period_start", "2025-06-01"},
		                                                            {"tender_period_end", end}}),
		                 calendar, hit);
		const std::string release =
		    std::string(
		        R"({"ocid":"A","tender":{"procurementMethod":"open","tenderPeriod":{"startDate":"2025-06-01T00:00:00Z","endDate":")") +
		    end + "T00:00:00Z\"}}}";
		const bool r003_flags = !run(R"({"R003": {"threshold": 15}})", release).empty();
		EXPECT_EQ(rule_fires, r003_flags) << end;
		EXPECT_EQ(rule_fires, std::string(end) < "2025-06-16") << end; // 15 whole days is not under 15
	}
}

namespace {
// Cardinal's R025 example with F bidding in processes 0–7 against tenderer o in process o; winners[o] won.
std::string r025_lines(const std::vector<std::string> &winners) {
	std::string in =
	    R"({"ocid":"0","bids":{"details":[{"status":"valid","tenderers":[{"id":"F"}]}]},"awards":[{"status":"active","suppliers":[{"id":")" +
	    winners[0] + "\"}]}]}\n";
	for (size_t o = 1; o < winners.size(); ++o)
		in +=
		    R"({"ocid":")" + std::to_string(o) +
		    R"(","bids":{"details":[{"status":"valid","tenderers":[{"id":"F"}]},{"status":"valid","tenderers":[{"id":")" +
		    std::to_string(o) + R"("}]}]},"awards":[{"status":"active","suppliers":[{"id":")" + winners[o] +
		    "\"}]}]}\n";
	return in;
}
} // namespace

TEST(Indicators, R025NearMissAndOverrides) {
	// F wins processes 0 and 1: ratios [0.25, 0, 1×6], lower fence 0.5625 − 1.5·0.4375 < 0.25: not flagged.
	const std::string in = r025_lines({"F", "F", "2", "3", "4", "5", "6", "7"});
	EXPECT_EQ(run(R"({"R025": {}})", in), Json::object());
	// A fixed lower fence of 0.3 flags F (8 bids > the 75th percentile 1); tenderer 1 (ratio 0) has 1 bid.
	EXPECT_EQ(run(R"({"R025": {"threshold": 0.3}})", in), parse_json(R"({"Tenderer":{"F":{"R025":0.25}}})"));
	// The 100th percentile of bid counts is F's own 8: F is not above it.
	EXPECT_EQ(run(R"({"R025": {"threshold": 0.3, "percentile": 100}})", in), Json::object());
	// A process with a pending award is excluded: F's bids there do not count.
	std::string pending = r025_lines({"F", "1", "2", "3", "4", "5", "6", "7"});
	pending.replace(pending.find("\"active\""), 8, "\"pending\"");
	// F: 0 wins in 7 (its win in the excluded process does not count), below everyone else's 1.
	EXPECT_EQ(run(R"({"R025": {}})", pending), parse_json(R"({"Tenderer":{"F":{"R025":0.0}}})"));
}

TEST(Indicators, SecondLowestRatioSupplierAndTendererExclusions) {
	const char *settings = R"({"R024": {"threshold": 0.05}})";
	std::string two_tenderers = priced("A", 100, 101);
	two_tenderers.replace(two_tenderers.find(R"([{"id":"L"}])"), 12, R"([{"id":"L"},{"id":"M"}])");
	EXPECT_EQ(run(settings, two_tenderers), Json::object()); // the only other bid is by two tenderers
	std::string two_suppliers = priced("A", 100, 101);
	two_suppliers.replace(two_suppliers.find(R"("suppliers":[{"id":"W"}])"), 24,
	                      R"("suppliers":[{"id":"W"},{"id":"L"}])");
	EXPECT_EQ(run(settings, two_suppliers), Json::object()); // an award to two suppliers
	// The winner's lowest bid is its bid (two bids by W: 100 and 90, runner-up 99: 0.1 from 90).
	std::string two_bids = priced("A", 100, 99);
	two_bids.insert(two_bids.find("]},\"awards\""),
	                R"(,{"status":"valid","tenderers":[{"id":"W"}],"value":{"amount":90,"currency":"USD"}})");
	EXPECT_EQ(run(R"({"R058": {"threshold": 0.1}})", two_bids), parse_json(R"({"OCID":{"A":{"R058":0.1}}})"));
	EXPECT_EQ(run(R"({"R058": {"threshold": 0.11}})", two_bids), Json::object());
}

TEST(Indicators, R028PriceComparisonExclusion) {
	const std::string in =
	    R"({"ocid":"F","tender":{"procurementMethodDetails":"Random Selection"},"bids":{"details":[{"status":"valid","value":{"amount":1,"currency":"USD"},"tenderers":[{"id":"V"}]},{"status":"valid","value":{"amount":1,"currency":"USD"},"tenderers":[{"id":"D"}]}]}})";
	EXPECT_EQ(run(R"({"no_price_comparison_procurement_methods": "Random Selection", "R028": {}})", in),
	          Json::object());
	EXPECT_EQ(run(R"({"no_price_comparison_procurement_methods": "Lottery", "R028": {}})", in).size(), 2u);
}

TEST(Indicators, R038NearMiss) {
	// Buyers at 1/4, 1/4, 1/4 and 2/4 disqualified: Q1 0.25, Q3 0.25 + 7/12·0.25, fence Q3 + 1.5·IQR ≈ 0.6146 > 0.5.
	// Tenderers X (5/8) and Y (0/8): Q1 0, Q3 0.625, fence 1.5625. Nobody flagged.
	std::string in;
	for (int b = 0; b < 4; ++b)
		for (int p = 0; p < 2; ++p)
			in += R"({"ocid":")" + std::to_string(b * 2 + p) + R"(","buyer":{"id":"B)" + std::to_string(b) +
			      R"("},"bids":{"details":[{"status":")" + (p == 0 || b == 3 ? "disqualified" : "valid") +
			      R"(","tenderers":[{"id":"X"}]},{"status":"valid","tenderers":[{"id":"Y"}]}]}})" + "\n";
	Results r = run_lines(parse_settings(parse_json(R"({"R038": {}})")), in);
	EXPECT_EQ(r.meta["R038"]["Buyer_q3"], 0.3958);
	EXPECT_EQ(r.meta["R038"]["Buyer_upper_fence"], 0.6146);
	EXPECT_EQ(r.meta["R038"]["Tenderer_upper_fence"], 1.5625);
	EXPECT_EQ(cardinal_document(r, false), Json::object());
	// A fixed fence at B3's ratio flags it (inclusive).
	EXPECT_EQ(run(R"({"R038": {"threshold": 0.5}})", in),
	          parse_json(R"({"Buyer":{"B3":{"R038":0.5}},"Tenderer":{"X":{"R038":0.625}}})"));
}

TEST(Indicators, R048DigitsAndThreshold) {
	const char *in =
	    R"({"ocid":"F","awards":[{"status":"active","suppliers":[{"id":"F"}],"items":[{"classification":{"id":"10100000"}},{"classification":{"id":"10200000"}}]}]})";
	// Two digits: one first-level class; four digits: two. A fixed fence of 2 flags only the latter.
	EXPECT_EQ(run(R"({"R048": {"minimum_contracting_processes": 1, "threshold": 2}})", in), Json::object());
	EXPECT_EQ(run(R"({"R048": {"minimum_contracting_processes": 1, "threshold": 2, "digits": 4}})", in),
	          parse_json(R"({"Tenderer":{"F":{"R048":2.0}}})"));
}
