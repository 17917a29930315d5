// AstBuilder: rules (needs, bindings, sequences, conditions, grouping, entries) and tests.
#include "compiler/syntax/ast_builder.h"

#include "compiler/syntax/literals.h"

namespace edict::syntax {

ast::Binding* AstBuilder::BuildBinding(P::AnyNameContext* name, P::ExprContext* source,
                                       antlr4::ParserRuleContext* whole) {
  auto* binding = context_.arena.Make<ast::Binding>();
  binding->name = Text(name);
  binding->name_range = Range(name);
  binding->source = BuildExpr(source);
  binding->range = Range(whole);
  return binding;
}

ast::Decl* AstBuilder::BuildRule(P::RuleDeclContext* ctx) {
  auto* rule = context_.arena.Make<ast::RuleDecl>();
  rule->name = Kebab(ctx->id, &rule->name_range);
  rule->range = Range(ctx);
  for (P::RuleItemContext* item : ctx->ruleItem()) AddRuleItem(rule, item);
  return rule;
}

ast::Need AstBuilder::BuildNeed(P::NeedItemContext* ctx) {
  ast::Need need;
  need.range = Range(ctx);
  std::vector<P::NeedPathContext*> paths;
  if (auto* alternatives = As<P::NeedAlternativesContext>(ctx)) {
    paths = alternatives->needPath();
  } else {
    need.exemption_only = true;
    paths.push_back(As<P::NeedExemptionOnlyContext>(ctx)->needPath());
  }
  for (P::NeedPathContext* path : paths) {
    need.alternatives.push_back(Dotted(path->anyName()));
    need.alternative_ranges.push_back(Range(path));
  }
  return need;
}

void AstBuilder::AddRuleItem(ast::RuleDecl* rule, P::RuleItemContext* item) {
  // The AST holds one `needs`, `match`, `where`, ... per rule: a second one is reported, not merged.
  if (auto* entry = As<P::RuleEntryContext>(item)) {
    ast::Entry built{Text(entry->key), Range(entry->key), nullptr};
    antlr4::Token* literal = built.key == "report" ? AsStringLiteral(entry->value) : nullptr;
    built.value = literal != nullptr ? BuildTemplate(literal) : BuildExpr(entry->value);
    rule->entries.push_back(std::move(built));
  } else if (auto* needs = As<P::RuleNeedsContext>(item)) {
    if (!CheckOnce("needs", "a rule", &rule->needs_range, Range(needs))) return;
    rule->has_needs = true;
    for (P::NeedItemContext* need : needs->needItem()) rule->needs.push_back(BuildNeed(need));
  } else if (auto* match = As<P::RuleMatchContext>(item)) {
    if (!rule->match.empty()) {
      diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kRepeatedItem, Range(match), {"match", "a rule"});
      d.notes.push_back({rule->match.front()->range, "first given here"});
      d.help = "list all bindings in one `match`, separated by commas";
      return;
    }
    for (P::BindingContext* binding : match->binding()) {
      rule->match.push_back(BuildBinding(binding->name, binding->source, binding));
    }
  } else if (auto* sequence = As<P::RuleSequenceContext>(item)) {
    if (!rule->sequence.empty()) {
      diag::Diagnostic& d =
          context_.diags.Report(diag::DiagId::kRepeatedItem, Range(sequence), {"sequence", "a rule"});
      d.notes.push_back({rule->sequence.front().binding->range, "first given here"});
      return;
    }
    rule->sequence.push_back({BuildBinding(sequence->first->name, sequence->first->source, sequence->first), nullptr});
    for (P::SeqStepContext* step : sequence->seqStep()) {
      P::BindingContext* binding = step->binding();
      rule->sequence.push_back({BuildBinding(binding->name, binding->source, binding),
                                step->within != nullptr ? BuildExpr(step->within) : nullptr});
    }
    for (P::SeqWithoutContext* without : sequence->seqWithout()) {
      P::BindingContext* binding = without->binding();
      rule->without.push_back({BuildBinding(binding->name, binding->source, binding),
                               without->cond != nullptr ? BuildExpr(without->cond) : nullptr});
    }
  } else if (auto* where = As<P::RuleWhereContext>(item)) {
    if (rule->where != nullptr) {
      diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kRepeatedItem, Range(where), {"where", "a rule"});
      d.notes.push_back({rule->where->range, "first given here"});
      d.help = "join the conditions with &&";
      return;
    }
    rule->where = BuildExpr(where->cond);
  } else if (auto* group = As<P::RuleGroupByContext>(item)) {
    if (!CheckOnce("group by", "a rule", &rule->group_by_range, Range(group))) return;
    for (P::GroupKeyContext* key : group->groupKey()) {
      ast::GroupKey built;
      if (key->name != nullptr) {
        built.name = Text(key->name);
        built.name_range = Range(key->name);
      }
      built.value = BuildExpr(key->value);
      rule->group_by.push_back(std::move(built));
    }
  } else if (auto* window = As<P::RuleWindowContext>(item)) {
    if (rule->window != nullptr) {
      diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kRepeatedItem, Range(window), {"window", "a rule"});
      d.notes.push_back({rule->window->range, "first given here"});
      return;
    }
    rule->window = BuildExpr(window->width);
  } else if (auto* having = As<P::RuleHavingContext>(item)) {
    if (rule->having != nullptr) {
      diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kRepeatedItem, Range(having), {"having", "a rule"});
      d.notes.push_back({rule->having->range, "first given here"});
      d.help = "join the conditions with &&";
      return;
    }
    rule->having = BuildExpr(having->cond);
  }
}

ast::Decl* AstBuilder::BuildTest(P::TestDeclContext* ctx) {
  auto* test = context_.arena.Make<ast::TestDecl>();
  test->name = DecodeString(ctx->name);
  test->name_range = Range(ctx->name);
  test->range = Range(ctx);
  for (P::TestItemContext* item : ctx->testItem()) AddTestItem(test, item);
  return test;
}

void AstBuilder::AddTestItem(ast::TestDecl* test, P::TestItemContext* item) {
  if (auto* file = As<P::TestFactsFileContext>(item)) {
    if (!CheckOnce("facts", "a test", &test->facts_range, Range(file))) return;
    test->facts_path = DecodeString(file->path);
  } else if (auto* facts = As<P::TestFactsInlineContext>(item)) {
    if (!CheckOnce("facts", "a test", &test->facts_range, Range(facts))) return;
    test->inline_facts = true;
    for (P::ExprContext* fact : facts->expr()) test->facts.push_back(BuildExpr(fact));
  } else if (auto* profile = As<P::TestProfileContext>(item)) {
    diag::SourceRange name_range;
    std::string name = Kebab(profile->name, &name_range);
    if (!CheckOnce("profile", "a test", &test->profile_range, name_range)) return;
    test->profile = std::move(name);
  } else if (auto* param = As<P::TestParamContext>(item)) {
    test->params.push_back({Text(param->name), Range(param->name), BuildExpr(param->value)});
  } else if (auto* expect = As<P::TestExpectContext>(item)) {
    ast::TestDecl::Expect built;
    built.rule = Kebab(expect->ruleId, &built.rule_range);
    built.range = Range(expect);
    for (P::ExpectationContext* expectation : expect->expectation()) {
      built.expectations.push_back(BuildExpectation(expectation));
    }
    test->expects.push_back(std::move(built));
  }
}

ast::Expectation AstBuilder::BuildExpectation(P::ExpectationContext* ctx) {
  ast::Expectation expectation;
  expectation.range = Range(ctx);
  if (auto* count = As<P::ExpectCountContext>(ctx)) {
    expectation.kind = ast::Expectation::Kind::kCount;
    if (ParseInt(false, Text(count->count), &expectation.count) != NumberStatus::kOk) {
      context_.diags.Report(diag::DiagId::kIntegerOutOfRange, Range(count->count),
                            {Text(count->count), "a 64-bit int"});
    }
    expectation.word = Text(count->unit);
  } else if (auto* field = As<P::ExpectFieldContext>(ctx)) {
    expectation.kind = ast::Expectation::Kind::kField;
    expectation.word = Text(field->key);
    expectation.value = BuildExpectValue(field->value);
  } else {
    expectation.kind = ast::Expectation::Kind::kOutcome;
    expectation.word = Text(As<P::ExpectOutcomeContext>(ctx)->outcome);
  }
  return expectation;
}

ast::ExpectValue AstBuilder::BuildExpectValue(P::ExpectValueContext* ctx) {
  ast::ExpectValue value;
  value.range = Range(ctx);
  if (ctx->STRING() != nullptr) {
    value.kind = ast::ExpectValue::Kind::kString;
    value.text = DecodeString(ctx->STRING()->getSymbol());
  } else if (ctx->NUM_INT() != nullptr) {
    value.kind = ast::ExpectValue::Kind::kInt;
    antlr4::Token* number = ctx->NUM_INT()->getSymbol();
    if (ParseInt(false, Text(number), &value.number) != NumberStatus::kOk) {
      context_.diags.Report(diag::DiagId::kIntegerOutOfRange, Range(number), {Text(number), "a 64-bit int"});
    }
  } else {
    value.kind = ast::ExpectValue::Kind::kList;
    for (P::ExpectValueContext* item : ctx->expectValue()) value.items.push_back(BuildExpectValue(item));
  }
  return value;
}

}  // namespace edict::syntax
