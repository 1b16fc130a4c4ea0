// The police's events feed on the real dumps (tests/data/polisen-events-*.json): the event time
// from the name, the municipality from location or name (never the feed's centroid), county-level
// events kept apart, a second import adding nothing, the type mapping (defaults, the
// coordinator's choice, unmapped types refused or created), the lägesbild with and without the
// police's events, coverage untouched by them, and the HTTP route's rights and bad input.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "api_client.h"
#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

class PoliceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
  }
  CommandResult Est(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunEst(args);
  }
  std::string DbHash() { return DatabaseDigest(db_); }
  // The police reports stored, by event id.
  std::map<std::string, json> PoliceReports(Session& c) {
    std::map<std::string, json> out;
    for (int64_t offset = 0;; offset += 1000) {
      auto r = c.Get("/api/v1/reports?limit=1000&org=polis&offset=" + std::to_string(offset));
      EXPECT_EQ(r->status, 200) << r->body;
      json items = json::parse(r->body)["items"];
      for (const auto& x : items) {
        if (x["source"] == "police") out[x["source_id"].get<std::string>()] = x;
      }
      if (items.size() < 1000) break;
    }
    return out;
  }
  TempDir dir_;
  std::string db_;
};

// The 2026 dump: every location.name is a county. Sollentuna's events are placed in Sollentuna
// by the name's last part; Stockholm county's county-level events are stored without an area.
TEST_F(PoliceTest, The2026FeedIsPlacedByTheNameNotTheCentroid) {
  auto r = Est({"import", "polisen", DataFile("polisen-events-2026-08-22.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("500 i filen, 2 nya"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 i kommunens områden"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 bara på länsnivå"), std::string::npos) << r.out;

  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  auto stored = PoliceReports(c);
  ASSERT_EQ(stored.size(), 2u);
  // "20 augusti 00.38, Rattfylleri, Sollentuna", published 2026-08-20 with location "Stockholms län".
  const json& rattfylleri = stored.at("650021");
  EXPECT_EQ(rattfylleri["occurred_from"], "2026-08-20T00:38:00+02:00");
  EXPECT_EQ(rattfylleri["area"]["code"], "0163");
  EXPECT_EQ(rattfylleri["area_only"], true);
  EXPECT_EQ(rattfylleri["category"], "buskorning");
  EXPECT_NE(rattfylleri["description"].get<std::string>().find("https://polisen.se/aktuellt/"),
            std::string::npos);
  // "22 augusti 07.10, Fylleri, Stockholms län": county-level, kept without an area.
  const json& county = stored.at("650265");
  EXPECT_TRUE(county["area"].is_null());
  EXPECT_EQ(county["occurred_from"], "2026-08-22T07:10:00+02:00");

  // The week's picture counts the event beside partner reports unless asked not to; the
  // county-level one is in no area and not "outside" either.
  json with = json::parse(c.Get("/api/v1/lagesbild?period=2026-W34")->body);
  json without = json::parse(c.Get("/api/v1/lagesbild?period=2026-W34&police=false")->body);
  EXPECT_EQ(with["totals"]["count"], 1);
  EXPECT_EQ(with["totals"]["outside"], 0);
  EXPECT_EQ(without["totals"]["count"], 0);
  // Coverage: the police did not "report" for Sollentuna by the feed.
  for (const auto& cov : with["coverage"]) {
    for (const auto& o : cov["reported"]) EXPECT_NE(o, "polis") << cov.dump();
  }
  ExpectProblem(c.Get("/api/v1/lagesbild?period=2026-W34&police=kanske"), 400, "police");

  // Again: nothing new.
  auto again = Est({"import", "polisen", DataFile("polisen-events-2026-08-22.json")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 nya (2 fanns redan)"), std::string::npos) << again.out;
}

// The 2025 dump: location.name is mostly the municipality. Its Sollentuna event is fraud, which
// is not imported by default; a coordinator's choice brings it in, with its own time.
TEST_F(PoliceTest, The2025FeedAndTheCoordinatorsMapping) {
  auto r = Est({"import", "polisen", DataFile("polisen-events-2025-06-07.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("500 i filen, 0 nya"), std::string::npos) << r.out;

  auto set = Est({"police-types", "set", "Bedrägeri", "ordningsstorning"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  auto list = Est({"police-types", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  bool chosen = false, fire_default = false;
  const json types = json::parse(list.out);
  for (const auto& t : types["items"]) {
    chosen |= t["type"] == "Bedrägeri" && t["category"] == "ordningsstorning" && t["default"] == false;
    fire_default |= t["type"] == "Brand" && t["category"].is_null() && t["default"] == true;
  }
  EXPECT_TRUE(chosen) << list.out;
  EXPECT_TRUE(fire_default) << list.out;
  auto bad = Est({"police-types", "set", "Brand", "finnsinte"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("okänd kategori"), std::string::npos) << bad.err;
  EXPECT_EQ(Est({"police-types", "set", "Brand"}).exit_code, 2);  // a category or --none

  r = Est({"import", "polisen", DataFile("polisen-events-2025-06-07.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 i kommunens områden"), std::string::npos) << r.out;
  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  auto stored = PoliceReports(c);
  ASSERT_EQ(stored.size(), 1u);
  const json& fraud = stored.begin()->second;
  EXPECT_EQ(fraud["occurred_from"], "2025-06-01T00:40:00+02:00");  // the name's time, 2025
  EXPECT_EQ(fraud["area"]["code"], "0163");
  EXPECT_EQ(fraud["category"], "ordningsstorning");
}

// A type with no category refuses the whole file (naming the type, changing nothing) unless
// --create-missing, which creates a category flagged for review and maps the type to it.
TEST_F(PoliceTest, UnmappedTypesAreRefusedOrCreated) {
  std::string text = ReadText(DataFile("polisen-events-2026-08-22.json"));
  std::string from = "\"type\": \"Rattfylleri\"";
  size_t pos = text.find(from);
  ASSERT_NE(pos, std::string::npos);
  while (pos != std::string::npos) {
    text.replace(pos, from.size(), "\"type\": \"Bombhot\"");
    pos = text.find(from, pos);
  }
  WriteText(dir_.File("bombhot.json"), text);
  std::string before = DbHash();
  auto r = Est({"import", "polisen", dir_.File("bombhot.json")});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("type \"Bombhot\": ingen kategori"), std::string::npos) << r.err;
  EXPECT_EQ(DbHash(), before);

  r = Est({"import", "polisen", dir_.File("bombhot.json"), "--create-missing"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Ny kategori (markerad för granskning): polis-bombhot"), std::string::npos)
      << r.out;
  auto cats = Est({"categories", "list", "--format", "csv"});
  EXPECT_NE(cats.out.find("polis-bombhot"), std::string::npos) << cats.out;
  auto list = Est({"police-types", "list", "--format", "json"});
  EXPECT_NE(list.out.find("\"polis-bombhot\""), std::string::npos) << list.out;
}

TEST_F(PoliceTest, HttpImportRightsAndBadInput) {
  Server server(db_);
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  Session rep(server.port());
  ASSERT_EQ(rep.Login("rap.hem", "Trygghet-Sollentuna-49!")->status, 200);
  std::string feed = ReadText(DataFile("polisen-events-2026-08-22.json"));
  ExpectProblem(rep.PostRaw("/api/v1/imports/polisen", feed, "application/json"), 403, "");
  ExpectProblem(c.PostRaw("/api/v1/imports/polisen", feed, "text/csv"), 415, "Content-Type");
  std::string before = DbHash();
  ExpectProblem(c.PostRaw("/api/v1/imports/polisen", "{\"id\": 1}", "application/json"), 400,
                "fil");
  ExpectProblem(c.PostRaw("/api/v1/imports/polisen",
                          R"([{"id": 5, "datetime": "2026-08-22 19:51:41 +02:00",
                              "name": "32 augusti 17.59, Brand, Sollentuna", "type": "Brand"}])",
                          "application/json"),
                400, "händelse[0] (id 5).name");
  ExpectProblem(c.PostRaw("/api/v1/imports/polisen?org=okand", feed, "application/json"), 400,
                "org");
  EXPECT_EQ(DbHash(), before);
  auto res = c.PostRaw("/api/v1/imports/polisen", feed, "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  json j = json::parse(res->body);
  EXPECT_EQ(j["events"], 500);
  EXPECT_EQ(j["inserted"], 2);
  EXPECT_EQ(j["county_level"], 1);
  EXPECT_EQ(j["in_municipality"].get<int>() + j["county_level"].get<int>() +
                j["other_places"].get<int>() + j["not_imported"].get<int>(),
            500);
  res = c.PostRaw("/api/v1/imports/polisen", feed, "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["already_present"], 2);
  // The mapping over HTTP.
  auto types = json::parse(c.Get("/api/v1/police-types")->body)["items"];
  EXPECT_GE(types.size(), 58u);
  ExpectProblem(rep.Post("/api/v1/police-types", json{{"types", {{"Brand", "anlagd_brand"}}}}), 403,
                "");
  ExpectProblem(c.Post("/api/v1/police-types", json{{"types", {{"Brand", 3}}}}), 400,
                "types.Brand");
  res = c.Post("/api/v1/police-types", json{{"types", {{"Brand", "anlagd_brand"}}}});
  ASSERT_EQ(res->status, 200) << res->body;
  auto audit = Est({"audit", "verify"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
}

// The feed served on loopback (never the internet): /events the 2026 dump, /fel a 503, /stor
// more than the import takes.
class FeedServer {
 public:
  FeedServer() {
    feed_ = ReadText(DataFile("polisen-events-2026-08-22.json"));
    http_.Get("/events", [this](const httplib::Request& req, httplib::Response& res) {
      ++hits_;
      agent_ = req.get_header_value("User-Agent");
      res.set_content(feed_, "application/json");
    });
    http_.Get("/fel", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FeedServer() {
    http_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int hits() const { return hits_; }
  std::string agent() const { return agent_; }

 private:
  std::string feed_;
  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> hits_{0};
  std::string agent_;
};

TEST_F(PoliceTest, FetchPollsTheFeedAndImportsOnce) {
  FeedServer feed;
  auto r = Est({"fetch", "polisen", "--url", feed.Url("/events")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("500 i filen, 2 nya"), std::string::npos) << r.out;
  EXPECT_NE(feed.agent().find("EST"), std::string::npos) << "the police's API wants a User-Agent";
  // Polling: three rounds one second apart add nothing more.
  r = Est({"fetch", "polisen", "--url", feed.Url("/events"), "--every", "1s", "--times", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(feed.hits(), 4);
  EXPECT_NE(r.out.find("0 nya, 2 fanns redan"), std::string::npos) << r.out;

  // A server that fails names the host and status; a bad address or interval is exit 2.
  std::string before = DbHash();
  auto down = Est({"fetch", "polisen", "--url", feed.Url("/fel")});
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("svarade 503"), std::string::npos) << down.err;
  auto bad = Est({"fetch", "polisen", "--url", "ftp://polisen.se/x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("url"), std::string::npos) << bad.err;
  auto every = Est({"fetch", "polisen", "--url", feed.Url("/events"), "--every", "ofta"});
  EXPECT_EQ(every.exit_code, 2);
  EXPECT_NE(every.err.find("--every"), std::string::npos) << every.err;
  EXPECT_EQ(DbHash(), before);
}

// The server's own schedule: the events are in its picture without a restart.
TEST_F(PoliceTest, ServeFetchesOnItsSchedule) {
  FeedServer feed;
  Server server(db_, {"--fetch-polisen", feed.Url("/events"), "--fetch-every", "1s"});
  Session c(server.port());
  ASSERT_EQ(c.Login("samordnare", "Trygghet-Sollentuna-49!")->status, 200);
  std::map<std::string, json> stored;
  for (int i = 0; i < 100 && stored.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stored = PoliceReports(c);
  }
  EXPECT_EQ(stored.size(), 2u);
  json lb = json::parse(c.Get("/api/v1/lagesbild?period=2026-W34")->body);
  EXPECT_EQ(lb["totals"]["count"], 1);
  for (int i = 0; i < 50 && feed.hits() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(feed.hits(), 2) << "fetched again after the interval";
  EXPECT_EQ(PoliceReports(c).size(), 2u);
}

}  // namespace
}  // namespace est::testing
