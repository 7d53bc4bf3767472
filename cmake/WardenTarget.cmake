# Helpers shared by every warden target.

# warden_warnings(<target>): the project's warning flags.
function(warden_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
  # GCC 12 at -O3 reports impossible overlaps in std::string concatenation (GCC bug 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
  endif()
  if(WARDEN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# warden_layer(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# One static library per layer, named warden_<name>, aliased warden::<name>, with its public
# headers under include/warden/<name>/. Static and PIC, so that libwarden.so can absorb it.
function(warden_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target warden_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(warden::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME warden_${name})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  target_compile_features(${target} PUBLIC cxx_std_20)
  warden_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY WARDEN_LAYERS ${target})
endfunction()
