// follow: which notifications name an alert (the engine sends {"alert_id": n} and nothing else).
#include <gtest/gtest.h>

#include "core/alert_line.hpp"

using oversight::loader::notified_alert_id;

TEST(FollowTest, ReadsTheAlertNumberOfAnEngineNotification) {
	EXPECT_EQ(notified_alert_id(R"({"alert_id": 17})"), 17);
	EXPECT_EQ(notified_alert_id(R"({"alert_id":9007199254740993})"), 9007199254740993LL);
}

TEST(FollowTest, AnythingElseIsNotAnAlertNumber) {
	EXPECT_FALSE(notified_alert_id(R"({"fault_id": 3})"));
	EXPECT_FALSE(notified_alert_id(R"({"alert_id": 17, "message": "old 0.2.0 payload"})"));
	EXPECT_FALSE(notified_alert_id(R"({"alert_id": "17"})"));
	EXPECT_FALSE(notified_alert_id(R"({"alert_id": -1})"));
	EXPECT_FALSE(notified_alert_id("17"));
	EXPECT_FALSE(notified_alert_id("not json"));
	EXPECT_FALSE(notified_alert_id(""));
}
