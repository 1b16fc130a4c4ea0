// The address search: folded prefixes, the order of hits, street hits, localities and the exact
// resolution Open311 relies on.
#include "app/address_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace est::app {
namespace {

Address A(std::string street, std::string number, std::string locality = "Sollentuna",
          double e = 667000, double n = 6590000) {
  Address a;
  a.street = std::move(street);
  a.number = std::move(number);
  a.postcode = "191 40";
  a.locality = std::move(locality);
  a.e = e;
  a.n = n;
  return a;
}

std::vector<std::string> Labels(const std::vector<AddressHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.label);
  return out;
}

AddressIndex Register() {
  return AddressIndex({A("Malmvägen", "10"), A("Malmvägen", "2"), A("Malmvägen", "3"),
                       A("Malmvägen", "3B"), A("Gamla Malmvägen", "1"), A("Malmgatan", "5"),
                       A("Tureberg torg", ""), A("Malmvägen", "3", "Upplands Väsby"),
                       A("Östra Ringvägen", "7")});
}

TEST(AddressIndex, FindsByFoldedPrefixWithStreetsFirst) {
  const AddressIndex idx = Register();
  // "malmv" without å/ä/ö, lower case: the streets of several addresses first (one per street
  // and locality), then the numbers in numeric order (2 before 10), a later word of a street
  // after the first words.
  EXPECT_EQ(Labels(idx.Search("malmv", 20)),
            (std::vector<std::string>{"Malmvägen, Sollentuna", "Malmvägen 2, Sollentuna",
                                      "Malmvägen 3, Sollentuna", "Malmvägen 3B, Sollentuna",
                                      "Malmvägen 10, Sollentuna", "Malmvägen 3, Upplands Väsby",
                                      "Gamla Malmvägen 1, Sollentuna"}));
  EXPECT_TRUE(idx.Search("malmv", 20)[0].street_only);
  EXPECT_EQ(idx.Search("MALMVÄGEN", 1).size(), 1u);
  EXPECT_EQ(Labels(idx.Search("ostra ring", 5)),
            (std::vector<std::string>{"Östra Ringvägen 7, Sollentuna"}));
}

TEST(AddressIndex, ANumberNarrowsToAddressesExactFirst) {
  const AddressIndex idx = Register();
  auto hits = idx.Search("Malmvägen 3", 10);
  ASSERT_GE(hits.size(), 3u);
  EXPECT_EQ(hits[0].label, "Malmvägen 3, Sollentuna");
  EXPECT_FALSE(hits[0].street_only);
  EXPECT_EQ(Labels(hits), (std::vector<std::string>{"Malmvägen 3, Sollentuna",
                                                    "Malmvägen 3, Upplands Väsby",
                                                    "Malmvägen 3B, Sollentuna"}));
  // "3 b" and "3B" are the same number; a locality after a comma narrows.
  EXPECT_EQ(Labels(idx.Search("malmvagen 3 b", 5)),
            (std::vector<std::string>{"Malmvägen 3B, Sollentuna"}));
  EXPECT_EQ(Labels(idx.Search("Malmvägen 3, upplands", 5)),
            (std::vector<std::string>{"Malmvägen 3, Upplands Väsby"}));
}

TEST(AddressIndex, StreetsWithoutNumbersAndLimits) {
  const AddressIndex idx = Register();
  EXPECT_EQ(Labels(idx.Search("tureberg", 5)),
            (std::vector<std::string>{"Tureberg torg, Sollentuna"}));
  EXPECT_FALSE(idx.Search("tureberg", 5)[0].street_only);
  EXPECT_EQ(idx.Search("malm", 3).size(), 3u);
  EXPECT_TRUE(idx.Search("m", 10).empty()) << "one letter is not a search";
  EXPECT_TRUE(idx.Search("  ,  ", 10).empty());
  EXPECT_TRUE(idx.Search("finns inte", 10).empty());
  EXPECT_TRUE(AddressIndex().Search("malm", 10).empty());
}

TEST(AddressIndex, ResolveIsExactAndReportsAmbiguity) {
  const AddressIndex idx = Register();
  EXPECT_EQ(idx.Resolve("Malmvägen 3").size(), 2u) << "two localities have it";
  ASSERT_EQ(idx.Resolve("malmvagen 3, sollentuna").size(), 1u);
  EXPECT_EQ(idx.Resolve("malmvagen 3, sollentuna")[0].label, "Malmvägen 3, Sollentuna");
  EXPECT_EQ(idx.Resolve("Malmvägen 10").size(), 1u);
  EXPECT_TRUE(idx.Resolve("Malmvägen 1").empty()) << "a prefix is not an address";
  EXPECT_TRUE(idx.Resolve("Malmvägen 4").empty());
  EXPECT_TRUE(idx.Resolve("Malmvägen 1, Sollentuna").empty());
}

TEST(AddressIndex, NormalizeFoldsCaseDiacriticsAndPunctuation) {
  EXPECT_EQ(AddressIndex::Normalize("  Östra  Ringvägen, 7 "), "ostra ringvagen 7");
  EXPECT_EQ(AddressIndex::Normalize("S:t Eriksgatan"), "s t eriksgatan");
  EXPECT_EQ(AddressIndex::Label(A("Malmvägen", "3")), "Malmvägen 3, Sollentuna");
  EXPECT_EQ(AddressIndex::Label(A("Malmvägen", "3", "")), "Malmvägen 3");
}

}  // namespace
}  // namespace est::app
