// simdjson's DOM parse_many over the whole file: every value validated and materialised on the tape,
// which is at least the work any loader of the same JSON must do.
#include "bench/raw_parse.h"

#include <simdjson.h>

namespace edict::bench {

RawParse MeasureRawParse(const std::string& path, int repeat) {
  RawParse result;
  Stopwatch read_watch;
  simdjson::padded_string text;
  if (auto error = simdjson::padded_string::load(path).get(text); error) {
    result.error = simdjson::error_message(error);
    return result;
  }
  result.read = read_watch.Read();
  result.bytes = text.size();

  simdjson::dom::parser parser;
  for (int run = 0; run < repeat; ++run) {
    Stopwatch watch;
    simdjson::dom::document_stream stream;
    if (auto error = parser.parse_many(text, simdjson::dom::DEFAULT_BATCH_SIZE).get(stream); error) {
      result.error = simdjson::error_message(error);
      return result;
    }
    uint64_t documents = 0;
    for (auto document : stream) {
      if (document.error()) {
        result.error = simdjson::error_message(document.error());
        return result;
      }
      ++documents;
    }
    Elapsed elapsed = watch.Read();
    result.parse = run == 0 ? elapsed : Fastest(result.parse, elapsed);
    result.documents = documents;
  }
  result.ok = true;
  return result;
}

}  // namespace edict::bench
