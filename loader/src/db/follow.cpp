#include "db/follow.hpp"

#include "core/alert_line.hpp"
#include "pqxx_compat.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

namespace oversight::loader {
namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) {
	stop_requested = 1;
}

// A notification as received: the alert number of an engine notification, or any other payload as is.
struct Received {
	std::optional<long long> alert_id;
	std::string payload;
};

// The documented alert JSON of each notified alert the connected role may see (row-level security,
// through oversight.alert_notices()); alerts it may not see are simply absent.
std::map<long long, std::string> read_notices(pqxx::connection &conn, const std::vector<Received> &batch) {
	std::string ids;
	for (const auto &r : batch)
		if (r.alert_id)
			ids += (ids.empty() ? "" : ",") + std::to_string(*r.alert_id); // numbers only: nothing to quote
	std::map<long long, std::string> notices;
	if (ids.empty())
		return notices;
	pqxx::read_transaction tx(conn);
	for (const auto &row :
	     tx.exec("SELECT alert_id, notice::text FROM oversight.alert_notices(ARRAY[" + ids + "]::bigint[])"))
		notices.emplace(row[0].as<long long>(), row[1].as<std::string>());
	tx.commit();
	return notices;
}

} // namespace

long follow_alerts(pqxx::connection &conn, const FollowOptions &o) {
	struct sigaction sa {};
	sa.sa_handler = request_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	long printed = 0;
	std::vector<Received> batch;
	pqxx_compat::Listener listener(conn, o.channel, [&](const std::string &payload) {
		batch.push_back(Received{notified_alert_id(payload), payload});
	});
	// Prints what arrived, in order; alerts are read after the wait, never inside libpqxx's callback.
	auto flush = [&] {
		if (batch.empty())
			return;
		std::vector<Received> arrived;
		arrived.swap(batch);
		auto notices = read_notices(conn, arrived);
		for (const auto &r : arrived) {
			if (o.max_alerts && printed >= o.max_alerts)
				break;
			std::string text = r.payload;
			if (r.alert_id) {
				auto it = notices.find(*r.alert_id);
				if (it == notices.end())
					continue; // not visible to this role (or no such alert: anyone may NOTIFY)
				text = o.json ? it->second : format_alert_line(it->second);
			}
			std::fprintf(stdout, "%s\n", text.c_str());
			std::fflush(stdout); // live, also through a pipe
			++printed;
		}
	};
	std::fprintf(stderr, "listening on channel %s (Ctrl-C to stop)\n", o.channel.c_str());
	auto deadline =
	    std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000));
	while (!stop_requested && !(o.max_alerts && printed >= o.max_alerts)) {
		if (o.timeout_s > 0 && std::chrono::steady_clock::now() >= deadline)
			break;
		// A short wait keeps signals, --max and --timeout responsive.
		pqxx_compat::await_notifications(conn, std::chrono::milliseconds(200));
		flush();
	}
	return printed;
}

} // namespace oversight::loader
