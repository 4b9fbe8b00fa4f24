// The collusion signals' one decision (oversight/core/collusion.hpp), used by the set-based collusion rules
// through oversight.tenderers_verdict() and by Cardinal's R028 (indicators_test.cpp checks R028's results).
#include <gtest/gtest.h>

#include "oversight/core/collusion.hpp"

using namespace oversight::core;

TEST(CollusionTest, DifferentKnownTenderersDecide) {
	EXPECT_EQ(tenderers_verdict({"#A", "#B"}, UnknownTenderers::CannotEvaluate), TenderersVerdict::DifferentTenderers);
	EXPECT_EQ(tenderers_verdict({"#A", "", "#B"}, UnknownTenderers::CannotEvaluate),
	          TenderersVerdict::DifferentTenderers); // an unknown bid cannot undo two known different ones
	EXPECT_EQ(tenderers_verdict({"#A", "#B"}, UnknownTenderers::Skip), TenderersVerdict::DifferentTenderers);
}

TEST(CollusionTest, OneCompanyIsNeverDifferentTenderers) {
	EXPECT_EQ(tenderers_verdict({"#A", "#A", "#A"}, UnknownTenderers::CannotEvaluate), TenderersVerdict::None);
	EXPECT_EQ(tenderers_verdict({"#A,B", "#A,B"}, UnknownTenderers::Skip), TenderersVerdict::None); // one consortium
}

TEST(CollusionTest, UnknownTenderersAreCannotEvaluateOrLeftOut) {
	EXPECT_EQ(tenderers_verdict({"#A", ""}, UnknownTenderers::CannotEvaluate), TenderersVerdict::CannotEvaluate);
	EXPECT_EQ(tenderers_verdict({"", ""}, UnknownTenderers::CannotEvaluate), TenderersVerdict::CannotEvaluate);
	EXPECT_EQ(tenderers_verdict({"#A", ""}, UnknownTenderers::Skip), TenderersVerdict::None); // Cardinal
	EXPECT_EQ(tenderers_verdict({""}, UnknownTenderers::CannotEvaluate), TenderersVerdict::None); // a single bid
	EXPECT_STREQ(verdict_name(TenderersVerdict::CannotEvaluate), "cannot_evaluate");
	EXPECT_STREQ(verdict_name(TenderersVerdict::DifferentTenderers), "different_tenderers");
	EXPECT_STREQ(verdict_name(TenderersVerdict::None), "none");
}
