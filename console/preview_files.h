// The files `kutsu preview` leaves in its directory: one per notification,
// holding the bytes the daemon would send — the whole message of an e-mail
// (.eml), the JSON body of a webhook call (.json). The rendering itself is
// the notifier's; this names, writes and counts the files.
//
// preview_file_name: DUE-KIND-RECIPIENT-ID8 with the due time in UTC, so
// names sort by due time and are unique, e.g.
//   2022-01-19T070000Z-invitation-matti.virtanen@example.org-3603c03c.eml
//   2022-02-02T150000Z-reminder-tiimi-5f9431bf.json
// The recipient keeps letters, digits and . - _ @ +; anything else (a '/'
// that could leave the directory) becomes '_', and a name that would start
// with '.' or be empty gets a leading '_'.
//
// PreviewFiles::add writes one notification's bytes into `dir` (created by
// the caller), replacing a file of the same name, and counts it as an
// e-mail or a webhook call; a render error or a failed write is reported to
// `errors` as "SOURCE: error: ID: MESSAGE", counted as a failure, and the
// rest goes on. summary() is the line the command prints at the end.
// Blocking file writes; not thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <utility>

#include "base/result.h"
#include "model/notification.h"

namespace kutsu::console {

std::string preview_file_name(const model::Notification& notification);

class PreviewFiles {
 public:
  PreviewFiles(std::filesystem::path dir, std::ostream& errors)
      : dir_(std::move(dir)), errors_(errors) {}

  // `source` is the series file the notification was planned from.
  void add(const std::filesystem::path& source, const model::Notification& notification,
           const Result<std::string>& bytes);

  std::size_t emails() const { return emails_; }
  std::size_t webhooks() const { return webhooks_; }
  bool failed() const { return failed_; }

  // "kutsu preview: wrote 3 e-mails and 1 webhook calls for 2 series to DIR"
  std::string summary(std::size_t series) const;

 private:
  std::filesystem::path dir_;
  std::ostream& errors_;
  std::size_t emails_ = 0;
  std::size_t webhooks_ = 0;
  bool failed_ = false;
};

}  // namespace kutsu::console
