// OutputBuffer: text collected in memory and written to a C stream in large
// chunks. The first failed write is remembered (with errno's explanation);
// later appends are dropped, and finish() reports it.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::console {

class OutputBuffer {
 public:
  explicit OutputBuffer(std::FILE* out) : out_(out) { buffer_.reserve(kChunk + 1024); }
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;

  void append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kChunk) flush();
  }
  void append(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kChunk) flush();
  }

  // Writes what is left and flushes the stream; the first failure, if any.
  Status finish();

 private:
  static constexpr std::size_t kChunk = 1 << 16;
  void flush();

  std::FILE* out_;
  std::string buffer_;
  std::string error_;  // empty while every write succeeded
};

}  // namespace kutsu::console
