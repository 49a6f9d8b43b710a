# Every third-party dependency, found once. All come from Debian 12 packages
# installed by scripts/install-deps; nothing is vendored or downloaded.

find_package(Boost 1.81.0 EXACT CONFIG REQUIRED COMPONENTS json url)
find_package(CURL REQUIRED)
find_package(date CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(ICAL REQUIRED IMPORTED_TARGET libical)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
# kutsu import: Windows zone names (Outlook) to IANA ones
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-i18n icu-uc)
# the outbox on PostgreSQL (store/pg/), driven through libpq's non-blocking API
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)

# kainjow mustache is header-only and ships no CMake or pkg-config file.
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(kainjow_mustache INTERFACE)
target_include_directories(kainjow_mustache SYSTEM INTERFACE ${MUSTACHE_INCLUDE_DIR})

if(KUTSU_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
