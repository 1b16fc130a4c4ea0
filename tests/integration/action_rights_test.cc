// An organisation lead's rights on its organisation's action over HTTP (app/work.h
// ActionRightsOf): status and result only; coordinators change everything.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api_client.h"
#include "est_harness.h"
#include "seeded_server.h"

namespace est::testing {
namespace {

using nlohmann::json;

class ActionRightsTest : public SeededServerTest<ActionRightsTest> {
 public:
  static void Seed(const std::string& db) {
    SeedMunicipality(db);
    for (auto [login, org] : {std::pair{"chef.hem", "hem"}, std::pair{"chef.bun", "bun"}}) {
      auto r = RunEst({"--db", db, "user", "add", login, "--role", "org_lead", "--org", org,
                       "--password", "Trygghet-Sollentuna-49!"});
      if (r.exit_code != 0) throw std::runtime_error(r.out + r.err);
    }
  }
};

TEST_F(ActionRightsTest, OrganisationLeadChangesOnlyStatusAndResultOfItsAction) {
  Session c = As("samordnare");
  auto created = c.Post(
      "/api/v1/actions",
      {{"title", "Klotterskydd på Sollentunahems gårdar"}, {"owner", "hem"}, {"cost", 1000}});
  ASSERT_TRUE(created && created->status == 201) << (created ? created->body : "");
  json a = json::parse(created->body);
  const std::string path = "/api/v1/actions/" + std::to_string(a["id"].get<int64_t>());
  int version = a["version"];

  Session lead = As("chef.hem");
  auto r = lead.Patch(path, {{"version", version},
                             {"status", "ongoing"},
                             {"result", "Påbörjad vecka 2."},
                             // sent back unchanged, as a form may: allowed
                             {"title", "Klotterskydd på Sollentunahems gårdar"},
                             {"owner", "hem"}});
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
  EXPECT_EQ(json::parse(r->body)["status"], "ongoing");
  version = json::parse(r->body)["version"];

  for (auto [field, value] :
       std::vector<std::pair<std::string, json>>{{"cost", 5},
                                                 {"owner", "bun"},
                                                 {"controls", json::array({"0163"})},
                                                 {"title", "Något annat"},
                                                 {"follow_up", "2030-01-01"}}) {
    auto refused = lead.Patch(path, {{"version", version}, {"status", "done"}, {field, value}});
    ExpectProblem(refused, 403, field);
  }
  auto now = json::parse(c.Get(path)->body);
  EXPECT_EQ(now["status"], "ongoing");  // nothing of a refused change is written
  EXPECT_EQ(now["cost"], 1000);
  EXPECT_EQ(now["owner"]["code"], "hem");

  ExpectProblem(As("chef.bun").Patch(path, {{"version", version}, {"status", "done"}}), 403, "");
  auto coordinator = c.Patch(path, {{"version", version}, {"cost", 2500}});
  ASSERT_TRUE(coordinator && coordinator->status == 200) << coordinator->body;
  EXPECT_EQ(json::parse(coordinator->body)["cost"], 2500);
}

}  // namespace
}  // namespace est::testing
