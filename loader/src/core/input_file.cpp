#include "core/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace oversight::loader {
namespace {
constexpr size_t chunk_size = 1 << 20;
}

InputFile::InputFile(std::string path) : path_(std::move(path)) {
	// Opening a FIFO waits for its writer; then fstat, not stat: the descriptor is the one that will be read.
	file_.reset(std::fopen(path_.c_str(), "rb"));
	if (!file_)
		throw InputError(path_ + ": cannot open: " + std::strerror(errno));
	struct stat st {};
	if (fstat(fileno(file_.get()), &st) != 0)
		throw InputError(path_ + ": cannot open: " + std::strerror(errno));
	if (S_ISDIR(st.st_mode))
		throw InputError(path_ + ": is a directory");
	if (S_ISREG(st.st_mode))
		size_hint_ = static_cast<std::uint64_t>(st.st_size);
}

bool InputFile::fill(size_t n) {
	while (buffer_.size() - pos_ < n && !eof_) {
		if (pos_ > 0 && pos_ == buffer_.size()) { // everything read: start over instead of growing
			if (buffer_.capacity() > 2 * chunk_size)
				std::string().swap(buffer_); // a large peek or a long line: give the memory back
			buffer_.clear();
			pos_ = 0;
		} else if (pos_ >= chunk_size) { // drop what was consumed before growing
			buffer_.erase(0, pos_);
			pos_ = 0;
		}
		size_t old = buffer_.size(), want = std::max(chunk_size, n - (old - pos_));
		buffer_.resize(old + want);
		size_t got = std::fread(buffer_.data() + old, 1, want, file_.get());
		buffer_.resize(old + got);
		if (got < want) {
			if (std::ferror(file_.get()))
				throw InputError(path_ + ": read error: " + std::strerror(errno));
			eof_ = true;
		}
	}
	return pos_ < buffer_.size();
}

std::string_view InputFile::consume(size_t n) {
	std::string_view bytes(buffer_.data() + pos_, n);
	pos_ += n;
	consumed_ += n;
	sha_.update(bytes);
	return bytes;
}

std::string_view InputFile::peek(size_t n) {
	fill(n);
	return std::string_view(buffer_).substr(pos_, n);
}

std::string_view InputFile::next_chunk() {
	if (!fill(1))
		return {};
	// At most a chunk, even of a larger peek: the CSV parser holds a chunk's records until it returns.
	return consume(std::min(chunk_size, buffer_.size() - pos_));
}

bool InputFile::next_line(std::string &line, bool &ended_with_lf) {
	size_t searched = 0;
	for (;;) {
		const char *start = buffer_.data() + pos_;
		if (const void *lf = std::memchr(start + searched, '\n', buffer_.size() - pos_ - searched)) {
			size_t n = static_cast<size_t>(static_cast<const char *>(lf) - start);
			line.assign(consume(n + 1).substr(0, n));
			ended_with_lf = true;
			return true;
		}
		searched = buffer_.size() - pos_;
		if (eof_) {
			if (searched == 0)
				return false;
			line.assign(consume(searched));
			ended_with_lf = false;
			return true;
		}
		fill(searched + chunk_size);
	}
}

} // namespace oversight::loader
