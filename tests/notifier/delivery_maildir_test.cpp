// MaildirWriter on a real file system: where the files land, their exact
// bytes, their names, and what a failure looks like.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <date/date.h>

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "notifier/maildir_writer.h"
#include "tests/notifier/delivery_test_support.h"

namespace kutsu::notifier {
namespace {

using testing::hand_written_email;
using ::testing::HasSubstr;
using testing::Results;
using testing::run_until;
namespace fs = std::filesystem;

class DeliveryMaildir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "kutsu-maildir-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
  }
  void TearDown() override { fs::remove_all(base_); }

  static std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
    return files;
  }
  static std::string contents(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  fs::path base_;
};

// 2022-02-02T15:00:00.123456Z
MaildirWriter::Clock fixed_clock() {
  return [] {
    return std::chrono::sys_time<std::chrono::microseconds>(
        date::sys_days{date::year{2022} / 2 / 2} + std::chrono::hours(15) +
        std::chrono::microseconds(123456));
  };
}

TEST_F(DeliveryMaildir, MessageAppearsInNewWithExactBytesAndNothingInTmp) {
  boost::asio::io_context io;
  fs::path root = base_ / "var" / "maildir";  // neither exists yet
  MaildirWriter writer(io.get_executor(), io.get_executor(), root, fixed_clock());
  Results results;
  EmailMessage message = hand_written_email("a", "matti@example.org");
  writer.send(message, results.add());
  EXPECT_EQ(results.size(), 0u);
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 1; }));
  EXPECT_EQ(results.all[0].outcome, AttemptOutcome::sent) << results.all[0].detail;

  std::vector<fs::path> delivered = files_in(root / "new");
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(contents(delivered[0]), message.bytes);
  EXPECT_TRUE(files_in(root / "tmp").empty());
  EXPECT_TRUE(fs::is_directory(root / "cur"));
  std::string name = delivered[0].filename().string();
  EXPECT_EQ(results.all[0].detail, "written to new/" + name);
  std::regex expected("1643814000\\.M123456P" + std::to_string(getpid()) + "Q1\\.[^/:]+");
  EXPECT_TRUE(std::regex_match(name, expected)) << name;
}

TEST_F(DeliveryMaildir, NamesStayUniqueAcrossThreadsAtTheSameMicrosecond) {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(4);
  MaildirWriter writer(io.get_executor(), pool.get_executor(), base_, fixed_clock());
  Results results;
  for (int i = 0; i < 200; ++i) {
    writer.send(hand_written_email(std::to_string(i), "a@example.org"), results.add());
  }
  ASSERT_TRUE(run_until(io, [&] { return results.size() == 200; }));
  pool.join();
  for (const AttemptResult& result : results.all) {
    EXPECT_EQ(result.outcome, AttemptOutcome::sent) << result.detail;
  }
  std::set<std::string> names;
  for (const fs::path& file : files_in(base_ / "new")) names.insert(file.filename().string());
  EXPECT_EQ(names.size(), 200u);
  EXPECT_TRUE(files_in(base_ / "tmp").empty());
}

TEST_F(DeliveryMaildir, UnusableDirectoryIsRetryNamingTheCall) {
  boost::asio::io_context io;
  std::ofstream(base_ / "new").put('x');  // a file where new/ should be
  MaildirWriter writer(io.get_executor(), io.get_executor(), base_, fixed_clock());
  AttemptResult result = writer.write(hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_EQ(result.detail, "maildir: mkdir " + (base_ / "new").string() + ": Not a directory");
  EXPECT_TRUE(files_in(base_ / "tmp").empty());
}

TEST_F(DeliveryMaildir, RootUnderAFileIsRetry) {
  std::ofstream(base_ / "plain").put('x');
  boost::asio::io_context io;
  MaildirWriter writer(io.get_executor(), io.get_executor(), base_ / "plain" / "maildir");
  AttemptResult result = writer.write(hand_written_email("a", "b@example.org"));
  EXPECT_EQ(result.outcome, AttemptOutcome::retry);
  EXPECT_THAT(result.detail, HasSubstr("maildir: mkdir "));
}

}  // namespace
}  // namespace kutsu::notifier
