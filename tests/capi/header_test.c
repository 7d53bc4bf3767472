/* warden.h must be valid, warning-free C11 on its own (compiled with -std=c11 -Wall -Wextra
 * -pedantic -Werror), like libgit2's tests/headertest. */
#include "warden.h"

int main(void) {
  warden_buf buf = WARDEN_BUF_INIT;
  warden_parse_options opts = WARDEN_PARSE_OPTIONS_INIT;
  (void)buf;
  (void)opts;
  return WARDEN_VERSION_NUMBER > 0 ? 0 : 1;
}
