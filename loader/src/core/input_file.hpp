// An input file opened once and read once, front to back, with its SHA-256 computed on the way. Nothing
// reopens or seeks, so a named pipe (mkfifo), a process substitution or /dev/stdin works like a regular file:
// format and encoding detection peek at the first bytes through this reader instead of opening the file again.
#pragma once

#include "core/sha256.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace oversight::loader {

// The input cannot be used at all (unreadable, empty, header undecodable): nothing is loaded.
struct InputError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

class InputFile {
public:
	explicit InputFile(std::string path); // throws InputError (missing, unreadable, a directory)
	const std::string &path() const { return path_; }
	// The size of a regular file, for progress; 0 for a pipe (unknown until read).
	std::uint64_t size_hint() const { return size_hint_; }
	std::uint64_t bytes_read() const { return consumed_; }

	// Up to n bytes from the current position without consuming them (fewer at the end of the input).
	std::string_view peek(size_t n);
	// The next bytes, at most 1 MiB; empty at the end. Valid until the next call.
	std::string_view next_chunk();
	// The next line without its LF; false at the end. `ended_with_lf` says whether an LF followed.
	bool next_line(std::string &line, bool &ended_with_lf);
	// SHA-256 (hex) of the bytes read so far; call once everything has been read.
	std::string sha256_hex() { return sha_.hex_digest(); }

private:
	bool fill(size_t n); // buffers at least n unread bytes unless the input ends first; false at the end
	std::string_view consume(size_t n);

	struct Closer {
		void operator()(std::FILE *f) const { std::fclose(f); }
	};
	std::string path_;
	std::unique_ptr<std::FILE, Closer> file_;
	std::uint64_t size_hint_ = 0, consumed_ = 0;
	std::string buffer_; // unread bytes are buffer_[pos_, end)
	size_t pos_ = 0;
	bool eof_ = false;
	Sha256 sha_;
};

} // namespace oversight::loader
