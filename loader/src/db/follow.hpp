// oversight-load follow: LISTEN on the rule engine's alert channel and print each alert as it is raised.
#pragma once

#include <pqxx/pqxx>

#include <string>

namespace oversight::loader {

struct FollowOptions {
	std::string channel = "oversight_alerts";
	bool json = false;    // print payloads as JSON lines, unchanged
	long max_alerts = 0;  // stop after this many (0: no limit)
	double timeout_s = 0; // stop after this many seconds (0: no limit)
};

// Runs until SIGINT/SIGTERM, --max or --timeout; returns the number of alerts printed.
long follow_alerts(pqxx::connection &conn, const FollowOptions &options);

} // namespace oversight::loader
