# The jail layer's part of the C ABI (see include/warden_jail.h).
list(APPEND WARDEN_CAPI_SOURCES src/jail.cpp)
list(APPEND WARDEN_CAPI_LAYERS warden::jail)
