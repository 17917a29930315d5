// The facts generator: one header and up to GeneratorOptions::max_records records per session.
#include "tests/differential/facts_generator.h"

#include <functional>
#include <vector>

#include "tests/differential/vocabulary.h"

namespace edict::differential {
namespace {

class FactsGenerator {
 public:
  FactsGenerator(Entropy& entropy, const GeneratorOptions& options) : e_(entropy), options_(options) {}

  std::string Run() {
    std::string facts;
    for (size_t session = 0; session < options_.sessions; ++session) {
      std::string header = "{\"type\":\"header\",\"schema\":\"gen/1.0\",\"session\":{\"id\":\"s" + std::to_string(session) +
                           "\",\"started_at\":" + JsonString(e_.Pick(kFactTimestamps));
      Optional(header, "first", [this] { return std::string(e_.Chance(50) ? "true" : "false"); });
      header += "},\"app\":{\"id\":\"gen.app\"";
      Optional(header, "level", [this] { return JsonInt(); });
      facts += header + "}}\n";
      for (size_t i = 0, n = e_.Below(options_.max_records + 1); i < n; ++i) {
        facts += Record(static_cast<int>(e_.Below(kKinds)), static_cast<int64_t>(i + 1)) + "\n";
      }
    }
    return facts;
  }

 private:
  std::string JsonString(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

  std::string JsonInt() {
    static const std::vector<std::string> ints = {"0", "1", "2", "3", "5", "-1", "-7", "100", "4611686018427387904",
                                                  "9223372036854775807", "-9223372036854775807", "-9223372036854775808"};
    return e_.Pick(ints);
  }

  std::string JsonWord() { return JsonString(e_.Chance(5) ? "" : e_.Pick(kWords)); }

  std::string JsonList(const std::function<std::string()>& element) {
    std::string list = "[";
    for (size_t i = 0, n = e_.Below(4); i < n; ++i) {
      if (i > 0) list += ',';
      list += element();
    }
    return list + "]";
  }

  // An optional field: absent, null, or a value.
  void Optional(std::string& record, const char* name, const std::function<std::string()>& value) {
    size_t choice = e_.Below(10);
    if (choice < 4) return;
    record += std::string(",\"") + name + "\":" + (choice == 4 ? "null" : value());
  }

  std::string Record(int kind, int64_t seq) {
    std::string r = std::string("{\"type\":\"") + kKindNames[kind] + "\",\"seq\":" + std::to_string(seq);
    // One choice per statement: the operands of `+` are evaluated in an order the compiler picks,
    // and the same entropy must give the same facts whatever the compiler.
    if (kind != kNote) {
      size_t t = e_.Below(13) * 5000;
      if (e_.Chance(20)) t += e_.Below(1000);
      r += ",\"t\":" + std::to_string(t);
    }
    r += ",\"n\":" + JsonInt();
    r += ",\"s\":" + JsonWord();
    if (kind == kNote) {
      Optional(r, "d", [this] { return std::to_string(e_.Below(100000)); });
      return r + "}";
    }
    r += ",\"e\":" + JsonString(e_.Pick(kWords));
    r += ",\"tags\":" + JsonList([this] { return JsonWord(); });
    r += ",\"ds\":" + JsonList([this] { return JsonString(e_.Pick(kFactDataTypes)); });
    if (kind == kAct) {
      Optional(r, "fs", [this] {
        return JsonList([this] {
          std::string frame = "{\"cls\":" + JsonWord();
          Optional(frame, "line", [this] { return JsonInt(); });
          return frame + "}";
        });
      });
      return r + "}";
    }
    static const std::vector<std::string> doubles = {"0.0", "0.5", "-1.5", "2", "1e300", "-1e300", "3.25", "1e-300"};
    r += ",\"x\":" + e_.Pick(doubles);
    r += ",\"nums\":" + JsonList([this] { return JsonInt(); });
    Optional(r, "b", [this] { return std::string(e_.Chance(50) ? "true" : "false"); });
    Optional(r, "m", [this] { return JsonInt(); });
    Optional(r, "k", [this] { return JsonInt(); });
    Optional(r, "at", [this] { return JsonString(e_.Pick(kFactTimestamps)); });
    Optional(r, "who", [this] {
      std::string who = "{\"name\":" + JsonWord();
      Optional(who, "score", [this] { return JsonInt(); });
      return who + "}";
    });
    return r + "}";
  }

  Entropy& e_;
  GeneratorOptions options_;
};

}  // namespace

std::string GenerateFacts(Entropy& entropy, const GeneratorOptions& options) {
  return FactsGenerator(entropy, options).Run();
}

}  // namespace edict::differential
