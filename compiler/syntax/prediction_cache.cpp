// Per-thread ANTLR prediction state (see prediction_cache.h).
#include "compiler/syntax/prediction_cache.h"

namespace edict::syntax {

namespace {

thread_local PredictionCache* current = nullptr;

}  // namespace

PredictionCache::Scope::Scope(PredictionCache& cache) { current = &cache; }

PredictionCache::Scope::~Scope() { current = nullptr; }

void PredictionCache::Install(grammar::EdictParser& parser) {
  if (current == nullptr) return;
  const antlr4::atn::ATN& atn = parser.getATN();
  std::vector<antlr4::dfa::DFA>& decisions = current->decisions_;
  if (decisions.empty()) {
    for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i) decisions.emplace_back(atn.getDecisionState(i), i);
  }
  // setInterpreter deletes the simulator the generated constructor made; the generated destructor
  // deletes this one.
  parser.setInterpreter(new antlr4::atn::ParserATNSimulator(&parser, atn, decisions, current->contexts_));
}

}  // namespace edict::syntax
