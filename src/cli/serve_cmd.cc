// `est serve`: the web server (HTTP API and the web interface) until SIGINT or SIGTERM.
#include "cli/serve_cmd.h"

#include <pthread.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/system.h"
#include "cli/common.h"
#include "http/server.h"

namespace est::cli {
namespace {

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
  void Watch(http::Server& server) {
    waiter_ = std::thread([this, &server] {
      timespec tick{0, 200'000'000};
      while (!done_) {
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
  bool insecure_cookies = false;
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
  serve->add_flag("--insecure-cookies", args->insecure_cookies,
                  "Utelämna Secure på sessionskakan (bara för test utan HTTPS)");
  serve->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      args->server_opt.secure_cookies = !args->insecure_cookies;
      if (args->server_opt.web_dir.empty()) args->server_opt.web_dir = FindWebDir(SelfExe());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      StopOnSignal
          signals;  // before any thread starts (the follower, the server's): they inherit the mask
      // Other servers on the same database (and the command line) reach this one's picture.
      if (auto f = (*sys)->StartFollowing(); !f) return Report(f.error());
      http::Server server(**sys, args->server_opt);
      auto port = server.Bind();
      if (!port) return Report(port.error());
      signals.Watch(server);
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
      server.Run();
      signals.Done();
      std::cout << "EST har stängts." << std::endl;
      return 0;
    };
  });
}

}  // namespace est::cli
