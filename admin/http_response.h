// The request and response types every admin handler works with, and the
// few ways a handler builds an answer: JSON (Boost.JSON, never hand-built
// strings), plain text, the {"error": "…"} body of admin-api.md, and the one
// mapping from an Error's code to an HTTP status.
//
// Every response made here carries `Cache-Control: no-store` (what the admin
// API shows is live state); the session sets keep-alive and the length.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include "base/result.h"

namespace kutsu::admin {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using boost::beast::http::status;

// `body` serialized, with Content-Type application/json.
HttpResponse json_response(status code, const boost::json::value& body);
// {"error": reason}.
HttpResponse error_response(status code, std::string_view reason);
HttpResponse text_response(status code, std::string_view content_type, std::string body);

// The status that answers an Error of this kind: invalid 400, not_found 404,
// conflict 409, unavailable 503 (it passes; try again), failed 500.
status status_of(ErrorCode code);

}  // namespace kutsu::admin
