# ctest driver: signpost as a subproject (add_subdirectory), built as a shared library.
#  1. configure and build tests/consumer/subdir (which refuses Boost and any tool target), run it;
#  2. count the shared library's exported symbols: the public API only (no signpost::detail,
#     no yaml-cpp, fmt, ICU or Vectorscan symbols, a bounded number);
#  3. install that shared build and build the find_package consumer against it (shared), run it.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
consumer_start(run_subdir.cmake REPO_DIR SOURCE_DIR WORK_DIR NM)

set(build "${WORK_DIR}/subdir-build")
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/subdir" -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release
    -DSIGNPOST_SOURCE_DIR=${REPO_DIR} -DBUILD_SHARED_LIBS=ON -DSIGNPOST_INSTALL=ON
    -DCMAKE_UNITY_BUILD=ON)  # the runtime once more: what is checked is how it is vendored, so the quicker build
run(${CMAKE_COMMAND} --build "${build}" -j2)
run_consumer("${build}/consumer" "subdir consumer")

file(GLOB libs "${build}/signpost/sdk/libsignpost.so.*.*.*")
list(LENGTH libs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one libsignpost.so.X.Y.Z in ${build}/signpost/sdk, found: ${libs}")
endif()
run(${NM} -D -C --defined-only "${libs}")
string(REGEX MATCHALL "[^\n]+" lines "${LAST_OUTPUT}")
set(exported 0)
foreach(line IN LISTS lines)
  if(line MATCHES " [TWVBDRi] (.*)$")
    set(symbol "${CMAKE_MATCH_1}")
    math(EXPR exported "${exported} + 1")
    # Symbols of signpost's internals or of its dependencies (std templates instantiated with
    # signpost's types are weak and may be shared; they are counted).
    if(symbol MATCHES "^((typeinfo|typeinfo name|vtable) for )?(signpost::detail|YAML::|fmt::|icu_|hs_|ue2::)")
      message(FATAL_ERROR "libsignpost exports an internal or a dependency's symbol: ${symbol}")
    endif()
  endif()
endforeach()
# The public API is about 80 functions, their typeinfo and vtables; 0.3 exported ~460 symbols.
if(exported GREATER 150 OR exported LESS 20)
  message(FATAL_ERROR "libsignpost exports ${exported} symbols:\n${LAST_OUTPUT}")
endif()
message(STATUS "libsignpost exports ${exported} symbols")

set(prefix "${WORK_DIR}/prefix")
install_and_run_consumer("${build}" "${prefix}" "${WORK_DIR}/shared-consumer" "shared find_package consumer")
message(STATUS "subdir and shared consumers ok")
