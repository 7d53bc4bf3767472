// Passing descriptors over a unix socket (SCM_RIGHTS), between the jail layer and the processes it
// starts. Both functions are async-signal-safe (no allocation, no locks): they run in children
// between clone and exec.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace warden::jail::detail {

// The most descriptors one message carries.
constexpr int kMaxPassedFds = 16;

// Sends `len` bytes with `nfds` descriptors (at most kMaxPassedFds) attached, retrying on EINTR.
// The sendmsg result.
ssize_t send_with_fds(int sock, const void* buf, size_t len, const int* fds, int nfds);

inline ssize_t send_fd(int sock, char tag, int fd) {
  return send_with_fds(sock, &tag, 1, &fd, 1);
}

// Receives one message into buf and its descriptors (close-on-exec) into fds, retrying on EINTR;
// descriptors beyond max_fds are closed. The length: 0 at EOF, -1 on error (errno set; a message
// longer than cap is an error, EMSGSIZE).
ssize_t receive_with_fds(int sock, void* buf, size_t cap, int* fds, int max_fds, int& nfds,
                         int flags = 0);

}  // namespace warden::jail::detail
