// The input read once: peeked bytes, chunks and lines deliver every byte once; named pipes work.
#include "core/csv_source.hpp"
#include "core/input_file.hpp"
#include "core/ocds.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace oversight::loader;

namespace {

std::string temp_path(const std::string &name) {
	std::string path = ::testing::TempDir() + name;
	std::remove(path.c_str());
	return path;
}

std::string write_temp(const std::string &name, const std::string &bytes) {
	std::string path = temp_path(name);
	std::ofstream(path, std::ios::binary) << bytes;
	return path;
}

std::vector<OcdsItem> read_ocds(const std::string &path) {
	std::vector<OcdsItem> items;
	OcdsReader reader(path, OcdsFormat::automatic);
	reader.run([&](OcdsItem &i) { items.push_back(i); }, [](std::uint64_t) {});
	return items;
}

// Runs `read` on a named pipe fed by a writer thread. A reader that opens the pipe a second time would wait
// for a writer forever: after 10 s the test opens it for writing itself, so the reader ends and the test
// fails instead of hanging.
template <typename Read> void read_through_fifo(const std::string &name, const std::string &content, Read read) {
	std::string fifo = temp_path(name);
	ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
	std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << content; });
	auto reading = std::async(std::launch::async, [&] { read(fifo); });
	bool in_time = reading.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
	if (!in_time) { // unblock the second open, then let the reader finish on an empty stream
		int fd = open(fifo.c_str(), O_WRONLY);
		close(fd);
	}
	writer.join();
	EXPECT_TRUE(in_time) << "the reader opened the named pipe twice and waited for a second writer";
	try {
		reading.get();
	} catch (const std::exception &e) {
		ADD_FAILURE() << e.what();
	}
	std::remove(fifo.c_str());
}

} // namespace

TEST(InputFile, PeekThenChunksAndLinesDeliverEveryByteOnce) {
	std::string content(3 << 20, 'x');
	for (size_t i = 1000; i < content.size(); i += 70001)
		content[i] = '\n';
	content += "last line without LF";
	std::string path = write_temp("input.txt", content);
	{
		InputFile in(path);
		EXPECT_EQ(in.size_hint(), content.size());
		EXPECT_EQ(in.peek(10), content.substr(0, 10));
		std::string all;
		for (std::string_view chunk; !(chunk = in.next_chunk()).empty();) {
			EXPECT_LE(chunk.size(), 1u << 20);
			all.append(chunk);
		}
		EXPECT_EQ(all, content);
		EXPECT_EQ(in.bytes_read(), content.size());
	}
	InputFile in(path);
	in.peek(5000);
	std::string line, joined;
	bool lf = false;
	while (in.next_line(line, lf))
		joined += line + (lf ? "\n" : "");
	EXPECT_FALSE(lf);
	EXPECT_EQ(joined, content);
	EXPECT_THROW(InputFile("/nonexistent/x"), InputError);
	EXPECT_THROW(InputFile(::testing::TempDir()), InputError); // a directory
}

// A named pipe is read exactly once, with the same SHA-256 as the file.
TEST(NamedPipe, CsvSourceReadsAFifoOnce) {
	std::string content = "编号,金额\nP1,10\nP2,20\n";
	std::string sha_of_file;
	{
		CsvSource file(write_temp("plain.csv", content), std::nullopt);
		file.run([](const CsvRow &) {}, [](const CsvRow &) {}, [](std::uint64_t) {});
		sha_of_file = file.sha256_hex();
	}
	read_through_fifo("pipe.csv", content, [&](const std::string &fifo) {
		CsvSource source(fifo, std::nullopt); // detects the encoding from the pipe's first bytes
		std::vector<std::string> codes;
		source.run([](const CsvRow &) {}, [&](const CsvRow &r) { codes.emplace_back(r.cells[0]); },
		           [](std::uint64_t) {});
		EXPECT_EQ(codes, (std::vector<std::string>{"P1", "P2"}));
		EXPECT_EQ(source.bytes_read(), content.size());
		EXPECT_EQ(source.sha256_hex(), sha_of_file);
	});
}

TEST(NamedPipe, OcdsReaderReadsAFifoOnce) {
	read_through_fifo("pipe.jsonl", "{\"ocid\":\"o-1\"}\n{\"ocid\":\"o-2\"}\n", [&](const std::string &fifo) {
		auto items = read_ocds(fifo); // the format is detected from the first line, peeked
		ASSERT_EQ(items.size(), 2u);
		EXPECT_EQ(items[1].ocid, "o-2");
	});
	read_through_fifo("pipe.json", "{\"releases\":[\n{\"ocid\":\"o-3\"}]}", [&](const std::string &fifo) {
		auto items = read_ocds(fifo);
		ASSERT_EQ(items.size(), 1u);
		EXPECT_EQ(items[0].ocid, "o-3");
	});
}
