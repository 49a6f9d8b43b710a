// smtp_throughput: how fast SmtpTransport pushes real reminder mails into an
// SMTP server (bench/smtp/run points it at postfix's smtp-sink).
//
//   smtp_throughput --write-message FILE
//       renders the first e-mail reminder of examples/aluevaltuutetut-2022
//       and writes its bytes to FILE (so smtp-source can send the same size);
//   smtp_throughput --url smtp://127.0.0.1:PORT --message FILE
//                   [--messages 20000] [--connections 8] [--loops 1]
//       sends FILE that many times through an SmtpDeliveryPool (that many
//       delivery loops sharing that many connections) and prints
//       tab-separated lines: sent, failed, seconds, msg_per_s, first_failure.
//
// The sender keeps 2 × connections messages handed to the transport at a
// time, as the dispatcher would, rather than queueing all of them at once.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "agenda/series_parser.h"
#include "notifier/renderer.h"
#include "notifier/smtp_delivery_pool.h"
#include "scheduler/planner.h"

namespace {

using kutsu::AttemptOutcome;
using kutsu::AttemptResult;
using kutsu::notifier::EmailMessage;

int write_message(const std::filesystem::path& out) {
  std::filesystem::path example =
      std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "aluevaltuutetut-2022.toml";
  kutsu::agenda::SeriesLoad load = kutsu::agenda::load_series(example);
  if (!load.series) {
    std::cerr << "cannot load " << example << "\n";
    return 1;
  }
  kutsu::scheduler::Plan plan = kutsu::scheduler::plan_series(*load.series);
  kutsu::notifier::Renderer renderer{kutsu::notifier::TemplateSource{}};
  kutsu::notifier::RenderContext context;
  context.from = "Webinaarit <webinaarit@example.org>";
  context.now = date::sys_days{date::year{2022} / 2 / 1};
  for (const kutsu::model::Notification& n : plan.notifications) {
    if (n.channel != kutsu::agenda::Channel::email ||
        n.kind != kutsu::model::NotificationKind::reminder) {
      continue;
    }
    auto message = renderer.render_email(n, context);
    if (!message) {
      std::cerr << "render: " << message.error().message << "\n";
      return 1;
    }
    std::ofstream(out, std::ios::binary) << message->bytes;
    std::cout << message->bytes.size() << "\n";
    return 0;
  }
  std::cerr << "the example has no e-mail reminder\n";
  return 1;
}

int send_messages(const std::string& url, const std::filesystem::path& file, long count,
                  long connections, long loops) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EmailMessage message{"bench", "webinaarit@example.org", "osallistuja@example.org", bytes.str()};

  // What the daemon uses: a pool of delivery loops, results back on `home`.
  boost::asio::io_context home;
  auto pool = kutsu::notifier::SmtpDeliveryPool::create(
      home,
      {.url = url,
       .starttls = kutsu::notifier::StartTls::off,
       .max_connections = connections,
       .timeout = std::chrono::seconds(30)},
      static_cast<std::size_t>(loops));
  if (!pool) {
    std::cerr << pool.error().message << "\n";
    return 1;
  }
  long handed = 0, sent = 0, failed = 0;
  std::string first_failure;
  std::function<void()> hand_one = [&] {
    ++handed;
    (*pool)->send(message, [&](AttemptResult result) {
      if (result.outcome == AttemptOutcome::sent) {
        ++sent;
      } else if (failed++ == 0) {
        first_failure = result.detail;
      }
      if (handed < count) hand_one();
    });
  };
  auto started = std::chrono::steady_clock::now();
  for (long i = 0; i < std::min(count, 2 * connections); ++i) hand_one();
  home.run();  // the pool keeps it running until the last result is in
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
  std::printf("sent\t%ld\nfailed\t%ld\nseconds\t%.3f\nmsg_per_s\t%.0f\nfirst_failure\t%s\n", sent,
              failed, seconds.count(), static_cast<double>(sent) / seconds.count(),
              first_failure.c_str());
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, message_file, write_to;
  long count = 20000, connections = 8, loops = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--url") {
      url = value;
    } else if (flag == "--message") {
      message_file = value;
    } else if (flag == "--write-message") {
      write_to = value;
    } else if (flag == "--messages") {
      count = std::stol(value);
    } else if (flag == "--connections") {
      connections = std::stol(value);
    } else if (flag == "--loops") {
      loops = std::stol(value);
    } else {
      std::cerr << "unknown option " << flag << "\n";
      return 2;
    }
  }
  if (!write_to.empty()) return write_message(write_to);
  if (url.empty() || message_file.empty()) {
    std::cerr << "usage: smtp_throughput --write-message FILE | --url URL --message FILE "
                 "[--messages N] [--connections C]\n";
    return 2;
  }
  return send_messages(url, message_file, count, connections, loops);
}
