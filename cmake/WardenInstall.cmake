# Installation: headers, libraries, a CMake package (find_package(warden) with warden::
# targets) and a pkg-config file.
#
#   warden::warden           libwarden.so, the stable C ABI (warden.h)
#   warden::core, warden::job ...   the C++ layers as static libraries (no ABI promise), available
#                            with find_package(warden COMPONENTS cpp)
include(CMakePackageConfigHelpers)

set(WARDEN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/warden)

install(TARGETS warden EXPORT wardenTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# warden.h and every layer's warden_<layer>.h it includes.
file(GLOB WARDEN_C_HEADERS ${PROJECT_SOURCE_DIR}/capi/include/*.h)
install(FILES ${WARDEN_C_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT wardenTargets NAMESPACE warden:: DESTINATION ${WARDEN_CMAKE_DIR} FILE warden-targets.cmake)

get_property(WARDEN_LAYERS GLOBAL PROPERTY WARDEN_LAYERS)
install(TARGETS ${WARDEN_LAYERS} EXPORT wardenCppTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/warden DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/warden/core/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/warden/core)
install(EXPORT wardenCppTargets NAMESPACE warden:: DESTINATION ${WARDEN_CMAKE_DIR} FILE warden-cpp-targets.cmake)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/warden-config.cmake.in
  ${PROJECT_BINARY_DIR}/warden-config.cmake INSTALL_DESTINATION ${WARDEN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/warden-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/warden-config.cmake ${PROJECT_BINARY_DIR}/warden-config-version.cmake
        DESTINATION ${WARDEN_CMAKE_DIR})

# A relocatable pkg-config file: paths are relative to where warden.pc is installed.
file(RELATIVE_PATH WARDEN_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/warden.pc.in ${PROJECT_BINARY_DIR}/warden.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/warden.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
