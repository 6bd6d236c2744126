# Every dependency comes from a Debian 12 package (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)  # no version: the package ships no version file
find_package(simdjson 3.0 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka>=2.0)
pkg_check_modules(RDKAFKAXX REQUIRED IMPORTED_TARGET rdkafka++>=2.0)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
include(${CMAKE_CURRENT_LIST_DIR}/FindCAF.cmake)
if(ANANAS_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
endif()
