#include "core/reject_file.hpp"

#include "core/csv_reader.hpp"
#include "core/encoding.hpp"

#include <cstdio>
#include <stdexcept>

namespace oversight::loader {

std::string reject_path_for(const std::string &input, const std::string &reject_dir) {
	if (reject_dir.empty())
		return input + ".rejects.csv";
	size_t slash = input.find_last_of('/');
	return reject_dir + "/" + (slash == std::string::npos ? input : input.substr(slash + 1)) + ".rejects.csv";
}

std::string reject_cell(std::string_view cell) {
	std::string text = storable_text(cell);
	if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos)
		text.insert(0, 1, '\'');
	return csv_quote(text);
}

RejectFile::RejectFile(std::string final_path, std::vector<std::string> header)
    : final_path_(std::move(final_path)), partial_path_(final_path_ + ".partial"), header_(std::move(header)) {}

RejectFile::~RejectFile() {
	if (!committed_ && out_.is_open()) {
		out_.close();
		std::remove(partial_path_.c_str());
	}
}

void RejectFile::add(std::uint64_t line_no, const std::string &field, const std::string &reason,
                     const std::vector<std::string> &cells) {
	add_views(line_no, field, reason, std::vector<std::string_view>(cells.begin(), cells.end()));
}

void RejectFile::add_views(std::uint64_t line_no, const std::string &field, const std::string &reason,
                           const std::vector<std::string_view> &cells) {
	if (!out_.is_open()) { // opened on the first refusal: a clean load leaves no file behind
		out_.open(partial_path_, std::ios::binary | std::ios::trunc);
		if (!out_)
			throw std::runtime_error(partial_path_ + ": cannot write the reject file (use --reject-dir)");
		out_ << "\xEF\xBB\xBF";
		for (const auto &h : header_)
			out_ << reject_cell(h) << ',';
		out_ << "reject_line,reject_field,reject_reason\r\n";
	}
	for (size_t i = 0; i < header_.size(); ++i)
		out_ << (i < cells.size() ? reject_cell(cells[i]) : std::string()) << ',';
	// A row with more cells than the header keeps them too, so nothing read is lost.
	for (size_t i = header_.size(); i < cells.size(); ++i)
		out_ << reject_cell(cells[i]) << ',';
	out_ << line_no << ',' << reject_cell(field) << ',' << reject_cell(reason) << "\r\n";
	++rows_;
}

std::string RejectFile::commit() {
	committed_ = true;
	if (!out_.is_open()) {
		std::remove(final_path_.c_str()); // an old reject file of the same input no longer applies
		return {};
	}
	out_.close();
	if (std::rename(partial_path_.c_str(), final_path_.c_str()) != 0)
		throw std::runtime_error(final_path_ + ": cannot rename the reject file into place");
	return final_path_;
}

} // namespace oversight::loader
