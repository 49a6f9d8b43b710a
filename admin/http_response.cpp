#include "admin/http_response.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

namespace kutsu::admin {

namespace http = boost::beast::http;

HttpResponse text_response(status code, std::string_view content_type, std::string body) {
  HttpResponse response{code, 11};
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

HttpResponse json_response(status code, const boost::json::value& body) {
  return text_response(code, "application/json", boost::json::serialize(body));
}

HttpResponse error_response(status code, std::string_view reason) {
  return json_response(code, boost::json::object{{"error", reason}});
}

status status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid:
      return status::bad_request;
    case ErrorCode::not_found:
      return status::not_found;
    case ErrorCode::conflict:
      return status::conflict;
    case ErrorCode::unavailable:
      return status::service_unavailable;
    case ErrorCode::failed:
      return status::internal_server_error;
  }
  return status::internal_server_error;
}

}  // namespace kutsu::admin
