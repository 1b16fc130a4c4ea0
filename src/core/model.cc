// Text forms of the domain enumerations, the default category tree and shared field validation.
#include "core/model.h"

#include <array>
#include <cctype>
#include <utility>

#include "core/enum_text.h"

namespace est {

// Folds Swedish letters so that "nämnd" and "namnd" both parse; lower-cases ASCII.
std::string FoldText(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      // å Å ä Ä -> a, ö Ö -> o, é É -> e
      if (d == 0xA5 || d == 0x85 || d == 0xA4 || d == 0x84) {
        out += 'a';
        ++i;
        continue;
      }
      if (d == 0xB6 || d == 0x96) {
        out += 'o';
        ++i;
        continue;
      }
      if (d == 0xA9 || d == 0x89) {
        out += 'e';
        ++i;
        continue;
      }
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

namespace {

constexpr std::array<std::pair<std::string_view, OrgKind>, 10> kOrgKinds{{
    {"nämnd", OrgKind::kNamnd},
    {"bolag", OrgKind::kBolag},
    {"polis", OrgKind::kPolis},
    {"räddningstjänst", OrgKind::kRaddningstjanst},
    {"näringsliv", OrgKind::kNaringsliv},
    {"förening", OrgKind::kForening},
    {"civilsamhälle", OrgKind::kCivilsamhalle},
    {"bevakning", OrgKind::kBevakning},
    {"fastighetsägare", OrgKind::kFastighetsagare},
    {"annan", OrgKind::kAnnan},
}};
constexpr std::array<std::pair<std::string_view, Role>, 5> kRoles{{
    {"reporter", Role::kReporter},
    {"coordinator", Role::kCoordinator},
    {"org_lead", Role::kOrgLead},
    {"viewer", Role::kViewer},
    {"admin", Role::kAdmin},
}};
constexpr std::array<std::pair<std::string_view, Dimension>, 2> kDimensions{{
    {"säkerhet", Dimension::kSakerhet},
    {"trygghet", Dimension::kTrygghet},
}};
constexpr std::array<std::pair<std::string_view, Certainty>, 4> kCertainties{{
    {"observed", Certainty::kObserved},
    {"suspected", Certainty::kSuspected},
    {"observerad", Certainty::kObserved},
    {"misstänkt", Certainty::kSuspected},
}};
constexpr std::array<std::pair<std::string_view, ReportStatus>, 4> kStatuses{{
    {"new", ReportStatus::kNew},
    {"reviewed", ReportStatus::kReviewed},
    {"rejected", ReportStatus::kRejected},
    {"duplicate", ReportStatus::kDuplicate},
}};

}  // namespace

std::string_view OrgKindText(OrgKind k) { return EnumText(k, kOrgKinds); }
Result<OrgKind> ParseOrgKind(std::string_view s) { return ParseEnum("kind", s, kOrgKinds); }
std::string_view RoleText(Role r) { return EnumText(r, kRoles); }
Result<Role> ParseRole(std::string_view s) { return ParseEnum("role", s, kRoles); }
std::string_view DimensionText(Dimension d) { return EnumText(d, kDimensions); }
Result<Dimension> ParseDimension(std::string_view s) {
  return ParseEnum("dimension", s, kDimensions);
}
std::string_view CertaintyText(Certainty c) { return EnumText(c, kCertainties); }
Result<Certainty> ParseCertainty(std::string_view s) {
  return ParseEnum("certainty", s, kCertainties);
}
std::string_view ReportStatusText(ReportStatus s) { return EnumText(s, kStatuses); }
Result<ReportStatus> ParseReportStatus(std::string_view s) {
  return ParseEnum("status", s, kStatuses);
}
std::string_view ReportSourceText(ReportSource s) {
  switch (s) {
    case ReportSource::kForm:
      return "form";
    case ReportSource::kImport:
      return "import";
    case ReportSource::kPolice:
      return "police";
    case ReportSource::kCitizen:
      return "medborgare";
  }
  return "form";
}

Result<ReportSource> ParseReportSource(std::string_view s) {
  for (ReportSource r : {ReportSource::kForm, ReportSource::kImport, ReportSource::kPolice,
                         ReportSource::kCitizen}) {
    if (s == ReportSourceText(r)) return r;
  }
  return MakeError(ErrorCode::kInvalidArgument, "Okänd källa",
                   {{"source", "måste vara form, import, police eller medborgare"}});
}

std::string MakeCode(std::string_view name) {
  std::string folded = FoldText(name);
  std::string out;
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 128) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 64) out.resize(64);
  return out.empty() ? "x" : out;
}

std::vector<Category> DefaultCategories() {
  struct Row {
    const char* code;
    const char* sv;
    const char* en;
    const char* group;
    Dimension dim;
    int severity;
  };
  static const Row kRows[] = {
      {"skadegorelse", "Skadegörelse", "Vandalism", "egendom", Dimension::kSakerhet, 2},
      {"klotter", "Klotter", "Graffiti", "egendom", Dimension::kSakerhet, 1},
      {"nedskrapning", "Nedskräpning", "Littering", "miljö", Dimension::kTrygghet, 1},
      {"anlagd_brand", "Anlagd brand", "Arson", "brand", Dimension::kSakerhet, 3},
      {"narkotika", "Narkotikahantering (öppen/misstänkt)", "Drug dealing (open/suspected)",
       "brott", Dimension::kSakerhet, 3},
      {"storande_samling", "Störande samling", "Disturbing gathering", "ordning",
       Dimension::kTrygghet, 2},
      {"vald", "Våld/misshandel/rån", "Violence, assault, robbery", "brott", Dimension::kSakerhet,
       3},
      {"hot_anstalld", "Hot eller incident mot anställd", "Threat or incident against staff",
       "brott", Dimension::kSakerhet, 3},
      {"buskorning", "Buskörning/olovlig trafik", "Reckless or illegal driving", "trafik",
       Dimension::kSakerhet, 2},
      {"inbrott_stold", "Inbrott/stöld", "Burglary, theft", "brott", Dimension::kSakerhet, 2},
      {"otrygg_plats", "Otrygg plats (belysning, buskage, ödslighet)",
       "Unsafe place (lighting, bushes, desolation)", "miljö", Dimension::kTrygghet, 1},
      {"fysisk_miljo", "Fysisk miljö/fel", "Physical environment, defects", "miljö",
       Dimension::kTrygghet, 1},
      {"ryktesspridning", "Ryktesspridning i sociala medier", "Rumours on social media", "ordning",
       Dimension::kTrygghet, 2},
      {"evenemang", "Evenemang med förhöjd risk", "Event with elevated risk", "ordning",
       Dimension::kTrygghet, 2},
      {"ordningsstorning", "Ordningsstörning (övrigt)", "Other disorder", "ordning",
       Dimension::kSakerhet, 2},
  };
  std::vector<Category> out;
  for (const Row& r : kRows) {
    Category c;
    c.code = r.code;
    c.name_sv = r.sv;
    c.name_en = r.en;
    c.group = r.group;
    c.dimension = r.dim;
    c.default_severity = r.severity;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<FieldError> ValidateCode(std::string_view field, std::string_view code) {
  std::vector<FieldError> errors;
  if (code.empty()) {
    errors.push_back({std::string(field), "får inte vara tom"});
  } else if (code.size() > 64) {
    errors.push_back({std::string(field), "får vara högst 64 tecken"});
  } else {
    for (char c : code) {
      bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      if (!ok) {
        errors.push_back({std::string(field),
                          "får bara innehålla a–z, A–Z, 0–9, bindestreck, punkt och understreck"});
        break;
      }
    }
  }
  return errors;
}

std::vector<FieldError> ValidateName(std::string_view field, std::string_view name,
                                     size_t max_len) {
  std::vector<FieldError> errors;
  size_t begin = name.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    errors.push_back({std::string(field), "får inte vara tom"});
  } else if (name.size() > max_len) {
    errors.push_back({std::string(field), "får vara högst " + std::to_string(max_len) + " tecken"});
  }
  return errors;
}

}  // namespace est
