// render_bench: how fast Renderer::render_email turns planned notifications
// into finished e-mails on one core (bench/render/run).
//
//   render_bench [--seconds 2] [--threads 1]
//       renders the e-mail reminders and invitations of
//       examples/aluevaltuutetut-2022 over and over for about that long each
//       and prints tab-separated lines: kind, messages, seconds, msg/s;
//   render_bench --dump DIR [--per-second N]
//       writes every e-mail of the example (invitations, reminders, and an
//       update and a cancellation of every session for every participant)
//       to DIR/NNNN-kind.eml, so two builds can be compared byte for byte;
//   render_bench --verify 1
//       renders all of those three times over with one Renderer (warm
//       caches) and compares each message with a fresh Renderer's (cold
//       caches: every part built from scratch); prints mismatches.
//
// `now` advances one second every N messages (--per-second, default 1000
// when measuring, 1 for --dump): in a burst the daemon renders thousands of
// messages within the same second, and what depends on the clock (Date,
// DTSTAMP) must still come out right when it changes. msg/s are per second
// of the rendering thread's own CPU time, so other load on the machine
// does not count against the renderer.
#include <time.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "agenda/series_parser.h"
#include "notifier/renderer.h"
#include "scheduler/planner.h"

namespace {

using kutsu::model::Notification;
using kutsu::model::NotificationKind;

struct Example {
  kutsu::agenda::Series series;
  kutsu::scheduler::Plan plan;
};

std::unique_ptr<Example> load_example() {
  std::filesystem::path file =
      std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "aluevaltuutetut-2022.toml";
  kutsu::agenda::SeriesLoad load = kutsu::agenda::load_series(file);
  if (!load.series) {
    std::cerr << "cannot load " << file << "\n";
    return nullptr;
  }
  auto example = std::make_unique<Example>();
  example->series = std::move(*load.series);
  example->plan = kutsu::scheduler::plan_series(example->series);
  return example;
}

std::vector<Notification> emails_of_kind(const Example& example, NotificationKind kind) {
  std::vector<Notification> out;
  for (const Notification& n : example.plan.notifications) {
    if (n.channel == kutsu::agenda::Channel::email && n.kind == kind) out.push_back(n);
  }
  return out;
}

// An update and a cancellation of every session for every participant who
// gets e-mail, made from the plan's invitations (one per participant).
std::vector<Notification> changes(const Example& example) {
  std::vector<Notification> out;
  for (const Notification& invitation : emails_of_kind(example, NotificationKind::invitation)) {
    for (const kutsu::agenda::Session& session : example.series.sessions) {
      for (NotificationKind kind : {NotificationKind::update, NotificationKind::cancellation}) {
        Notification n = invitation;
        n.kind = kind;
        n.session = &session;
        n.id.bytes[0] ^= static_cast<std::uint8_t>(out.size());
        n.id.bytes[1] ^= static_cast<std::uint8_t>(out.size() >> 8);
        out.push_back(n);
      }
    }
  }
  return out;
}

kutsu::notifier::RenderContext context_at(date::sys_seconds now) {
  kutsu::notifier::RenderContext context;
  context.from = "Webinaarit <webinaarit@example.org>";
  context.now = now;
  context.revision = [](std::string_view session_id) {
    kutsu::notifier::SessionRevision revision;
    revision.sequence = static_cast<int>(session_id.size() % 3);
    if (session_id == "verkosto") {
      revision.previous_start = date::sys_days{date::year{2022} / 2 / 1} + std::chrono::hours{16};
      revision.previous_end = *revision.previous_start + std::chrono::minutes{90};
    }
    return revision;
  };
  return context;
}

const date::sys_seconds kStart = date::sys_days{date::year{2022} / 1 / 19} + std::chrono::hours{7};

date::sys_seconds now_of(std::size_t index, long per_second) {
  return kStart + std::chrono::seconds{static_cast<long>(index) / per_second};
}

std::vector<Notification> every_email(const Example& example) {
  std::vector<Notification> all = emails_of_kind(example, NotificationKind::invitation);
  for (const Notification& n : emails_of_kind(example, NotificationKind::reminder)) {
    all.push_back(n);
  }
  for (const Notification& n : changes(example)) all.push_back(n);
  return all;
}

int verify() {
  std::unique_ptr<Example> example = load_example();
  if (!example) return 1;
  const std::vector<Notification> all = every_email(*example);
  kutsu::notifier::Renderer warm{kutsu::notifier::TemplateSource{}};
  long compared = 0, mismatches = 0;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto context = context_at(now_of(i, round == 2 ? 7 : 1000));
      auto cached = warm.render_email(all[i], context);
      auto fresh = kutsu::notifier::Renderer{kutsu::notifier::TemplateSource{}}.render_email(
          all[i], context);
      if (!cached || !fresh) {
        std::cerr << "render failed\n";
        return 1;
      }
      ++compared;
      if (cached->bytes != fresh->bytes) {
        if (mismatches++ < 3) {
          std::cerr << "MISMATCH " << all[i].id.to_string() << "\n--- cached\n"
                    << cached->bytes << "\n--- fresh\n"
                    << fresh->bytes << "\n";
        }
      }
    }
  }
  std::printf("compared\t%ld\nmismatches\t%ld\n", compared, mismatches);
  return mismatches == 0 ? 0 : 1;
}

int dump(const std::filesystem::path& dir, long per_second) {
  std::unique_ptr<Example> example = load_example();
  if (!example) return 1;
  std::filesystem::create_directories(dir);
  const std::vector<Notification> all = every_email(*example);
  kutsu::notifier::Renderer renderer{kutsu::notifier::TemplateSource{}};
  std::size_t index = 0;
  for (const Notification& n : all) {
    auto message = renderer.render_email(n, context_at(now_of(index, per_second)));
    if (!message) {
      std::cerr << "render: " << message.error().message << "\n";
      return 1;
    }
    char name[64];
    std::snprintf(name, sizeof name, "%04zu-%s.eml", index,
                  std::string{kutsu::model::to_string(n.kind)}.c_str());
    std::ofstream(dir / name, std::ios::binary) << message->bytes;
    ++index;
  }
  std::cout << index << " messages in " << dir.string() << "\n";
  return 0;
}

// Renders `notifications` round-robin for about `seconds` on `threads`
// threads sharing one Renderer; returns false on a rendering error.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

bool measure(const char* label, const kutsu::notifier::Renderer& renderer,
             const std::vector<Notification>& notifications, double seconds, int threads,
             long per_second) {
  std::atomic<bool> failed{false};
  std::atomic<long> rendered{0};
  std::atomic<double> cpu{0};
  std::size_t bytes = 0;
  auto started = std::chrono::steady_clock::now();
  auto deadline = started + std::chrono::duration<double>(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      long count = 0;
      std::size_t i = static_cast<std::size_t>(t);
      const double cpu_start = thread_cpu_seconds();
      while (!failed) {
        // Check the clock every 64 messages: cheap, and fine-grained enough.
        for (int k = 0; k < 64; ++k, ++i, ++count) {
          const Notification& n = notifications[i % notifications.size()];
          auto message = renderer.render_email(n, context_at(now_of(i, per_second)));
          if (!message) {
            std::cerr << "render: " << message.error().message << "\n";
            failed = true;
            break;
          }
          if (t == 0 && i == 0) bytes = message->bytes.size();
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
      }
      rendered += count;
      cpu += thread_cpu_seconds() - cpu_start;
    });
  }
  for (std::thread& worker : workers) worker.join();
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  std::printf("%s\t%ld\t%.3f\t%.3f\t%.0f\t%zu\n", label, rendered.load(), elapsed.count(),
              cpu.load(), static_cast<double>(rendered.load()) / cpu.load(), bytes);
  return !failed;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  int threads = 1;
  long per_second = 0;
  bool verifying = false;
  std::string dump_dir, only;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--seconds") {
      seconds = std::stod(value);
    } else if (flag == "--threads") {
      threads = std::stoi(value);
    } else if (flag == "--dump") {
      dump_dir = value;
    } else if (flag == "--only") {
      only = value;
    } else if (flag == "--per-second") {
      per_second = std::stol(value);
    } else if (flag == "--verify") {
      verifying = value == "1";
    } else {
      std::cerr << "unknown option " << flag << "\n";
      return 2;
    }
  }
  if (verifying) return verify();
  if (!dump_dir.empty()) return dump(dump_dir, per_second > 0 ? per_second : 1);
  if (per_second <= 0) per_second = 1000;
  std::unique_ptr<Example> example = load_example();
  if (!example) return 1;
  kutsu::notifier::Renderer renderer{kutsu::notifier::TemplateSource{}};
  std::printf("kind\tmessages\twall_s\tcpu_s\tmsg_per_cpu_s\tbytes\n");
  bool ok = true;
  if (only.empty() || only == "reminder") {
    ok = ok && measure("reminder", renderer, emails_of_kind(*example, NotificationKind::reminder),
                       seconds, threads, per_second);
  }
  if (only.empty() || only == "invitation") {
    ok = ok &&
         measure("invitation", renderer, emails_of_kind(*example, NotificationKind::invitation),
                 seconds, threads, per_second);
  }
  if (only.empty() || only == "update") {
    ok = ok && measure("update", renderer, changes(*example), seconds, threads, per_second);
  }
  return ok ? 0 : 1;
}
