list(APPEND WARDEN_CAPI_SOURCES src/sched.cpp)
list(APPEND WARDEN_CAPI_LAYERS warden::sched)
