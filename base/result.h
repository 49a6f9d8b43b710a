// Result<T>: a value or an error message, for expected failures at module
// boundaries (a file that does not parse, a server that said no). Exceptions
// stay inside a layer; what crosses a boundary is a Result or a Diagnostics
// list. Modelled on C++23 std::expected, which g++ 12 lacks in C++20 mode.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kutsu {

// What kind of failure an Error is, for callers that act on the kind rather
// than the words (as LevelDB's Status does): the admin API's status codes,
// /healthz, whether to try again later.
enum class ErrorCode {
  failed,       // anything not named below
  invalid,      // the request or input is wrong; trying again will not help
  not_found,    // what was asked for does not exist
  conflict,     // it exists, but its state forbids the operation
  unavailable,  // a resource (the disk, the database) cannot serve now; try again later
};

// The error side of a Result: a human-readable sentence, no trailing period.
struct Error {
  std::string message;
  ErrorCode code = ErrorCode::failed;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !ok().
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation that yields nothing but can fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace kutsu
