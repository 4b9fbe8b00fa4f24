#include "db/follow.hpp"

#include "core/alert_line.hpp"
#include "pqxx_compat.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>

namespace oversight::loader {
namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) {
	stop_requested = 1;
}

} // namespace

long follow_alerts(pqxx::connection &conn, const FollowOptions &o) {
	struct sigaction sa {};
	sa.sa_handler = request_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	long printed = 0;
	pqxx_compat::Listener listener(conn, o.channel, [&](const std::string &payload) {
		if (o.max_alerts && printed >= o.max_alerts)
			return;
		std::string out = o.json ? payload : format_alert_line(payload);
		std::fprintf(stdout, "%s\n", out.c_str());
		std::fflush(stdout); // live, also through a pipe
		++printed;
	});
	std::fprintf(stderr, "listening on channel %s (Ctrl-C to stop)\n", o.channel.c_str());
	auto deadline =
	    std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000));
	while (!stop_requested && !(o.max_alerts && printed >= o.max_alerts)) {
		if (o.timeout_s > 0 && std::chrono::steady_clock::now() >= deadline)
			break;
		// A short wait keeps signals, --max and --timeout responsive.
		pqxx_compat::await_notifications(conn, std::chrono::milliseconds(200));
	}
	return printed;
}

} // namespace oversight::loader
