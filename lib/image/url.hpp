// URL pieces for the transfer code (internal to the image layer).
#pragma once

#include <string>
#include <string_view>

#include "warden/core/error.hpp"

namespace warden::image::detail {

struct Url {
  std::string scheme;  // "http", "https", "file"
  std::string host;    // without brackets for IPv6
  std::string port;    // always set for http(s)
  std::string target;  // path and query, starting with '/'
  std::string path;    // file:// only: the decoded local path

  bool tls() const { return scheme == "https"; }
  bool default_port() const {
    return (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  }
  // host[:port] for the Host header (brackets around IPv6 literals).
  std::string host_header() const;
  std::string origin() const { return scheme + "://" + host_header(); }
};

Result<Url> parse_url(std::string_view url);
// %XX decoding; false on a malformed escape or an escaped NUL.
bool percent_decode(std::string_view in, std::string& out);
std::string percent_encode_path(std::string_view path);
bool is_ip_literal(const std::string& host);

}  // namespace warden::image::detail
