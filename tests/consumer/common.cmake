# What the ctest drivers run.cmake and run_subdir.cmake share: the check of their -D variables,
# a clean work folder, and run(), which stops the test on the first command that fails.
#
#   include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
#   consumer_start(run.cmake BUILD_DIR SOURCE_DIR WORK_DIR)
#   run(command args...)   # its standard output is in LAST_OUTPUT afterwards

macro(consumer_start driver)
  foreach(var ${ARGN})
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${driver} needs -D${var}=...")
    endif()
  endforeach()
  unset(ENV{SIGNPOST_PACK})
  file(REMOVE_RECURSE "${WORK_DIR}")
endmacro()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

# Runs a built consumer program (tests/consumer/main.cpp) and checks that it judged its text.
function(run_consumer program what)
  run("${program}")
  if(NOT LAST_OUTPUT MATCHES "^people-smuggling (redirect|interstitial|annotate)")
    message(FATAL_ERROR "${what} printed: ${LAST_OUTPUT}")
  endif()
endfunction()

# Installs the signpost build `build_dir` into `prefix`, then configures, builds and runs the
# find_package consumer against that prefix in `consumer_build`.
function(install_and_run_consumer build_dir prefix consumer_build what)
  run(${CMAKE_COMMAND} --install "${build_dir}" --prefix "${prefix}")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${consumer_build}" -G Ninja "-DCMAKE_PREFIX_PATH=${prefix}")
  run(${CMAKE_COMMAND} --build "${consumer_build}")
  run_consumer("${consumer_build}/consumer" "${what}")
endfunction()
