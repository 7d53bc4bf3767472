#include <openssl/evp.h>

#include <cctype>
#include <stdexcept>
#include <variant>

#include "warden/image/digest.hpp"

namespace warden::image {

const char* algorithm_name(DigestAlgorithm a) {
  return a == DigestAlgorithm::skein1024 ? "skein1024" : "sha256";
}

const char* digest_extension(DigestAlgorithm a) {
  return a == DigestAlgorithm::skein1024 ? "skein" : "sha256";
}

size_t digest_size(DigestAlgorithm a) {
  return a == DigestAlgorithm::skein1024 ? Skein1024::kDigestBytes : 32;
}

namespace {

struct EvpCtx {
  EVP_MD_CTX* ctx = nullptr;
  EvpCtx() : ctx(EVP_MD_CTX_new()) {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL: cannot initialize SHA-256");
  }
  EvpCtx(const EvpCtx& o) : ctx(EVP_MD_CTX_new()) {
    if (!ctx || EVP_MD_CTX_copy_ex(ctx, o.ctx) != 1)
      throw std::runtime_error("OpenSSL: cannot copy a SHA-256 state");
  }
  EvpCtx& operator=(const EvpCtx&) = delete;
  ~EvpCtx() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

struct Hasher::State {
  std::variant<Skein1024, EvpCtx> v;
};

Hasher::Hasher(DigestAlgorithm a) : algo_(a), state_(std::make_unique<State>()) {
  if (a == DigestAlgorithm::sha256) state_->v.emplace<EvpCtx>();
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(const void* data, size_t len) {
  if (auto* s = std::get_if<Skein1024>(&state_->v)) {
    s->update(data, len);
  } else {
    EVP_DigestUpdate(std::get<EvpCtx>(state_->v).ctx, data, len);
  }
}

Hasher Hasher::fork() const {
  Hasher h(algo_);
  if (auto* s = std::get_if<Skein1024>(&state_->v)) {
    h.state_->v = *s;
  } else {
    h.state_->v.emplace<EvpCtx>(std::get<EvpCtx>(state_->v));
  }
  return h;
}

std::string Hasher::final() {
  if (auto* s = std::get_if<Skein1024>(&state_->v)) {
    auto d = s->final();
    return std::string(reinterpret_cast<const char*>(d.data()), d.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(std::get<EvpCtx>(state_->v).ctx, md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::string to_hex(const void* data, size_t len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto* p = static_cast<const uint8_t*>(data);
  std::string out(len * 2, '0');
  for (size_t i = 0; i < len; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

std::optional<std::string> parse_digest_file(std::string_view text, DigestAlgorithm a) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t start = i;
  while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string word(text.substr(start, i - start));
  if (word.size() != 2 * digest_size(a)) return std::nullopt;
  for (char& c : word) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

}  // namespace warden::image
