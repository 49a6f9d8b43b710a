// The shared template data kept between messages (notifier/detail/view_cache.h)
// follows reloads without holding on to what they replaced: a daemon that
// reloads every few seconds for months keeps the layers of the series in
// force, not one set per reload.
#include <gtest/gtest.h>

#include <memory>

#include "notifier/detail/view_cache.h"
#include "tests/notifier/render_test_series.h"

namespace kutsu::notifier::detail {
namespace {

using kutsu::notifier::testing::seed_series;

TEST(RenderViewCache, KeepsTheLayersOfTheSeriesInForce) {
  ViewCache cache;
  const agenda::Series series = seed_series();
  const auto layer = cache.series_layer(series);
  const auto sessions = cache.sessions_layer(series, &series.sessions[0], nullptr, agenda::Language::fi);
  EXPECT_EQ(cache.series_layer(series), layer);
  EXPECT_EQ(cache.sessions_layer(series, &series.sessions[0], nullptr, agenda::Language::fi), sessions);
}

TEST(RenderViewCache, AReloadedSeriesLetsGoOfTheLayersOfTheOneItReplaced) {
  ViewCache cache;
  const agenda::Series before = seed_series();
  agenda::Series other = seed_series();
  other.id = "another-series";
  std::weak_ptr<const MustacheData> series_layer = cache.series_layer(before);
  std::weak_ptr<const SessionsLayer> sessions_layer =
      cache.sessions_layer(before, &before.sessions[1], nullptr, agenda::Language::fi);
  std::weak_ptr<const MustacheData> other_layer = cache.series_layer(other);
  ASSERT_FALSE(series_layer.expired());  // only the cache holds them now
  ASSERT_FALSE(sessions_layer.expired());

  const agenda::Series reloaded = seed_series();  // the same id, another object
  cache.sessions_layer(reloaded, &reloaded.sessions[1], nullptr, agenda::Language::fi);
  EXPECT_TRUE(series_layer.expired());
  EXPECT_TRUE(sessions_layer.expired());
  EXPECT_FALSE(other_layer.expired()) << "another series' layers stay";
}

}  // namespace
}  // namespace kutsu::notifier::detail
