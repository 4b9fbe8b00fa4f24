// One human line for an alert of the rule engine, or for a notification of the escalation ladder (outbox).
#pragma once

#include <optional>
#include <string>

namespace oversight::loader {

// "2025-06-30T10:00:00+08:00 HIGH     PAY.DUP v1 [open] 重复支付：message (oversight.payment payment_code=P1) ×2 #17":
// the rule's title and the message in the language the payload names (oversight.alert_notices()).
std::string format_alert_line(const std::string &payload);

// The number a notification of the extension carries ({"alert_id": n} on oversight_alerts, {"outbox_id": n}
// on oversight_outbox, and nothing else: LISTEN needs no privilege, so the channels say nothing more);
// nullopt for any other payload.
std::optional<long long> notified_id(const std::string &payload, const char *key);

// "2024-10-09T18:00:00+08:00 YELLOW_CARD → section_chief C1: 黄牌：…" from an outbox row as JSON; the text
// in Chinese (language "zh", the default) or English ("en").
std::string format_outbox_line(const std::string &row, const std::string &language);

// "2025-06-30T10:00:00+08:00 无法判断 ENF.FINE_UNPAID v1 oversight.enforcement_case 导入 12：208
// 条记录，该批导入未提供所需字段 paid_on #5" from a gap of oversight.coverage_notices() (a rule that could not judge
// records: channel oversight_coverage), in Chinese (language "zh") or English ("en").
std::string format_coverage_line(const std::string &notice, const std::string &language);

} // namespace oversight::loader
