// A one-line progress bar on stderr (rows, MB/s, percent, ETA), shown only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace oversight::loader {

class Progress {
public:
	Progress(std::string label, std::uint64_t total_bytes, bool enabled);
	~Progress();
	void update(std::uint64_t bytes, std::uint64_t rows);
	void finish(); // erases the bar
	static bool stderr_is_terminal();

private:
	void draw(bool force);
	std::string label_;
	std::uint64_t total_, bytes_ = 0, rows_ = 0;
	bool enabled_, drawn_ = false;
	std::chrono::steady_clock::time_point start_, last_draw_;
};

} // namespace oversight::loader
