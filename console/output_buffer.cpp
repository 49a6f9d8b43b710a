#include "console/output_buffer.h"

#include <cerrno>
#include <cstring>

namespace kutsu::console {

void OutputBuffer::flush() {
  if (error_.empty() && !buffer_.empty() &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
    error_ = std::string("cannot write the output: ") + std::strerror(errno);
  }
  buffer_.clear();
}

Status OutputBuffer::finish() {
  flush();
  if (error_.empty() && std::fflush(out_) != 0) {
    error_ = std::string("cannot write the output: ") + std::strerror(errno);
  }
  if (!error_.empty()) return Error{error_};
  return {};
}

}  // namespace kutsu::console
