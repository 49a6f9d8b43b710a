// MaildirWriter: "sends" e-mail by writing it into a maildir, for a machine
// without an SMTP relay, for demos and for tests that read what was sent.
//
// Follows the maildir convention (https://cr.yp.to/proto/maildir.html):
// creates cur/ new/ tmp/ when missing, writes the message to tmp/ under a
// unique name (`SECONDS.MMICROSP<pid>Q<counter>.<hostname>`), fsyncs it,
// renames it into new/ and fsyncs new/, so a reader never sees a partial
// file and a crash never loses an accepted one. The file holds exactly
// EmailMessage::bytes (CRLF line ends, as they would go over SMTP).
//
// Every system call is checked; a failure removes the tmp/ file and gives
// retry with the call, the path and strerror in `detail` (a full disk or a
// permission problem may be fixed by the time of the next attempt).
//
// send() runs the blocking write on `work` (a thread pool in the daemon, or
// the io_context itself in tests) and `done` on `completions`; see
// delivery.h. write() is thread-safe: names stay unique across threads.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "notifier/delivery.h"

namespace kutsu::notifier {

class MaildirWriter final : public EmailDelivery {
 public:
  using Clock = std::function<std::chrono::sys_time<std::chrono::microseconds>()>;

  // `root` need not exist yet. `now` names the files (defaults to the system clock).
  MaildirWriter(boost::asio::any_io_executor completions, boost::asio::any_io_executor work,
                std::filesystem::path root, Clock now = {});

  void send(EmailMessage message, DeliveryCallback done) override;

  // Writes one message on the calling thread; what send() runs on `work`.
  AttemptResult write(const EmailMessage& message);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::string unique_name();

  boost::asio::any_io_executor completions_;
  boost::asio::any_io_executor work_;
  std::filesystem::path root_;
  Clock now_;
  std::string hostname_;  // with '/' and ':' escaped as the convention asks
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace kutsu::notifier
