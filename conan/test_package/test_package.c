#include <stdio.h>

#include <warden.h>

int main(void) {
  printf("warden %s\n", warden_version());
  return warden_version_number() == WARDEN_VERSION_NUMBER ? 0 : 1;
}
