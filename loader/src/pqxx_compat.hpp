// Every difference between libpqxx 6.x (Debian 12 ships 6.4.5) and 7.x lives here (guide §2.6), keyed on
// PQXX_VERSION_MAJOR, so moving to 7.x touches this file only.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace oversight::loader::pqxx_compat {
// A COPY text line formatted (and escaped) by the loader itself.
struct CopyLine {
	const std::string &text;
};
} // namespace oversight::loader::pqxx_compat

#if PQXX_VERSION_MAJOR < 7
// libpqxx 6.4 keeps stream_to::write_raw_line private and offers only per-field escaping through
// operator<<(tuple). The loader already escapes its lines (core/copy_text.hpp), so escaping twice would cost
// the throughput the benchmark measures: this explicit specialisation of stream_to's own member template
// hands a finished line to write_raw_line. 7.x makes write_raw_line public and needs none of this.
template <>
inline pqxx::stream_to &pqxx::stream_to::operator<< <oversight::loader::pqxx_compat::CopyLine>(
    const oversight::loader::pqxx_compat::CopyLine &line) {
	write_raw_line(line.text);
	return *this;
}
#endif

namespace oversight::loader::pqxx_compat {

// COPY … FROM STDIN into schema.table (columns already quoted). 6.4 pastes the names verbatim, so they are
// quoted here; 7.4+ has the stream_to::table factory that quotes by itself.
inline std::unique_ptr<pqxx::stream_to> open_copy(pqxx::work &tx, const std::string &schema, const std::string &table,
                                                  const std::vector<std::string> &quoted_columns) {
#if PQXX_VERSION_MAJOR >= 7
	std::vector<std::string_view> cols;
	for (const auto &c : quoted_columns)
		cols.push_back(c);
	return std::make_unique<pqxx::stream_to>(pqxx::stream_to::raw_table(
	    tx, tx.quote_name(schema) + "." + tx.quote_name(table), tx.conn().quote_columns(cols)));
#else
	return std::make_unique<pqxx::stream_to>(tx, tx.quote_name(schema) + "." + tx.quote_name(table), quoted_columns);
#endif
}

// One pre-formatted COPY text line (without its newline).
inline void write_copy_line(pqxx::stream_to &stream, const std::string &line) {
#if PQXX_VERSION_MAJOR < 7
	stream << CopyLine{line};
#else
	stream.write_raw_line(line);
#endif
}

// Rows for COPY, sent in batches: libpq sends one CopyData message per call, and one message per row made
// the server's side of COPY twice as slow as psql's \copy (which sends 8 kB chunks). Message boundaries mean
// nothing in COPY text, so many lines go in one message. Rows are formatted straight into the batch
// (row() … end_row()), so no line is copied on its way.
class CopyBatcher {
public:
	explicit CopyBatcher(pqxx::stream_to &stream) : stream_(stream) { batch_.reserve(limit + 16 * 1024); }
	~CopyBatcher() = default;
	// The buffer to append one row's fields to (COPY text, without the newline); then call end_row().
	std::string &row() { return batch_; }
	void end_row() {
		batch_.push_back('\n');
		if (batch_.size() >= limit)
			flush();
	}
	void add(const std::string &line) {
		batch_ += line;
		end_row();
	}
	// Sends what is pending; call before stream.complete().
	void flush() {
		if (batch_.empty())
			return;
		batch_.pop_back(); // write_copy_line adds the final newline
		write_copy_line(stream_, batch_);
		batch_.clear();
	}

private:
	// 8 to 64 kB measure the same; 256 kB is slower: the server starts on a message only once it has all of
	// it, and libpq holds back its last partial 8 kB until the next one.
	static constexpr size_t limit = 64 * 1024;
	pqxx::stream_to &stream_;
	std::string batch_;
};

// A parameterised statement.
template <typename... Args>
pqxx::result exec_params(pqxx::transaction_base &tx, const std::string &sql, Args &&...args) {
#if PQXX_VERSION_MAJOR > 7 || (PQXX_VERSION_MAJOR == 7 && PQXX_VERSION_MINOR >= 10)
	return tx.exec(sql, pqxx::params{std::forward<Args>(args)...});
#else
	return tx.exec_params(sql, std::forward<Args>(args)...);
#endif
}

// LISTEN on a channel and hand each payload to a callback (notification_receiver exists in both; 7.10
// deprecates it in favour of connection::listen, which 8.0 requires).
class Listener : public pqxx::notification_receiver {
public:
	Listener(pqxx::connection &conn, const std::string &channel, std::function<void(const std::string &)> on_payload)
	    : pqxx::notification_receiver(conn, channel), on_payload_(std::move(on_payload)) {}
	void operator()(const std::string &payload, int) override { on_payload_(payload); }

private:
	std::function<void(const std::string &)> on_payload_;
};

// Waits up to `timeout` for notifications (delivered to the listeners); returns how many arrived.
inline int await_notifications(pqxx::connection &conn, std::chrono::milliseconds timeout) {
	long secs = static_cast<long>(timeout.count() / 1000), usecs = static_cast<long>((timeout.count() % 1000) * 1000);
	return conn.await_notification(secs, usecs);
}

} // namespace oversight::loader::pqxx_compat
