// SeriesCatalog: finding a planned notification by id across the series in
// force, with the index prepared beside them (as a reload does, off the
// loop), and what replace() hands back to be freed.
#include "service/series_catalog.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace kutsu::service {
namespace {

std::string hex_id(int n) {
  std::string id(32, '0');
  const std::string tail = std::to_string(n);
  id.replace(id.size() - tail.size(), tail.size(), tail);
  return id;
}

std::shared_ptr<const LoadedSeries> series_with(std::initializer_list<int> ids) {
  auto loaded = std::make_shared<LoadedSeries>();
  for (int n : ids) {
    model::Notification notification;
    notification.id = *model::NotificationId::parse(hex_id(n));
    loaded->plan.notifications.push_back(notification);
  }
  return loaded;
}

TEST(SeriesCatalog, FindsANotificationInWhicheverSeriesPlannedIt) {
  SeriesCatalog catalog;
  SeriesMap series{{"a", series_with({3, 1})}, {"b", series_with({2})}};
  const LoadedSeries* b = series.at("b").get();
  SeriesCatalog::Index index = SeriesCatalog::index_of(series);
  catalog.replace(std::move(series), std::move(index));
  std::optional<SeriesCatalog::Found> found = catalog.find(hex_id(2));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->series, b);
  EXPECT_EQ(found->notification->id, *model::NotificationId::parse(hex_id(2)));
  EXPECT_TRUE(catalog.find(hex_id(3)).has_value());
  EXPECT_FALSE(catalog.find(hex_id(4)).has_value());
  EXPECT_FALSE(catalog.find("not an id").has_value());
}

TEST(SeriesCatalog, APreparedIndexComesIntoForceWithItsSeriesAndTheOldOnesAreHandedBack) {
  SeriesCatalog catalog;
  SeriesMap first{{"a", series_with({1})}};
  const LoadedSeries* old = first.at("a").get();
  SeriesCatalog::Index first_index = SeriesCatalog::index_of(first);
  EXPECT_TRUE(catalog.replace(std::move(first), std::move(first_index)).series.empty());
  ASSERT_TRUE(catalog.find(hex_id(1)).has_value());

  SeriesMap next{{"a", series_with({5, 6})}};
  SeriesCatalog::Index next_index = SeriesCatalog::index_of(next);
  EXPECT_EQ(next_index.size(), 2u);
  SeriesCatalog::Retired retired = catalog.replace(std::move(next), std::move(next_index));
  ASSERT_EQ(retired.series.size(), 1u);
  EXPECT_EQ(retired.series.at("a").get(), old);  // still alive: freed by whoever holds it
  EXPECT_EQ(retired.index.size(), 1u);
  EXPECT_FALSE(catalog.find(hex_id(1)).has_value());
  EXPECT_TRUE(catalog.find(hex_id(6)).has_value());
}

}  // namespace
}  // namespace kutsu::service
