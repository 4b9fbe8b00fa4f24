#include "core/progress.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>

namespace oversight::loader {

Progress::Progress(std::string label, std::uint64_t total_bytes, bool enabled)
    : label_(std::move(label)), total_(total_bytes), enabled_(enabled), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
	finish();
}

bool Progress::stderr_is_terminal() {
	return isatty(STDERR_FILENO) == 1;
}

void Progress::update(std::uint64_t bytes, std::uint64_t rows) {
	bytes_ = bytes;
	rows_ = rows;
	if (enabled_)
		draw(false);
}

void Progress::draw(bool force) {
	auto now = std::chrono::steady_clock::now();
	if (!force && now - last_draw_ < std::chrono::milliseconds(100))
		return;
	last_draw_ = now;
	double seconds = std::chrono::duration<double>(now - start_).count();
	double rate = seconds > 0 ? bytes_ / seconds : 0;
	double fraction = total_ ? static_cast<double>(bytes_) / static_cast<double>(total_) : 0;
	int width = 24, filled = static_cast<int>(fraction * width);
	std::string eta = "--:--";
	if (rate > 0 && total_ > bytes_) {
		auto left = static_cast<long>((total_ - bytes_) / rate);
		eta = fmt::format("{:02}:{:02}", left / 60, left % 60);
	}
	std::fprintf(stderr, "\r%s [%s%s] %3.0f%%  %llu rows  %.1f MB/s  ETA %s ", label_.c_str(),
	             std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), fraction * 100,
	             static_cast<unsigned long long>(rows_), rate / 1e6, eta.c_str());
	std::fflush(stderr);
	drawn_ = true;
}

void Progress::finish() {
	if (drawn_) {
		std::fprintf(stderr, "\r\033[K");
		std::fflush(stderr);
		drawn_ = false;
	}
}

} // namespace oversight::loader
