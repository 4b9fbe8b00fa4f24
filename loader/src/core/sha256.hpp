// SHA-256 of a file's bytes, computed while it streams (OpenSSL EVP), for the load ledger.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace oversight::loader {

class Sha256 {
public:
	Sha256();
	~Sha256();
	Sha256(const Sha256 &) = delete;
	Sha256 &operator=(const Sha256 &) = delete;
	void update(std::string_view bytes);
	std::string hex_digest(); // finalises; lower-case hex
private:
	evp_md_ctx_st *ctx_;
};

} // namespace oversight::loader
