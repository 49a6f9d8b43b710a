# What the build-time embedding scripts (admin/page/embed_page.cmake,
# notifier/templates/embed_templates.cmake) share: bytes as the inside of a
# C++ string literal, and writing a generated file only when it changed.
# Included in -P script mode.

# Sets `out_var` to the bytes of `hex` (as from string(HEX) or file(READ HEX))
# as \xNN escapes, in adjacent literals of 32 bytes per line, and
# `size_var` to their count. Every byte is escaped, so nothing in the input
# can end the literal or combine with its neighbour.
function(kutsu_escaped_bytes hex out_var size_var)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" bytes "${hex}")
  # CMake's regex has no {n}, hence the repeated pattern.
  string(REPEAT "\\\\x[0-9a-f][0-9a-f]" 32 escaped_32_bytes)
  string(REGEX REPLACE "(${escaped_32_bytes})" "\\1\"\n    \"" bytes "${bytes}")
  set(${out_var} "${bytes}" PARENT_SCOPE)
  set(${size_var} "${size}" PARENT_SCOPE)
endfunction()

# Writes `content` to `file` unless it already holds exactly that, so that
# re-running a step that changed nothing rebuilds nothing.
function(kutsu_write_if_changed file content)
  if(EXISTS "${file}")
    file(READ "${file}" previous)
    if(previous STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${file}" "${content}")
endfunction()
