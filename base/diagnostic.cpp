#include "base/diagnostic.h"

namespace kutsu {

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (pos.line > 0) {
    out += ':' + std::to_string(pos.line);
    if (pos.column > 0) out += ':' + std::to_string(pos.column);
  }
  out += ": error: ";
  out += message;
  return out;
}

}  // namespace kutsu
