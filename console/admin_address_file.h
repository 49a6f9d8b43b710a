// The admin API's real address, left in the state directory for
// `kutsu status --config`: with `[http] listen = "127.0.0.1:0"` only the
// running daemon knows which port it got.
//
// `kutsu serve` writes STATE_DIR/admin-address ("127.0.0.1:PORT\n") once it
// listens, replacing the file atomically (a temporary file renamed over
// it), and removes it when it stops. `kutsu status` reads it only when the
// config asks for any free port. Every OS failure is an Error naming the
// path and errno's explanation.
#pragma once

#include <filesystem>
#include <string>

#include "base/listen_address.h"
#include "base/result.h"

namespace kutsu::console {

std::filesystem::path admin_address_path(const std::filesystem::path& state_dir);

Status write_admin_address(const std::filesystem::path& state_dir, const ListenAddress& bound);

// "HOST:PORT" as the daemon wrote it; an Error that says the daemon seems
// not to run when there is no file.
Result<std::string> read_admin_address(const std::filesystem::path& state_dir);

// At shutdown. A file left behind (the removal failed) names a port no
// daemon answers on, which `kutsu status` reports as such.
Status remove_admin_address(const std::filesystem::path& state_dir);

}  // namespace kutsu::console
