// The ANTLR prediction state (DFA and context cache) of a worker thread that parses files
// alongside others (ParseFiles). The generated parser's own state is process-wide and grows as
// prediction meets new input; a worker's parsers use a state of their own instead, so that
// threads share nothing ANTLR writes while parsing.
#pragma once

#include <EdictParser.h>

#include <vector>

namespace edict::syntax {

class PredictionCache {
 public:
  PredictionCache() = default;
  PredictionCache(const PredictionCache&) = delete;
  PredictionCache& operator=(const PredictionCache&) = delete;

  // Makes this thread's parsers use this cache until the object dies.
  class Scope {
   public:
    explicit Scope(PredictionCache& cache);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
  };

  // Gives `parser` the calling thread's cache, if a Scope set one; else leaves it as it is.
  static void Install(grammar::EdictParser& parser);

 private:
  std::vector<antlr4::dfa::DFA> decisions_;
  antlr4::atn::PredictionContextCache contexts_;
};

}  // namespace edict::syntax
