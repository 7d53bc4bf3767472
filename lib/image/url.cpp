#include "url.hpp"

#include <arpa/inet.h>

#include <cctype>

#include "warden/core/strings.hpp"

namespace warden::image::detail {

std::string Url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!port.empty() && !default_port()) h += ":" + port;
  return h;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
      return false;
    int v = std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16);
    if (v == 0) return false;
    out += static_cast<char>(v);
    i += 2;
  }
  return true;
}

std::string percent_encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' ||
        c == ':' || c == '@' || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' ||
        c == ')' || c == '*' || c == ',' || c == ';' || c == '=') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Result<Url> parse_url(std::string_view s) {
  Url u;
  size_t colon = s.find("://");
  if (colon == std::string_view::npos)
    return Error(ErrorCode::invalid_argument, "not a URL: \"" + std::string(s) + "\"");
  u.scheme = std::string(s.substr(0, colon));
  for (char& c : u.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = s.substr(colon + 3);
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (u.scheme == "file") {
    if (!authority.empty() && authority != "localhost")
      return Error(ErrorCode::invalid_argument,
                   "file URL \"" + std::string(s) + "\" names a remote host");
    std::string_view path = target;
    if (size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    if (!percent_decode(path, u.path))
      return Error(ErrorCode::invalid_argument,
                   "malformed escape in URL \"" + std::string(s) + "\"");
    u.target = std::string(target);
    return u;
  }
  if (u.scheme != "http" && u.scheme != "https")
    return Error(ErrorCode::invalid_argument,
                 "unsupported URL scheme \"" + u.scheme + "\" (http, https or file)");
  if (size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);  // user info is not sent anywhere
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return Error(ErrorCode::invalid_argument,
                   "malformed IPv6 host in \"" + std::string(s) + "\"");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return Error(ErrorCode::invalid_argument, "malformed host in \"" + std::string(s) + "\"");
      u.port = std::string(after.substr(1));
    }
  } else {
    size_t pc = authority.rfind(':');
    u.host = std::string(authority.substr(0, pc));
    if (pc != std::string_view::npos) u.port = std::string(authority.substr(pc + 1));
  }
  if (u.host.empty())
    return Error(ErrorCode::invalid_argument, "URL \"" + std::string(s) + "\" has no host");
  for (char c : u.port) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return Error(ErrorCode::invalid_argument, "bad port in URL \"" + std::string(s) + "\"");
  }
  if (u.port.empty()) u.port = u.tls() ? "443" : "80";
  for (char& c : u.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  u.target = std::string(target);
  for (char c : u.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return Error(ErrorCode::invalid_argument,
                   "URL \"" + std::string(s) + "\" contains spaces or control characters");
  }
  return u;
}

}  // namespace warden::image::detail
