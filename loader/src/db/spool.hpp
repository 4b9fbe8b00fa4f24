// COPY lines spooled to an anonymous temporary file (one connection runs one COPY at a time), replayed
// through their own COPY later, so memory stays flat however many lines there are.
#pragma once

#include "pqxx_compat.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace oversight::loader {

class Spool {
public:
	Spool() : file_(std::tmpfile()) {
		if (!file_)
			throw std::runtime_error("cannot create a temporary file for staging");
	}
	~Spool() { std::fclose(file_); }
	void add(const std::string &line) {
		std::fwrite(line.data(), 1, line.size(), file_);
		std::fputc('\n', file_);
	}
	void replay(pqxx::stream_to &copy) {
		std::rewind(file_);
		char *buffer = nullptr;
		size_t capacity = 0;
		std::string line;
		pqxx_compat::CopyBatcher batcher(copy);
		for (ssize_t n; (n = ::getline(&buffer, &capacity, file_)) > 0;) {
			line.assign(buffer, static_cast<size_t>(n - 1)); // COPY text escapes newlines: one line per row
			batcher.add(line);
		}
		batcher.flush();
		std::free(buffer);
	}

private:
	std::FILE *file_;
};

} // namespace oversight::loader
