list(APPEND WARDEN_CAPI_SOURCES src/image.cpp)
list(APPEND WARDEN_CAPI_LAYERS warden::image)
