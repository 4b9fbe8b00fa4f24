// oversight-load follow: LISTEN on the rule engine's alert channel (or the ladder's outbox) and print each
// alert or notification as it comes.
#pragma once

#include <pqxx/pqxx>

#include <string>

namespace oversight::loader {

struct FollowOptions {
	std::string channel = "oversight_alerts"; // or oversight_outbox (the ladder's notifications), or any other
	std::string language;                     // texts of alerts and notifications: zh or en; empty: the database's
	bool json = false;                        // print the JSON of each alert or notification
	long max_alerts = 0;                      // stop after this many (0: no limit)
	double timeout_s = 0;                     // stop after this many seconds (0: no limit)
};

// Runs until SIGINT/SIGTERM, --max or --timeout; returns the number of alerts printed.
long follow_alerts(pqxx::connection &conn, const FollowOptions &options);

} // namespace oversight::loader
