# Finds what the signpost library links privately. Used by the build and, for a static
# libsignpost, again by the installed signpostConfig.cmake.
include(CMakeFindDependencyMacro)
find_dependency(yaml-cpp)
find_dependency(fmt)
find_dependency(ICU COMPONENTS uc i18n)
find_dependency(PkgConfig)
find_dependency(Threads)
if(NOT TARGET signpost_vectorscan)
  pkg_check_modules(SIGNPOST_HS REQUIRED IMPORTED_TARGET libhs)
  add_library(signpost_vectorscan INTERFACE IMPORTED)
  set_target_properties(signpost_vectorscan PROPERTIES INTERFACE_LINK_LIBRARIES PkgConfig::SIGNPOST_HS)
endif()
