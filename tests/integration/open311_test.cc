// Open311 GeoReport v2 over HTTP with a personal API token as api_key: discovery, services (the
// active categories), a new request posted as a form (validated and scrubbed as every entry
// point), its status, the list with its filters, and bad requests named by the field with the
// data left as it was.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "est_harness.h"

namespace est::testing {
namespace {

using nlohmann::json;

class Open311Test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Database();
    SeedMunicipality(db_);
    auto r = RunEst({"--db", db_, "token", "add", "rap.hem", "--name", "Felanmälan"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    key_ = r.out.substr(0, r.out.find('\n'));
  }
  TempDir dir_;
  std::string db_, key_;
};

TEST_F(Open311Test, AFaultReportSystemPostsAndFollowsARequest) {
  Server server(db_);
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(30, 0);
  auto disc = c.Get("/open311/v2/discovery.json");
  ASSERT_EQ(disc->status, 200);
  EXPECT_EQ(json::parse(disc->body)["endpoints"][0]["specification"],
            "http://wiki.open311.org/GeoReport_v2");

  auto anon = c.Get("/open311/v2/services.json");
  EXPECT_EQ(anon->status, 401);
  EXPECT_NE(anon->body.find("api_key"), std::string::npos);
  auto services = c.Get(("/open311/v2/services.json?api_key=" + key_).c_str());
  ASSERT_EQ(services->status, 200) << services->body;
  bool klotter = false;
  for (const auto& s : json::parse(services->body)) klotter |= s["service_code"] == "klotter";
  EXPECT_TRUE(klotter) << services->body;

  const std::string before = DatabaseDigest(db_);
  auto post = [&](const std::string& form) {
    return c.Post("/open311/v2/requests.json", form, "application/x-www-form-urlencoded");
  };
  auto missing = post("api_key=" + key_ + "&description=n%C3%A5got");
  ASSERT_EQ(missing->status, 400);
  EXPECT_NE(missing->body.find("\"service_code\""), std::string::npos) << missing->body;
  EXPECT_NE(missing->body.find("\"lat\""), std::string::npos) << missing->body;
  auto address = post("api_key=" + key_ + "&service_code=klotter&address_string=Malmv%C3%A4gen+3");
  EXPECT_EQ(address->status, 400);
  EXPECT_NE(address->body.find("\"address_string\""), std::string::npos) << address->body;
  auto unknown = post("api_key=" + key_ + "&service_code=finns-inte&lat=59.43&long=17.94");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_NE(unknown->body.find("\"service_code\""), std::string::npos) << unknown->body;
  auto abroad = post("api_key=" + key_ + "&service_code=klotter&lat=48.85&long=2.35");
  EXPECT_EQ(abroad->status, 400) << abroad->body;
  EXPECT_EQ(DatabaseDigest(db_), before) << "refused requests change nothing";
  // A wrong key is 401 (and a security event, so after the digest).
  auto wrong = post("api_key=est_" + std::string(64, '0') + "&service_code=klotter&lat=59.43&long=17.94");
  EXPECT_EQ(wrong->status, 401);

  auto made = post("api_key=" + key_ +
                   "&service_code=klotter&lat=59.4271&long=17.9460&description=Klotter+p%C3%A5+"
                   "fasaden%2C+ring+070-123+45+67");
  ASSERT_EQ(made->status, 201) << made->body;
  auto reply = json::parse(made->body);
  const std::string id = reply[0]["service_request_id"];
  EXPECT_NE(reply[0]["service_notice"].get<std::string>().find("Personuppgifter"), std::string::npos);
  auto one = c.Get(("/open311/v2/requests/" + id + ".json?api_key=" + key_).c_str());
  ASSERT_EQ(one->status, 200) << one->body;
  auto r = json::parse(one->body)[0];
  EXPECT_EQ(r["status"], "open");
  EXPECT_EQ(r["service_code"], "klotter");
  EXPECT_EQ(r["address"], "Tureberg");
  EXPECT_EQ(r["description"].get<std::string>().find("070"), std::string::npos) << r;
  EXPECT_NEAR(r["lat"].get<double>(), 59.4271, 1e-6);

  auto open = c.Get(("/open311/v2/requests.json?status=open&service_code=klotter&api_key=" + key_).c_str());
  ASSERT_EQ(open->status, 200) << open->body;
  ASSERT_EQ(json::parse(open->body).size(), 1u);
  EXPECT_EQ(json::parse(open->body)[0]["service_request_id"], id);
  auto closed = c.Get(("/open311/v2/requests.json?status=closed&api_key=" + key_).c_str());
  EXPECT_EQ(json::parse(closed->body).size(), 0u);
  auto bad = c.Get(("/open311/v2/requests.json?status=pending&start_date=igar&api_key=" + key_).c_str());
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("\"status\""), std::string::npos);
  EXPECT_NE(bad->body.find("\"start_date\""), std::string::npos);
  // Bearer works as well; XML is refused by name.
  auto bearer = c.Get("/open311/v2/services.json", {{"Authorization", "Bearer " + key_}});
  EXPECT_EQ(bearer->status, 200);
  auto xml = c.Get(("/open311/v2/services.xml?api_key=" + key_).c_str());
  EXPECT_EQ(xml->status, 400);
  EXPECT_NE(xml->body.find("\"format\""), std::string::npos);
}

}  // namespace
}  // namespace est::testing
