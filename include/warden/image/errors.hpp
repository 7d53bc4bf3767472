// The error codes the image layer reports, by kind of failure. Messages always say what
// happened ("hash mismatch for URL ...", "timed out after ...", "cancelled", "refused ...").
#pragma once

#include "warden/core/error.hpp"

namespace warden::image::errc {

// Connecting, TLS, HTTP status, a dropped connection after all retries.
inline constexpr ErrorCode network = ErrorCode::network;
// Connect/read/total timeouts.
inline constexpr ErrorCode timeout = ErrorCode::timeout;
// The caller cancelled the fetch (progress callback or ImageStore::cancel_all).
inline constexpr ErrorCode cancelled = ErrorCode::cancelled;
// A hash or signature that does not match, or a signature missing while a key is configured.
inline constexpr ErrorCode verify = ErrorCode::verify;
// An archive entry refused by the extraction rules, or a limit exceeded.
inline constexpr ErrorCode refused = ErrorCode::unsafe;
// Corrupt or unreadable archive data.
inline constexpr ErrorCode corrupt = ErrorCode::io;

}  // namespace warden::image::errc
