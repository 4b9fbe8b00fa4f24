// follow: which notifications name an alert (the engine sends {"alert_id": n} and nothing else).
#include <gtest/gtest.h>

#include "core/alert_line.hpp"

using oversight::loader::format_alert_line;
using oversight::loader::format_coverage_line;
using oversight::loader::format_outbox_line;
using oversight::loader::notified_id;

TEST(FollowTest, ReadsTheAlertNumberOfAnEngineNotification) {
	EXPECT_EQ(notified_id(R"({"alert_id": 17})", "alert_id"), 17);
	EXPECT_EQ(notified_id(R"({"alert_id":9007199254740993})", "alert_id"), 9007199254740993LL);
}

TEST(FollowTest, ReadsTheNumberOfAnOutboxNotification) {
	EXPECT_EQ(notified_id(R"({"outbox_id": 5})", "outbox_id"), 5);
	EXPECT_FALSE(notified_id(R"({"outbox_id": 5})", "alert_id"));
}

TEST(FollowTest, PrintsANotificationOfTheLadderInEitherLanguage) {
	const char *row =
	    R"({"outbox_id": 7, "created_at": "2024-10-09T18:00:00+08:00", "step": "yellow_card", "target_role": "section_chief",
	                     "person_code": "C1", "text_zh": "黄牌：逾期", "text_en": "Yellow card: overdue"})";
	EXPECT_EQ(format_outbox_line(row, "zh"),
	          "2024-10-09T18:00:00+08:00 YELLOW_CARD    → section_chief C1: 黄牌：逾期 #7");
	EXPECT_EQ(format_outbox_line(row, "en"),
	          "2024-10-09T18:00:00+08:00 YELLOW_CARD    → section_chief C1: Yellow card: overdue #7");
}

TEST(FollowTest, PrintsWhatARuleCouldNotJudgeInEitherLanguage) {
	const char *notice =
	    R"({"gap_id": 5, "rule_code": "ENF.FINE_UNPAID", "rule_version": 1, "object_table": "oversight.enforcement_case",
	        "load_id": 12, "reason": "not_provided", "missing": ["paid_on"], "records": 208,
	        "last_seen_at": "2025-06-30T10:00:00+08:00", "text_zh": "该批导入未提供所需字段 paid_on",
	        "text_en": "the load did not provide paid_on"})";
	EXPECT_EQ(format_coverage_line(notice, "zh"),
	          "2025-06-30T10:00:00+08:00 无法判断 ENF.FINE_UNPAID v1 "
	          "oversight.enforcement_case 导入 12：208 条记录，该批导入未提供所需字段 paid_on #5");
	EXPECT_EQ(format_coverage_line(notice, "en"),
	          "2025-06-30T10:00:00+08:00 CANNOT-EVALUATE ENF.FINE_UNPAID v1 "
	          "oversight.enforcement_case load 12: 208 records, the load did not provide paid_on #5");
	EXPECT_EQ(notified_id(R"({"gap_id": 5})", "gap_id"), 5);
}

TEST(FollowTest, PrintsAnAlertWithItsTitleInTheLanguageOfTheNotice) {
	const char *zh =
	    R"({"alert_id": 17, "rule_code": "CASH.SINGLE", "rule_version": 1, "severity": "medium", "status": "open",
	  "object_table": "oversight.payment", "object_key": {"payment_code": "C-1"}, "repeat_count": 1, "fired_at": "2025-06-30T10:00:00+08:00",
	  "rule_title": "单笔大额提取现金", "language": "zh", "message": "单笔现金支付 60000 元，超过单笔提取现金限额 50000"})";
	EXPECT_EQ(format_alert_line(zh),
	          "2025-06-30T10:00:00+08:00 MEDIUM   CASH.SINGLE v1 [open] 单笔大额提取现金：单笔现金支付 60000 "
	          "元，超过单笔提取现金限额 50000 (oversight.payment payment_code=C-1) #17");
	const char *en =
	    R"({"alert_id": 17, "rule_code": "CASH.SINGLE", "rule_version": 1, "severity": "medium", "status": "open",
	  "object_table": "oversight.payment", "object_key": {"payment_code": "C-1"}, "repeat_count": 1, "fired_at": "2025-06-30T10:00:00+08:00",
	  "rule_title": "Large single cash withdrawal", "language": "en",
	  "message": "cash payment of 60000 CNY exceeds the single-withdrawal limit of 50000"})";
	EXPECT_EQ(format_alert_line(en),
	          "2025-06-30T10:00:00+08:00 MEDIUM   CASH.SINGLE v1 [open] Large single cash withdrawal: "
	          "cash payment of 60000 CNY exceeds the single-withdrawal limit of 50000 "
	          "(oversight.payment payment_code=C-1) #17");
}

TEST(FollowTest, AnythingElseIsNotAnAlertNumber) {
	EXPECT_FALSE(notified_id(R"({"fault_id": 3})", "alert_id"));
	EXPECT_FALSE(notified_id(R"({"alert_id": 17, "message": "old 0.2.0 payload"})", "alert_id"));
	EXPECT_FALSE(notified_id(R"({"alert_id": "17"})", "alert_id"));
	EXPECT_FALSE(notified_id(R"({"alert_id": -1})", "alert_id"));
	EXPECT_FALSE(notified_id("17", "alert_id"));
	EXPECT_FALSE(notified_id("not json", "alert_id"));
	EXPECT_FALSE(notified_id("", "alert_id"));
}
