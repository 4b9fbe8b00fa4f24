// One human line for an alert of the rule engine (payload of NOTIFY oversight_alerts, a JSON object).
#pragma once

#include <optional>
#include <string>

namespace oversight::loader {

// "2025-06-30T10:00:00+08:00 WARNING  PAY.DUP v1 [open] message (oversight.payment payment_code=P1) ×2 #17"
std::string format_alert_line(const std::string &payload);

// The alert number of a notification of the rule engine ({"alert_id": n}, nothing else: LISTEN needs no
// privilege, so the engine says nothing more on the channel); nullopt for any other payload.
std::optional<long long> notified_alert_id(const std::string &payload);

} // namespace oversight::loader
