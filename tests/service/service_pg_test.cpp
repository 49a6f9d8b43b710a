// The service on PostgreSQL ([store]): its start-up runs on the loop and
// answers later, never inside start(done); it then sends what is due from
// the versions it loaded, and a retry and an opt-out go through the
// asynchronous outbox like every other call.
#include <gtest/gtest.h>

#include <optional>

#include "tests/fixtures/postgres_cluster.h"
#include "tests/service/service_harness.h"

namespace kutsu::service {
namespace {

using namespace std::chrono_literals;
using testing::participants;
using testing::series_text;
using testing::ServiceHarness;

// 2030-01-10 10:00 in Helsinki (UTC+2 in winter).
const testing::Instant kStart = std::chrono::sys_days{std::chrono::year{2030} / 1 / 10} + 8h;

class ServicePgTest : public ::testing::Test {
 protected:
  ServicePgTest() : h_(kStart) {
    config::StoreSettings store;
    store.url = kutsu::testing::PostgresCluster::shared().fresh_database();
    store.node = "solmu";
    h_.config().store = store;
  }

  ~ServicePgTest() override {
    if (!service_) return;
    bool stopped = false;
    service_->stop([&] { stopped = true; });
    h_.run_until([&] { return stopped; });
  }

  Status start() {
    service_ = std::make_unique<Service>(h_.io, h_.config(), h_.clock,
                                         Deliveries{&h_.email, nullptr}, h_.tuning);
    std::optional<Status> started;
    service_->start([&](Status status) { started = std::move(status); });
    EXPECT_FALSE(started) << "answered inside start()";
    if (!h_.run_until([&] { return started.has_value(); })) {
      return Error{"start-up did not finish", ErrorCode::failed};
    }
    return *started;
  }

  ServiceHarness h_;
  std::unique_ptr<Service> service_;
};

TEST_F(ServicePgTest, StartsOnTheLoopAndSendsWhatIsDue) {
  h_.write("a.csv", participants(2));
  h_.write("a.toml", series_text("a", "2030-01-10T10:00:00", {"2030-01-20T18:00:00"}));
  Status started = start();
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(service_->catalog().all().size(), 1u);
  EXPECT_EQ(service_->node_name(), "solmu");
  EXPECT_FALSE(service_->store_problem()) << *service_->store_problem();
  ASSERT_TRUE(h_.run_until([&] { return h_.email.sent.size() == 2; }));
  EXPECT_NE(service_->status_line().find("on PostgreSQL"), std::string::npos);
}

TEST_F(ServicePgTest, ARetryOfAnUnknownNotificationAndAnOptOutAnswerLater) {
  h_.write("a.csv", participants(2));
  h_.write("a.toml", series_text("a", "2030-01-20T10:00:00", {"2030-01-20T18:00:00"}));
  ASSERT_TRUE(start().ok());

  std::optional<Status> retried;
  service_->retry(std::string(32, '0'), [&](Status status) { retried = std::move(status); });
  EXPECT_FALSE(retried);
  ASSERT_TRUE(h_.run_until([&] { return retried.has_value(); }));
  ASSERT_FALSE(retried->ok());
  EXPECT_EQ(retried->error().code, ErrorCode::not_found);

  std::optional<Result<std::size_t>> stopped;
  service_->opt_out(model::OptOutSubject{"a", "p1@example.org"}, store::OptOutScope::all,
                    [&](Result<std::size_t> count) { stopped = std::move(count); });
  EXPECT_FALSE(stopped);
  ASSERT_TRUE(h_.run_until([&] { return stopped.has_value(); }));
  ASSERT_TRUE(stopped->ok()) << stopped->error().message;
  EXPECT_GT(**stopped, 0u);  // p1's invitation and reminder
}

}  // namespace
}  // namespace kutsu::service
