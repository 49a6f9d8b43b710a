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

}  // namespace kutsu::admin
