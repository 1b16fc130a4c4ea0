// Where `est serve` finds the built web interface without --web: the installed share folder, then
// the source tree's web/dist beside the build folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli/common.h"

namespace est::cli {
namespace {

namespace fs = std::filesystem;

class WebDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "est-webdir-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  void Touch(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "<!doctype html>";
  }
  fs::path root_;
};

TEST_F(WebDirTest, SourceTreeDistBesideTheBuildFolder) {
  Touch(root_ / "web" / "dist" / "index.html");
  EXPECT_EQ(FindWebDir(root_ / "build" / "est"), (root_ / "web" / "dist").string());
}

TEST_F(WebDirTest, InstalledShareFolderComesFirst) {
  Touch(root_ / "share" / "est" / "web" / "index.html");
  Touch(root_ / "web" / "dist" / "index.html");
  EXPECT_EQ(FindWebDir(root_ / "bin" / "est"), (root_ / "share" / "est" / "web").string());
}

TEST_F(WebDirTest, AFolderWithoutIndexIsNotTheInterface) {
  fs::create_directories(root_ / "web" / "dist");
  EXPECT_EQ(FindWebDir(root_ / "build" / "est"), "");
  auto looked = WebDirCandidates(root_ / "build" / "est");
  ASSERT_EQ(looked.size(), 2u);
  EXPECT_EQ(looked[1], (root_ / "web" / "dist").string());
  EXPECT_TRUE(WebDirCandidates({}).empty());
}

TEST(SelfExe, IsThisTestProgram) { EXPECT_EQ(SelfExe().filename(), "est_unit_cli"); }

}  // namespace
}  // namespace est::cli
