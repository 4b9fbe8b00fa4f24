#include "core/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace oversight::loader {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
	if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1)
		throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
}

Sha256::~Sha256() {
	EVP_MD_CTX_free(ctx_);
}

void Sha256::update(std::string_view bytes) {
	if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1)
		throw std::runtime_error("OpenSSL: SHA-256 update failed");
}

std::string Sha256::hex_digest() {
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(ctx_, digest, &len) != 1)
		throw std::runtime_error("OpenSSL: SHA-256 final failed");
	static const char hex[] = "0123456789abcdef";
	std::string out;
	for (unsigned i = 0; i < len; ++i) {
		out.push_back(hex[digest[i] >> 4]);
		out.push_back(hex[digest[i] & 15]);
	}
	return out;
}

} // namespace oversight::loader
