// Shared pieces of the store tests: a fresh database per test in its own
// temporary folder, readable instants, and planned rows built in one line.
#pragma once

#include <gtest/gtest.h>

#include <chrono>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/outbox.h"
#include "tests/fixtures/temp_dir.h"

namespace kutsu::store::testing {

using namespace std::chrono_literals;

// 2022-02-01 plus h:m — every test lives in that week.
inline Instant feb(int day, int hour = 0, int minute = 0) {
  using namespace std::chrono;
  return sys_days{year{2022} / February / day} + hours{hour} + minutes{minute};
}

// The id of test notification n: 32 hex digits.
inline std::string id_of(unsigned long long n) {
  char text[33];
  std::snprintf(text, sizeof text, "%032llx", n);
  return text;
}

inline PlannedNotification planned(unsigned long long n, Instant due,
                                   std::optional<std::string> session = "s1") {
  return PlannedNotification{id_of(n),   std::move(session),
                             "reminder", "PT1H",
                             "email",    "matti" + std::to_string(n) + "@example.org",
                             due,        feb(2, 18)};
}

using kutsu::testing::TempDir;

// A test with a fresh outbox at `file()`.
class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Outbox> opened = Outbox::open(file());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    outbox_.emplace(std::move(opened).value());
  }
  std::filesystem::path file() const { return outbox_file(dir_.path()); }
  Outbox& outbox() { return *outbox_; }

  // Plans `rows` for series "s" and expects success.
  PlanDiff plan(const std::vector<PlannedNotification>& rows, Instant now = feb(1)) {
    Result<PlanDiff> diff = outbox().apply_plan("s", rows, now);
    EXPECT_TRUE(diff.ok()) << diff.error().message;
    return diff.ok() ? std::move(diff).value() : PlanDiff{};
  }

  NotificationRow row(unsigned long long n) {
    Result<std::optional<NotificationDetail>> found = outbox().find(id_of(n));
    EXPECT_TRUE(found.ok()) << found.error().message;
    if (!found.ok() || !found.value()) {
      ADD_FAILURE() << "no notification " << n;
      return {};
    }
    return found.value()->row;
  }

 private:
  TempDir dir_;
  std::optional<Outbox> outbox_;
};

}  // namespace kutsu::store::testing
