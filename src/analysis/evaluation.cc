#include "analysis/evaluation.h"

#include <cmath>
#include <string>
#include <utility>

namespace est::analysis {
namespace {

constexpr double kZ95 = 1.96;  // REFERENCE.md 3.7 and the crimede-coder calculator use 1.96

Status CheckCount(int64_t value, const char* field) {
  if (value < 0) return InvalidField(field, "antalet får inte vara negativt");
  return {};
}

// The interval, z and p from the estimate and variance.
void Finish(WddResult& r) {
  r.se = std::sqrt(r.variance);
  r.ci_low = r.estimate - kZ95 * r.se;
  r.ci_high = r.estimate + kZ95 * r.se;
  if (r.se > 0) {
    r.z = r.estimate / r.se;
    r.p = std::erfc(std::fabs(r.z) / std::sqrt(2.0));
  }
}

}  // namespace

Result<WddResult> Wdd(const WddCounts& c) {
  const std::pair<int64_t, const char*> fields[] = {
      {c.treated_before, "treated_before"},
      {c.treated_after, "treated_after"},
      {c.control_before, "control_before"},
      {c.control_after, "control_after"},
      {c.displacement_before, "displacement_before"},
      {c.displacement_after, "displacement_after"},
      {c.displacement_control_before, "displacement_control_before"},
      {c.displacement_control_after, "displacement_control_after"},
  };
  for (const auto& [value, name] : fields) {
    if (auto s = CheckCount(value, name); !s) return tl::unexpected(s.error());
  }
  // Written as !(x > 0) so that NaN is rejected too.
  if (!(c.before_length > 0) || !std::isfinite(c.before_length)) {
    return InvalidField("before_length", "periodens längd måste vara större än 0");
  }
  if (!(c.after_length > 0) || !std::isfinite(c.after_length)) {
    return InvalidField("after_length", "periodens längd måste vara större än 0");
  }
  const double k = c.after_length / c.before_length;  // scales a before count to the after period
  auto d = [](int64_t x) { return static_cast<double>(x); };

  WddResult r;
  r.estimate = (d(c.treated_after) - k * d(c.treated_before)) -
               (d(c.control_after) - k * d(c.control_before)) +
               (d(c.displacement_after) - k * d(c.displacement_before)) -
               (d(c.displacement_control_after) - k * d(c.displacement_control_before));
  r.variance = d(c.treated_after) + d(c.control_after) + d(c.displacement_after) +
               d(c.displacement_control_after) +
               k * k *
                   (d(c.treated_before) + d(c.control_before) + d(c.displacement_before) +
                    d(c.displacement_control_before));
  r.expected_treated_after = k * d(c.treated_before) + d(c.control_after) - k * d(c.control_before);
  Finish(r);
  return r;
}

Result<WddResult> ScaledWdd(const WddCounts& c) {
  WddCounts plain = c;
  auto checked = Wdd(plain);  // the same checks of every count and length
  if (!checked) return checked;
  if (c.control_before <= 0) {
    return InvalidField("control_before",
                        "jämförelseområdet har inga rapporter före; det finns inget att skala med");
  }
  const bool displacement = c.displacement_before || c.displacement_after ||
                            c.displacement_control_before || c.displacement_control_after;
  if (displacement && c.displacement_control_before <= 0) {
    return InvalidField("displacement_control_before",
                        "buffertens jämförelseområde har inga rapporter före; det finns inget att "
                        "skala med");
  }
  auto d = [](int64_t x) { return static_cast<double>(x); };
  // One pair: the after count against b · ca / cb, and the delta-method variance of that.
  struct Pair {
    double estimate, variance, scale, expected;
  };
  auto pair = [&](int64_t after, int64_t before, int64_t c_after, int64_t c_before) {
    const double a = d(after), b = d(before), ca = d(c_after), cb = d(c_before);
    const double ratio = ca / cb;
    const double expected = b * ratio;
    const double v = a + ratio * ratio * b + (b / cb) * (b / cb) * ca +
                     (b * ca / (cb * cb)) * (b * ca / (cb * cb)) * cb;
    return Pair{a - expected, v, b / cb, expected};
  };
  WddResult r;
  r.scaled = true;
  Pair t = pair(c.treated_after, c.treated_before, c.control_after, c.control_before);
  r.estimate = t.estimate;
  r.variance = t.variance;
  r.scale = t.scale;
  r.expected_treated_after = t.expected;
  if (displacement) {
    Pair dp = pair(c.displacement_after, c.displacement_before, c.displacement_control_after,
                   c.displacement_control_before);
    r.estimate += dp.estimate;
    r.variance += dp.variance;
    r.scale_displacement = dp.scale;
  }
  Finish(r);
  return r;
}

Result<WdqResult> Wdq(const WdqCounts& c) {
  const std::pair<int64_t, const char*> fields[] = {
      {c.treated_before, "treated_before"}, {c.treated_after, "treated_after"},
      {c.control_before, "control_before"}, {c.control_after, "control_after"},
      {c.buffer_before, "buffer_before"},   {c.buffer_after, "buffer_after"},
  };
  for (const auto& [value, name] : fields) {
    if (auto s = CheckCount(value, name); !s) return tl::unexpected(s.error());
  }
  if (c.control_before == 0) {
    return InvalidField("control_before", "jämförelseområdet måste ha minst en händelse");
  }
  if (c.control_after == 0) {
    return InvalidField("control_after", "jämförelseområdet måste ha minst en händelse");
  }
  auto d = [](int64_t x) { return static_cast<double>(x); };
  const double rb = d(c.treated_before), ra = d(c.treated_after);
  const double cb = d(c.control_before), ca = d(c.control_after);
  const double db = d(c.buffer_before), da = d(c.buffer_after);

  WdqResult r;
  r.gross_effect = rb - ra;
  r.net_effect = rb / cb - ra / ca;
  r.success_measure = ra / ca - rb / cb;
  r.buffer_measure = da / ca - db / cb;
  const double control_trend = ca / cb;
  r.total_net_effect = (rb * control_trend - ra) + (db * control_trend - da);
  if (r.success_measure != 0) r.wdq = r.buffer_measure / r.success_measure;
  if (r.success_measure < 0) {
    const double q = *r.wdq;
    if (q > 1) {
      r.reading = WdqReading::kDiffusionExceedsDirect;
    } else if (q > 0) {
      r.reading = WdqReading::kSomeDiffusion;
    } else if (q == 0) {
      r.reading = WdqReading::kNoBufferChange;
    } else if (q >= -1) {
      r.reading = WdqReading::kDisplacementNetGain;
    } else {
      r.reading = WdqReading::kDisplacementExceeds;
    }
  }
  return r;
}

}  // namespace est::analysis
