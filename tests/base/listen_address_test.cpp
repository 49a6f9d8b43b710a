#include "base/listen_address.h"

#include <gtest/gtest.h>

namespace kutsu {
namespace {

TEST(ListenAddress, ParsesIpv4AndBracketedIpv6) {
  EXPECT_EQ(ListenAddress::parse("127.0.0.1:8470").value(), (ListenAddress{"127.0.0.1", 8470}));
  EXPECT_EQ(ListenAddress::parse("0.0.0.0:80").value(), (ListenAddress{"0.0.0.0", 80}));
  EXPECT_EQ(ListenAddress::parse("[::1]:8470").value(), (ListenAddress{"::1", 8470}));
  EXPECT_EQ(ListenAddress::parse("[::]:65535").value(), (ListenAddress{"::", 65535}));
  EXPECT_EQ(ListenAddress::parse("127.0.0.1:0").value(), (ListenAddress{"127.0.0.1", 0}));
}

TEST(ListenAddress, PrintsBackTheSameText) {
  for (std::string_view text : {"127.0.0.1:8470", "[::1]:8470", "10.1.2.3:1"}) {
    EXPECT_EQ(ListenAddress::parse(text).value().to_string(), text);
  }
}

TEST(ListenAddress, KnowsLoopback) {
  EXPECT_TRUE(ListenAddress::parse("127.0.0.1:1").value().is_loopback());
  EXPECT_TRUE(ListenAddress::parse("127.8.9.10:1").value().is_loopback());
  EXPECT_TRUE(ListenAddress::parse("[::1]:1").value().is_loopback());
  EXPECT_FALSE(ListenAddress::parse("0.0.0.0:1").value().is_loopback());
  EXPECT_FALSE(ListenAddress::parse("[::]:1").value().is_loopback());
  EXPECT_FALSE(ListenAddress::parse("192.168.1.1:1").value().is_loopback());
}

TEST(ListenAddress, RefusesWithTheReason) {
  auto message = [](std::string_view text) {
    Result<ListenAddress> parsed = ListenAddress::parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
    return parsed.ok() ? std::string() : parsed.error().message;
  };
  const std::string hint = " (expected HOST:PORT, e.g. 127.0.0.1:8470 or [::1]:8470)";
  EXPECT_EQ(message("8470"), "listen address '8470' has no port" + hint);
  EXPECT_EQ(message("localhost:8470"),
            "listen address 'localhost:8470' must name an IP address, not a host name" + hint);
  EXPECT_EQ(message(":8470"),
            "listen address ':8470' must name an IP address, not a host name" + hint);
  EXPECT_EQ(message("::1:8470"),
            "listen address '::1:8470' must put an IPv6 address in brackets" + hint);
  EXPECT_EQ(message("[::1:8470"), "listen address '[::1:8470' has an unclosed '['" + hint);
  EXPECT_EQ(message("[127.0.0.1]:8470"),
            "listen address '[127.0.0.1]:8470' has no IPv6 address inside [ ]" + hint);
  for (std::string_view bad_port :
       {"127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80a", "127.0.0.1:-1"}) {
    EXPECT_EQ(message(bad_port), "listen address '" + std::string(bad_port) +
                                     "' has a port that is not a number from 0 to 65535" + hint);
  }
}

}  // namespace
}  // namespace kutsu
