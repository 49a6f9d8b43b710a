// What `kutsu store copy` shows and checks around store::copy_outbox()
// (store/copy/outbox_copy.h): the progress line on a terminal, the summary
// line at the end, and the one refusal the store cannot see itself.
//
// copy_summary: "copied 1,000,000 notifications, 3 attempts, … from A to B"
// — each table's rows with digits grouped by thousands and a noun in the
// singular or plural (the plan_generation table has none and is left out).
//
// CopyProgressLine: "copied 120,000 of 1,000,000 notifications" rewritten in
// place (carriage return, then ESC[K to clear what a longer line left),
// only when `terminal` and only for tables with rows; end() (also on
// destruction) clears it so the next output starts on a clean line.
//
// refuse_serving_daemon: a daemon serving an SQLite outbox leaves its admin
// address in the state_dir beside it (admin_address_file.h) and removes it
// when it stops; a file left by a killed daemon names a port nobody answers
// on. So an address that answers (a loopback connect answers at once,
// accepted or refused) means a running daemon: ErrorCode::conflict with a
// sentence saying so. A PostgreSQL location, no file, an unreadable address
// or nobody answering pass. Blocking (one connect).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "base/result.h"
#include "store/copy/outbox_copy.h"

namespace kutsu::console {

// 1234567 → "1,234,567".
std::string grouped(std::int64_t value);

// The summary line, without its newline.
std::string copy_summary(const store::CopySummary& copied, const store::OutboxLocation& from,
                         const store::OutboxLocation& to);

class CopyProgressLine {
 public:
  CopyProgressLine(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  ~CopyProgressLine() { end(); }
  CopyProgressLine(const CopyProgressLine&) = delete;
  CopyProgressLine& operator=(const CopyProgressLine&) = delete;

  void show(const store::CopyProgress& progress);
  void end();

 private:
  std::ostream& out_;
  bool terminal_;
  bool shown_ = false;
};

Status refuse_serving_daemon(const store::OutboxLocation& location);

}  // namespace kutsu::console
