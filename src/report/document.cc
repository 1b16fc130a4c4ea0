// Document ⇄ JSON (the frozen form of a published document).
#include "report/document.h"

#include <nlohmann/json.hpp>

namespace est::report {
namespace {

using nlohmann::json;

json BlockJson(const Block& b) {
  if (const auto* p = std::get_if<Paragraph>(&b)) {
    return {{"type", "paragraph"}, {"text", p->text}, {"emphasis", p->emphasis}};
  }
  if (const auto* t = std::get_if<Table>(&b)) {
    return {{"type", "table"},
            {"name", t->name},
            {"columns", t->columns},
            {"numeric", t->numeric},
            {"rows", t->rows}};
  }
  if (const auto* c = std::get_if<Chart>(&b)) {
    json series = json::array();
    for (const auto& s : c->series) series.push_back({{"name", s.name}, {"values", s.values}});
    return {{"type", "chart"},   {"kind", c->kind == Chart::Kind::kBar ? "bar" : "line"},
            {"title", c->title}, {"labels", c->labels},
            {"series", series},  {"y_label", c->y_label}};
  }
  const auto& m = std::get<MapFigure>(b);
  json shapes = json::array();
  for (const auto& s : m.shapes) {
    json rings = json::array();
    for (const auto& r : s.rings) {
      json ring = json::array();
      for (const auto& [e, n] : r) ring.push_back({e, n});
      rings.push_back(ring);
    }
    shapes.push_back({{"label", s.label},
                      {"rings", rings},
                      {"value", s.value},
                      {"outline_only", s.outline_only}});
  }
  json points = json::array();
  for (const auto& [e, n] : m.points) points.push_back({e, n});
  return {{"type", "map"},
          {"title", m.title},
          {"shapes", shapes},
          {"points", points},
          {"legend", m.legend},
          {"points_legend", m.points_legend}};
}

Block BlockFrom(const json& j) {
  std::string type = j.at("type").get<std::string>();
  if (type == "paragraph") {
    return Paragraph{j.at("text").get<std::string>(), j.value("emphasis", false)};
  }
  if (type == "table") {
    Table t;
    t.name = j.value("name", "");
    t.columns = j.at("columns").get<std::vector<std::string>>();
    t.numeric = j.at("numeric").get<std::vector<bool>>();
    t.rows = j.at("rows").get<std::vector<std::vector<std::string>>>();
    return t;
  }
  if (type == "chart") {
    Chart c;
    c.kind = j.at("kind").get<std::string>() == "line" ? Chart::Kind::kLine : Chart::Kind::kBar;
    c.title = j.value("title", "");
    c.labels = j.at("labels").get<std::vector<std::string>>();
    for (const auto& s : j.at("series")) {
      c.series.push_back(
          {s.at("name").get<std::string>(), s.at("values").get<std::vector<double>>()});
    }
    c.y_label = j.value("y_label", "");
    return c;
  }
  if (type == "map") {
    MapFigure m;
    m.title = j.value("title", "");
    for (const auto& s : j.at("shapes")) {
      MapFigure::Shape shape;
      shape.label = s.value("label", "");
      shape.value = s.value("value", 0.0);
      shape.outline_only = s.value("outline_only", false);
      for (const auto& r : s.at("rings")) {
        std::vector<std::pair<double, double>> ring;
        for (const auto& p : r) ring.emplace_back(p.at(0).get<double>(), p.at(1).get<double>());
        shape.rings.push_back(std::move(ring));
      }
      m.shapes.push_back(std::move(shape));
    }
    for (const auto& p : j.at("points")) m.points.emplace_back(p.at(0), p.at(1));
    m.legend = j.value("legend", "");
    // Documents frozen before the field existed drew their points as hotspots.
    m.points_legend = j.value("points_legend", "hotspot");
    return m;
  }
  throw std::invalid_argument("okänd blocktyp " + type);
}

}  // namespace

json ToJson(const Document& d) {
  json sections = json::array();
  for (const auto& s : d.sections) {
    json blocks = json::array();
    for (const auto& b : s.blocks) blocks.push_back(BlockJson(b));
    sections.push_back({{"heading", s.heading}, {"blocks", blocks}});
  }
  return {{"kind", d.kind},
          {"title", d.title},
          {"subtitle", d.subtitle},
          {"period", d.period},
          {"generated_at", d.generated_at},
          {"version", d.version},
          {"sections", sections},
          {"sources", d.sources}};
}

Result<Document> DocumentFromJson(const json& j) {
  try {
    Document d;
    d.kind = j.at("kind").get<std::string>();
    d.title = j.at("title").get<std::string>();
    d.subtitle = j.value("subtitle", "");
    d.period = j.value("period", "");
    d.generated_at = j.value("generated_at", "");
    d.version = j.value("version", 0);
    for (const auto& s : j.at("sections")) {
      Section sec;
      sec.heading = s.value("heading", "");
      for (const auto& b : s.at("blocks")) sec.blocks.push_back(BlockFrom(b));
      d.sections.push_back(std::move(sec));
    }
    d.sources = j.value("sources", std::vector<std::string>{});
    return d;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("Inte ett dokument: ") + e.what());
  }
}

}  // namespace est::report
