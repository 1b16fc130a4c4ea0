// `est import polisen` and `est police-types`: the police's events feed into the reports, and the
// mapping of the police's event types onto EST categories (app/police.h).
#ifndef EST_CLI_POLICE_CMD_H_
#define EST_CLI_POLICE_CMD_H_

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/police.h"

namespace est::cli {

// `est import polisen`, `est fetch polisen` and `est police-types`.
void AddPoliceCommands(CLI::App& cli, CLI::App& import, const std::string& db,
                       std::function<int()>& action);

// "30s", "15m", "1h" (or plain seconds) → seconds; nullopt when not a duration of 1 s to 7 days.
std::optional<int> ParseDurationSeconds(const std::string& text);

// The schedule of `est serve --fetch-polisen URL`: fetches at once, then every `every_s` seconds
// until Stop (or destruction); a failed round is logged and the next one tried as planned.
class PoliceFetcher {
 public:
  PoliceFetcher(app::System& sys, std::string url, int every_s, app::PoliceImportOptions options);
  ~PoliceFetcher();
  PoliceFetcher(const PoliceFetcher&) = delete;
  PoliceFetcher& operator=(const PoliceFetcher&) = delete;
  void Start();
  void Stop();

 private:
  app::System& sys_;
  std::string url_;
  int every_s_;
  app::PoliceImportOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace est::cli

#endif  // EST_CLI_POLICE_CMD_H_
