# Included by admin/CMakeLists.txt after kutsu_admin is defined: builds the
# status page (status.html with status.css and status.js inlined) into a
# string literal that admin/status_page.cpp compiles in, so the daemon serves
# GET / without any installed file.
set(KUTSU_STATUS_PAGE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/page)
set(KUTSU_STATUS_PAGE_INC ${PROJECT_BINARY_DIR}/admin/page/status_page.inc)
add_custom_command(
  OUTPUT ${KUTSU_STATUS_PAGE_INC}
  COMMAND ${CMAKE_COMMAND} -DPAGE=${KUTSU_STATUS_PAGE_DIR}/status.html
          -DOUTPUT=${KUTSU_STATUS_PAGE_INC}
          -P ${KUTSU_STATUS_PAGE_DIR}/embed_page.cmake
  DEPENDS ${KUTSU_STATUS_PAGE_DIR}/status.html ${KUTSU_STATUS_PAGE_DIR}/status.css
          ${KUTSU_STATUS_PAGE_DIR}/status.js ${KUTSU_STATUS_PAGE_DIR}/embed_page.cmake
          ${PROJECT_SOURCE_DIR}/cmake/embed_bytes.cmake
  COMMENT "Embedding the status page"
  VERBATIM)
target_sources(kutsu_admin PRIVATE ${KUTSU_STATUS_PAGE_INC})
target_include_directories(kutsu_admin PRIVATE ${PROJECT_BINARY_DIR})
