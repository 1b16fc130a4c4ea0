// `est serve`: the web server (HTTP API and the web interface) until SIGINT or SIGTERM.
#include "cli/serve_cmd.h"

#include <malloc.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "app/system.h"
#include "cli/common.h"
#include "cli/police_cmd.h"
#include "http/server.h"

namespace est::cli {
namespace {

// jemalloc's control interface when the program is linked with it (CMakeLists.txt), else null.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

template <class Bytes>
int64_t Mb(Bytes bytes) {
  return static_cast<int64_t>(static_cast<double>(bytes) / (1024 * 1024) + 0.5);
}

// The process's resident memory in bytes (Linux), 0 when unknown.
double ResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    // strtod, not stod: never an exception on the signal watcher's thread.
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) * 1024;
  }
  return 0;
}

// One log line of where the memory is: resident, the heap in use and the freed memory the
// allocator keeps, and the bounded holders (reply cache, study grids, database cache) beside the
// engine. Read by operators (docs/operations.md) and by the soak benchmark.
void LogMemory(const app::System& sys, const http::Server& server) {
  double in_use = 0, kept = 0;
  if (mallctl != nullptr) {
    // jemalloc: refresh its statistics, then the bytes allocated and those its pages hold.
    uint64_t epoch = 1;
    size_t len = sizeof epoch;
    mallctl("epoch", &epoch, &len, &epoch, sizeof epoch);
    size_t allocated = 0, resident = 0;
    len = sizeof allocated;
    mallctl("stats.allocated", &allocated, &len, nullptr, 0);
    len = sizeof resident;
    mallctl("stats.resident", &resident, &len, nullptr, 0);
    in_use = static_cast<double>(allocated);
    kept = static_cast<double>(resident > allocated ? resident - allocated : 0);
  } else {
    struct mallinfo2 heap = mallinfo2();
    in_use = static_cast<double>(heap.uordblks + heap.hblkhd);
    kept = static_cast<double>(heap.fordblks);
  }
  app::System::MemoryUse use = sys.memory_use();
  spdlog::info(
      "memory rss={}MB heap_in_use={}MB heap_free_kept={}MB engine={}MB reply_cache={}MB "
      "grid_cache={}MB database_cache={}MB connections={}",
      Mb(ResidentBytes()), Mb(in_use), Mb(kept), Mb(use.engine_bytes),
      Mb(server.reply_cache_bytes()), Mb(use.grid_cache_bytes), Mb(use.database_bytes),
      server.connections());
}

// SIGINT and SIGTERM are blocked in every thread and taken by one waiting thread, which stops
// the server gracefully (Stop() is not async-signal-safe, so no signal handler calls it).
class StopOnSignal {
 public:
  StopOnSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  // Also logs the memory line every `memory_log_s` seconds (0 = never); with glibc's malloc (the
  // sanitizer builds) it hands the heap's free pages back once a minute (malloc_trim). jemalloc
  // returns them by itself.
  void Watch(http::Server& server, const app::System& sys, int memory_log_s) {
    waiter_ = std::thread([this, &server, &sys, memory_log_s] {
      timespec tick{0, 200'000'000};
      auto next_log = std::chrono::steady_clock::now() + std::chrono::seconds(memory_log_s);
      auto next_trim = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!done_) {
        if (mallctl == nullptr && std::chrono::steady_clock::now() >= next_trim) {
          malloc_trim(0);
          next_trim += std::chrono::seconds(60);
        }
        if (memory_log_s > 0 && std::chrono::steady_clock::now() >= next_log) {
          LogMemory(sys, server);
          next_log += std::chrono::seconds(memory_log_s);
        }
        if (sigtimedwait(&set_, nullptr, &tick) > 0) {
          std::cout << "EST stängs: besvarar pågående förfrågningar" << std::endl;
          server.Stop();
          return;
        }
      }
    });
  }
  // Ends the watch (before the server goes).
  void Done() {
    done_ = true;
    if (waiter_.joinable()) waiter_.join();
  }
  ~StopOnSignal() {
    Done();
    pthread_sigmask(SIG_UNBLOCK, &set_, nullptr);
  }

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

// The options of the commands, shared by their callbacks (which outlive the registration).
struct ServeArgs {
  http::ServerOptions server_opt;
  std::string fetch_police, fetch_every = "15m", fetch_org;
  std::string basemap_url, basemap_attribution;
  std::optional<int> basemap_max_zoom;
  bool insecure_cookies = false;
  int memory_log_s = 600;
};

}  // namespace

void AddServeCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<ServeArgs>();
  // serve
  auto* serve = cli.add_subcommand("serve", "Starta webbservern");
  serve->add_option("--port", args->server_opt.port, "Port (0 = valfri ledig)")
      ->capture_default_str();
  serve->add_option("--bind", args->server_opt.bind, "Adress att lyssna på")->capture_default_str();
  serve->add_option("--web", args->server_opt.web_dir,
                    "Mapp med det byggda webbgränssnittet (standard: share/est/web bredvid "
                    "programmet eller källträdets web/dist)");
  serve->add_option("--threads", args->server_opt.threads, "Trådar som besvarar API-anrop")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve
      ->add_option("--max-connections", args->server_opt.max_connections,
                   "Högsta antal samtidiga anslutningar (fler får 503)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve
      ->add_option("--header-timeout", args->server_opt.header_timeout_s,
                   "Sekunder en klient har på sig att skicka en begärans huvuden")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  serve
      ->add_option("--idle-timeout", args->server_opt.idle_timeout_s,
                   "Sekunder en öppen anslutning får vänta på nästa begäran")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_flag("--trust-proxy", args->server_opt.trust_proxy,
                  "Bakom en omvänd proxy: klientens adress från X-Forwarded-For och HTTPS från "
                  "X-Forwarded-Proto (bara när proxyn är enda vägen in)");
  serve
      ->add_option("--idle-minutes", args->server_opt.idle_minutes,
                   "Minuter utan aktivitet innan en session går ut (0 = ingen gräns; "
                   "sessionen varar ändå högst 12 timmar)")
      ->check(CLI::Range(0, 24 * 60))
      ->capture_default_str();
  serve
      ->add_option("--max-sessions", args->server_opt.max_sessions_per_user,
                   "Högst så många samtidiga sessioner per användare; en ny inloggning avslutar "
                   "den äldsta (0 = ingen gräns)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  serve
      ->add_option("--memory-log", args->memory_log_s,
                   "Sekunder mellan loggraderna om minnet (0 = ingen)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  serve->add_option("--fetch-polisen", args->fetch_police,
                    "Hämta polisens händelser från denna adress medan servern kör "
                    "(t.ex. https://polisen.se/api/events)");
  serve->add_option("--fetch-every", args->fetch_every,
                    "Mellanrum mellan hämtningarna: 30s, 15m, 1h")
      ->capture_default_str();
  serve->add_option("--fetch-org", args->fetch_org,
                    "Organisationen polisens händelser sparas under (standard: den enda av "
                    "slaget polis)");
  serve->add_option("--basemap", args->basemap_url,
                    "Bakgrundskarta: en XYZ- eller WMTS-adress med {z}/{x}/{y}, t.ex. "
                    "https://tile.openstreetmap.org/{z}/{x}/{y}.png (går före "
                    "administratörens val)");
  serve->add_option("--basemap-attribution", args->basemap_attribution,
                    "Bakgrundskartans upphov, t.ex. \"© OpenStreetMap-bidragsgivare\"");
  serve->add_option("--basemap-max-zoom", args->basemap_max_zoom,
                    "Bakgrundskartans största zoomnivå (standard 19)");
  serve->add_flag("--insecure-cookies", args->insecure_cookies,
                  "Utelämna Secure på sessionskakan (bara för test utan HTTPS)");
  serve->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      args->server_opt.secure_cookies = !args->insecure_cookies;
      if (args->server_opt.web_dir.empty()) args->server_opt.web_dir = FindWebDir(SelfExe());
      std::optional<int> fetch_every_s;
      if (!args->fetch_police.empty()) {
        fetch_every_s = ParseDurationSeconds(args->fetch_every);
        if (!fetch_every_s) {
          return Report(Error{ErrorCode::kInvalidArgument, "Ogiltigt mellanrum",
                              {{"--fetch-every", "\"" + args->fetch_every +
                                                     "\": ange t.ex. 30s, 15m eller 1h"}}});
        }
      }
      if (!args->basemap_url.empty() || !args->basemap_attribution.empty()) {
        auto basemap = app::ParseBasemap(args->basemap_url, args->basemap_attribution,
                                         args->basemap_max_zoom);
        if (!basemap) {
          Error e = basemap.error();
          for (auto& f : e.fields) f.field = "--basemap" + (f.field == "url" ? "" : "-" + f.field);
          for (auto& f : e.fields) {
            if (f.field == "--basemap-max_zoom") f.field = "--basemap-max-zoom";
          }
          return Report(e);
        }
        if (basemap->url.empty()) {
          return Report(Error{ErrorCode::kInvalidArgument, "Bakgrundskartan saknar adress",
                              {{"--basemap", "ange adressen till --basemap-attribution"}}});
        }
        args->server_opt.basemap = *basemap;
      }
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      StopOnSignal
          signals;  // before any thread starts (the follower, the server's): they inherit the mask
      // Other servers on the same database (and the command line) reach this one's picture.
      if (auto f = (*sys)->StartFollowing(); !f) return Report(f.error());
      http::Server server(**sys, args->server_opt);
      auto port = server.Bind();
      if (!port) return Report(port.error());
      signals.Watch(server, **sys, args->memory_log_s);
      std::cout << "EST lyssnar på http://" << args->server_opt.bind << ":" << *port
                << "/ (databas " << RedactedDb(db) << ", " << (*sys)->engine().size()
                << " rapporter)" << std::endl;
      // After the line above, which scripts and tests wait for.
      if (!args->server_opt.web_dir.empty()) {
        std::cout << "Webbgränssnittet visas från " << args->server_opt.web_dir << std::endl;
      } else {
        std::string looked;
        for (const auto& d : WebDirCandidates(SelfExe()))
          looked += (looked.empty() ? "" : ", ") + d;
        std::cout << "Inget byggt webbgränssnitt hittades (sökte i " << looked
                  << "); bygg web/ (npm run build) eller ange --web. Startsidan visas."
                  << std::endl;
      }
      std::optional<PoliceFetcher> fetcher;
      if (fetch_every_s) {
        fetcher.emplace(**sys, args->fetch_police, *fetch_every_s,
                        app::PoliceImportOptions{args->fetch_org, false});
        fetcher->Start();
        std::cout << "Hämtar polisens händelser från " << args->fetch_police << " var "
                  << args->fetch_every << std::endl;
      }
      server.Run();
      if (fetcher) fetcher->Stop();
      signals.Done();
      std::cout << "EST har stängts." << std::endl;
      return 0;
    };
  });
}

}  // namespace est::cli
