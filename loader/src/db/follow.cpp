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

// What a channel of the extension announces, and how the connected role reads it (row-level security):
// the notification carries a number only; the row behind it is read here, or not at all.
enum class Printed { Alert, Outbox, Coverage };
struct Feed {
	const char *channel;
	const char *id_key; // the payload is {"<id_key>": n}
	const char *query;  // rows (id, json) for the ids in $IDS, those the role may see
	Printed printed;
};
const Feed feeds[] = {
    {"oversight_alerts", "alert_id",
     "SELECT alert_id, notice::text FROM oversight.alert_notices(ARRAY[$IDS]::bigint[])", Printed::Alert},
    {"oversight_outbox", "outbox_id",
     "SELECT o.outbox_id, pg_catalog.to_jsonb(o)::text FROM oversight.outbox o WHERE o.outbox_id = ANY "
     "(ARRAY[$IDS]::bigint[])",
     Printed::Outbox},
    // What the rules could not judge (data coverage): followed with the alerts.
    {"oversight_coverage", "gap_id",
     "SELECT gap_id, notice::text FROM oversight.coverage_notices(ARRAY[$IDS]::bigint[])", Printed::Coverage},
};

const Feed *feed_of(const std::string &channel) {
	for (const auto &f : feeds)
		if (channel == f.channel)
			return &f;
	return nullptr;
}

// A notification as received: its feed (a channel of the extension) and the number it names, or the
// payload as is.
struct Received {
	const Feed *feed;
	std::optional<long long> id;
	std::string payload;
};

std::map<long long, std::string> read_rows(pqxx::connection &conn, const Feed &feed,
                                           const std::vector<Received> &batch) {
	std::string ids;
	for (const auto &r : batch)
		if (r.id && r.feed == &feed)
			ids += (ids.empty() ? "" : ",") + std::to_string(*r.id); // numbers only: nothing to quote
	std::map<long long, std::string> rows;
	if (ids.empty())
		return rows;
	std::string sql = feed.query;
	sql.replace(sql.find("$IDS"), 4, ids);
	pqxx::read_transaction tx(conn);
	for (const auto &row : tx.exec(sql))
		rows.emplace(row[0].as<long long>(), row[1].as<std::string>());
	tx.commit();
	return rows;
}

// The language of what is printed: --language when given, set for the session so the alerts read back
// come in it too (oversight.alert_notices() follows oversight.language()); else the session's own, i.e.
// the database's setting "language" or oversight.language from PGOPTIONS (a bad value there is the
// database's error, 22023). An extension without oversight.language() (before 0.4.0) means Chinese for
// the ladder's texts, as it did.
std::string session_language(pqxx::connection &conn, const std::string &wanted) {
	pqxx::nontransaction tx(conn);
	if (!wanted.empty())
		tx.exec("SELECT pg_catalog.set_config('oversight.language', " + tx.quote(wanted) + ", false)");
	try {
		pqxx::result r = tx.exec("SELECT oversight.language()");
		return r[0][0].as<std::string>();
	} catch (const pqxx::sql_error &e) {
		if (e.sqlstate() != "42883") // undefined_function
			throw;
		return wanted.empty() ? "zh" : wanted;
	}
}

} // namespace

long follow_alerts(pqxx::connection &conn, const FollowOptions &o) {
	struct sigaction sa {};
	sa.sa_handler = request_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	const Feed *feed = feed_of(o.channel);
	const std::string language = session_language(conn, o.language);
	long printed = 0;
	std::vector<Received> batch;
	pqxx_compat::Listener listener(conn, o.channel, [&](const std::string &payload) {
		batch.push_back(Received{feed, feed ? notified_id(payload, feed->id_key) : std::nullopt, payload});
	});
	// Following the alerts, follow what the rules could not judge too: "no alert" is not "cannot tell".
	const Feed *coverage = feed && feed->printed == Printed::Alert ? feed_of("oversight_coverage") : nullptr;
	std::optional<pqxx_compat::Listener> coverage_listener;
	if (coverage)
		coverage_listener.emplace(conn, coverage->channel, [&](const std::string &payload) {
			batch.push_back(Received{coverage, notified_id(payload, coverage->id_key), payload});
		});
	// Prints what arrived, in order; rows are read after the wait, never inside libpqxx's callback.
	auto flush = [&] {
		if (batch.empty())
			return;
		std::vector<Received> arrived;
		arrived.swap(batch);
		std::map<const Feed *, std::map<long long, std::string>> rows;
		for (const Feed *f : {feed, coverage})
			if (f)
				rows[f] = read_rows(conn, *f, arrived);
		for (const auto &r : arrived) {
			if (o.max_alerts && printed >= o.max_alerts)
				break;
			std::string text = r.payload;
			if (r.feed) {
				const auto &of_feed = rows[r.feed];
				auto it = r.id ? of_feed.find(*r.id) : of_feed.end();
				if (it == of_feed.end())
					continue; // not visible to this role, or naming nothing (anyone may NOTIFY)
				text = o.json                                 ? it->second
				       : r.feed->printed == Printed::Alert    ? format_alert_line(it->second)
				       : r.feed->printed == Printed::Coverage ? format_coverage_line(it->second, language)
				                                              : format_outbox_line(it->second, language);
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
