// PlannedRows: how Outbox::apply_plan reads the notifications a plan wants —
// by index, from the caller's own objects, so that a plan of a million
// notifications is never copied into a second million rows first.
//
// apply_plan asks every index for its id and due, and builds the whole row
// only for the ids it inserts: re-applying an unchanged plan builds none.
// Kind, channel and recipient it asks for only when someone opted out of
// the series.
// An implementation must give the same answers for the same index for the
// whole of one apply_plan call; it is read from the calling thread only.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "store/rows.h"

namespace kutsu::store {

// A notification id as its 32 lowercase hex digits, without an allocation.
using IdDigits = std::array<char, 32>;

class PlannedRows {
 public:
  virtual ~PlannedRows() = default;

  virtual std::size_t size() const = 0;
  virtual IdDigits id(std::size_t index) const = 0;
  virtual Instant due(std::size_t index) const = 0;
  // The row's fields of those names, as long as the PlannedRows lives.
  virtual std::string_view kind(std::size_t index) const = 0;
  virtual std::string_view channel(std::size_t index) const = 0;
  virtual std::string_view recipient(std::size_t index) const = 0;
  // The whole row; its id and due are the ones above.
  virtual PlannedNotification row(std::size_t index) const = 0;
};

}  // namespace kutsu::store
