// Address files: column aliases, positions in three systems, duplicates, and bad rows named by
// row and column with nothing returned.
#include "ingest/address_file.h"

#include <gtest/gtest.h>

#include <string>

namespace est::ingest {
namespace {

std::string Fields(const Error& e) {
  std::string s;
  for (const auto& f : e.fields) s += f.field + ": " + f.reason + "\n";
  return s;
}

TEST(AddressFile, ReadsRegisterColumnsInWgs84) {
  auto r = ReadAddressCsv(
      "gatunamn;husnummer;bokstav;postnummer;postort;lon;lat\n"
      "Malmvägen;3;;191 40;Sollentuna;17.9471;59.4282\n"
      "Malmvägen;3;B;191 40;Sollentuna;17.9473;59.4283\n"
      "Malmvägen;3;;191 40;Sollentuna;17.9471;59.4282\n",
      {});
  ASSERT_TRUE(r) << Fields(r.error());
  ASSERT_EQ(r->addresses.size(), 2u);
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(r->duplicates, 1);
  EXPECT_EQ(r->addresses[0].street, "Malmvägen");
  EXPECT_EQ(r->addresses[1].number, "3B");
  EXPECT_EQ(r->addresses[0].postcode, "191 40");
  EXPECT_EQ(r->addresses[0].locality, "Sollentuna");
  // SWEREF 99 TM of 17.9471 E 59.4282 N.
  EXPECT_NEAR(r->addresses[0].e, 667'000, 2'000);
  EXPECT_NEAR(r->addresses[0].n, 6'592'000, 3'000);
}

TEST(AddressFile, OpenStreetMapTagsAndAWholeAddressColumn) {
  auto osm = ReadAddressCsv(
      "addr:street,addr:housenumber,addr:postcode,addr:city,e,n\n"
      "Tureberg torg,,19147,Sollentuna,667100,6592100\n",
      {});
  ASSERT_TRUE(osm) << Fields(osm.error());
  EXPECT_EQ(osm->addresses[0].street, "Tureberg torg");
  EXPECT_EQ(osm->addresses[0].number, "");
  EXPECT_DOUBLE_EQ(osm->addresses[0].e, 667100);

  auto whole = ReadAddressCsv("address,x,y\nMalmvägen 12 B,667000,6592000\n", {});
  ASSERT_TRUE(whole) << Fields(whole.error());
  EXPECT_EQ(whole->addresses[0].street, "Malmvägen");
  EXPECT_EQ(whole->addresses[0].number, "12B");
}

TEST(AddressFile, XyInAnotherCrs) {
  // SWEREF 99 18 00 (EPSG:3011) differs from SWEREF 99 TM by the central meridian.
  AddressReadOptions o;
  o.epsg = 3011;
  auto r = ReadAddressCsv("street,number,x,y\nMalmvägen,3,152000,6592000\n", o);
  ASSERT_TRUE(r) << Fields(r.error());
  EXPECT_GT(std::abs(r->addresses[0].e - 152000), 100000);
}

TEST(AddressFile, BadRowsAreNamedAndNothingIsReturned) {
  auto r = ReadAddressCsv(
      "street,number,lon,lat\n"
      "Malmvägen,3,17.94,59.43\n"
      ",4,17.94,59.43\n"
      "Malmvägen,5,abc,59.43\n"
      "Malmvägen,6,59.43,17.94\n",
      {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const std::string f = Fields(r.error());
  EXPECT_NE(f.find("rad 3, kolumn street: gatunamnet saknas"), std::string::npos) << f;
  EXPECT_NE(f.find("rad 4, kolumn lon"), std::string::npos) << f;
  EXPECT_NE(f.find("rad 5, kolumn lon"), std::string::npos) << f;
  EXPECT_NE(f.find("utanför Sverige"), std::string::npos) << f;
  EXPECT_EQ(r.error().fields.size(), 3u) << f;
}

TEST(AddressFile, GisLayersAreNumberedByFeature) {
  AddressReadOptions o;
  o.row_word = "objekt";
  o.row_offset = 1;
  auto r = ReadAddressCsv("street,lon,lat\nMalmvägen,17.94,59.43\n,17.94,59.43\n", o);
  ASSERT_FALSE(r);
  EXPECT_NE(Fields(r.error()).find("objekt 2, kolumn street"), std::string::npos)
      << Fields(r.error());
}

TEST(AddressFile, MissingColumnsAndEmptyFiles) {
  auto no_street = ReadAddressCsv("name,lon,lat\nx,17.9,59.4\n", {});
  ASSERT_FALSE(no_street);
  EXPECT_EQ(no_street.error().fields.at(0).field, "street");
  auto no_position = ReadAddressCsv("street,number\nMalmvägen,3\n", {});
  ASSERT_FALSE(no_position);
  EXPECT_EQ(no_position.error().fields.at(0).field, "lon");
  auto empty = ReadAddressCsv("street,lon,lat\n", {});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().fields.at(0).reason.find("inga adresser"), std::string::npos);
  AddressReadOptions bad_crs;
  bad_crs.epsg = 999999;
  EXPECT_FALSE(ReadAddressCsv("street,x,y\nA,1,2\n", bad_crs));
}

}  // namespace
}  // namespace est::ingest
