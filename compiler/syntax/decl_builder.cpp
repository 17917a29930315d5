// AstBuilder: the pack manifest and the declarations (records, values, tables, params, profiles,
// functions, rules, tests).
#include "compiler/syntax/ast_builder.h"

#include "compiler/syntax/literals.h"
#include "compiler/syntax/token_scan.h"

namespace edict::syntax {

namespace {

template <typename Ctx>
Ctx* As(antlr4::ParserRuleContext* ctx) {
  return dynamic_cast<Ctx*>(ctx);
}

}  // namespace

diag::SourceRange AstBuilder::Range(antlr4::ParserRuleContext* ctx) const {
  antlr4::Token* stop = ctx->getStop();
  if (stop == nullptr || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) {
    diag::SourceRange start = text_.TokenRange(ctx->getStart());
    return {start.file, start.begin, start.begin};
  }
  return text_.Span(ctx->getStart(), stop);
}

std::string AstBuilder::Kebab(P::KebabNameContext* ctx, diag::SourceRange* range) {
  std::string name;
  bool spaced = false;
  size_t previous_stop = 0;
  for (size_t i = 0; i < ctx->children.size(); ++i) {
    antlr4::ParserRuleContext* part = dynamic_cast<antlr4::ParserRuleContext*>(ctx->children[i]);
    antlr4::Token* token = part != nullptr ? part->getStart()
                                           : static_cast<antlr4::tree::TerminalNode*>(ctx->children[i])->getSymbol();
    if (i > 0 && token->getStartIndex() != previous_stop + 1) spaced = true;
    previous_stop = token->getStopIndex();
    name += Text(token);
  }
  *range = Range(ctx);
  if (spaced) context_.diags.Report(diag::DiagId::kSpaceInKebabName, *range, {name});
  return name;
}

std::string AstBuilder::Dotted(const std::vector<P::AnyNameContext*>& parts) {
  std::string name;
  for (P::AnyNameContext* part : parts) {
    if (!name.empty()) name += '.';
    name += Text(part);
  }
  return name;
}

std::string AstBuilder::DecodeString(antlr4::Token* token) {
  std::string_view written = text_.TokenText(token);
  DecodedText decoded;
  LiteralError error;
  if (DecodeQuoted(written, &decoded, &error)) return std::move(decoded.value);
  diag::SourceRange whole = Range(token);
  diag::SourceRange at{whole.file, text_.FileOffsetOfByte(text_.TextOffset(token->getStartIndex()) + error.offset), 0};
  at.end = at.begin + error.length;
  diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kInvalidEscape, at,
                                              {error.what, IsBytesToken(written) ? "bytes" : "string"});
  d.help = error.help;
  return {};
}

bool AstBuilder::CheckOnce(const char* item, const char* where, diag::SourceRange* given, diag::SourceRange here) {
  if (!given->valid()) {
    *given = here;
    return true;
  }
  diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kRepeatedItem, here, {item, where});
  d.notes.push_back({*given, "first given here"});
  return false;
}

std::unique_ptr<ast::Manifest> AstBuilder::BuildManifest(P::PackDeclContext* ctx) {
  auto manifest = std::make_unique<ast::Manifest>();
  manifest->range = Range(ctx);
  manifest->name = Kebab(ctx->name, &manifest->name_range);
  manifest->version = Text(ctx->version);
  manifest->version_range = Range(ctx->version);
  for (P::ManifestItemContext* item : ctx->manifestItem()) {
    if (auto* import = As<P::ManifestImportContext>(item)) {
      ast::Import entry;
      entry.pack = Kebab(import->name, &entry.range);
      entry.range = Range(import);
      if (import->op != nullptr) {
        entry.op = Text(import->op);
        entry.version = Text(import->version);
      }
      manifest->imports.push_back(std::move(entry));
    } else if (auto* entry = As<P::ManifestEntryContext>(item)) {
      manifest->entries.push_back(ast::Entry{Text(entry->key), Range(entry->key), BuildExpr(entry->value)});
    }
  }
  return manifest;
}

ast::Decl* AstBuilder::BuildDecl(P::TopDeclContext* ctx) {
  if (auto* c = ctx->recordDecl()) return BuildRecord(ast::DeclKind::kRecord, c->name, c->base, c->fieldDecl(), c);
  if (auto* c = ctx->structDecl()) return BuildRecord(ast::DeclKind::kStruct, c->name, c->base, c->fieldDecl(), c);
  if (auto* c = ctx->typeAlias()) return BuildTypeAlias(c);
  if (auto* c = ctx->constDecl()) return BuildValue(ast::DeclKind::kConst, c->name, c->typeExpr(), c->value, c);
  if (auto* c = ctx->setDecl()) return BuildValue(ast::DeclKind::kSet, c->name, c->elem, c->value, c);
  if (auto* c = ctx->tableDecl()) return BuildTable(c);
  if (auto* c = ctx->paramDecl()) return BuildParam(c);
  if (auto* c = ctx->profileDecl()) return BuildProfile(c);
  if (auto* c = ctx->letDecl()) return BuildValue(ast::DeclKind::kLet, c->name, c->typeExpr(), c->value, c);
  if (auto* c = ctx->fnDecl()) return BuildFn(c);
  if (auto* c = ctx->ruleDecl()) return BuildRule(c);
  return BuildTest(ctx->testDecl());
}

ast::RecordDecl* AstBuilder::BuildRecord(ast::DeclKind kind, P::AnyNameContext* name, P::AnyNameContext* base,
                                         const std::vector<P::FieldDeclContext*>& fields,
                                         antlr4::ParserRuleContext* whole) {
  auto* decl = context_.arena.Make<ast::RecordDecl>(kind);
  decl->name = Text(name);
  decl->name_range = Range(name);
  decl->range = Range(whole);
  if (base != nullptr) {
    decl->base = Text(base);
    decl->base_range = Range(base);
  }
  for (P::FieldDeclContext* field : fields) decl->fields.push_back(BuildField(field));
  return decl;
}

ast::FieldDecl* AstBuilder::BuildField(P::FieldDeclContext* ctx) {
  auto* field = context_.arena.Make<ast::FieldDecl>();
  field->name = Text(ctx->name);
  field->name_range = Range(ctx->name);
  field->type = BuildType(ctx->typeExpr());
  if (ctx->dflt != nullptr) field->default_value = BuildExpr(ctx->dflt);
  field->range = Range(ctx);
  return field;
}

ast::TypeExpr* AstBuilder::BuildType(P::TypeExprContext* ctx) {
  auto* type = context_.arena.Make<ast::TypeExpr>();
  type->range = Range(ctx);
  type->optional = ctx->opt != nullptr;
  P::TypeAtomContext* atom = ctx->typeAtom();
  if (auto* generic = As<P::GenericTypeContext>(atom)) {
    type->kind = ast::TypeKind::kGeneric;
    type->name = Dotted(generic->name->anyName());
    for (P::TypeExprContext* arg : generic->typeExpr()) type->args.push_back(BuildType(arg));
  } else if (auto* enumeration = As<P::EnumTypeContext>(atom)) {
    type->kind = ast::TypeKind::kEnum;
    for (antlr4::tree::TerminalNode* value : enumeration->STRING()) {
      type->values.push_back(DecodeString(value->getSymbol()));
    }
  } else if (auto* inline_struct = As<P::InlineStructTypeContext>(atom)) {
    type->kind = ast::TypeKind::kStruct;
    for (P::FieldDeclContext* field : inline_struct->fieldDecl()) type->fields.push_back(BuildField(field));
  } else {
    type->kind = ast::TypeKind::kNamed;
    type->name = Dotted(As<P::NamedTypeContext>(atom)->name->anyName());
  }
  return type;
}

ast::Decl* AstBuilder::BuildTypeAlias(P::TypeAliasContext* ctx) {
  auto* decl = context_.arena.Make<ast::TypeAliasDecl>();
  decl->name = Text(ctx->name);
  decl->name_range = Range(ctx->name);
  decl->range = Range(ctx);
  decl->type = BuildType(ctx->typeExpr());
  return decl;
}

ast::Decl* AstBuilder::BuildValue(ast::DeclKind kind, P::AnyNameContext* name, P::TypeExprContext* type,
                                  P::ExprContext* value, antlr4::ParserRuleContext* whole) {
  auto* decl = context_.arena.Make<ast::ValueDecl>(kind);
  decl->name = Text(name);
  decl->name_range = Range(name);
  decl->range = Range(whole);
  if (type != nullptr) decl->type = BuildType(type);
  decl->value = BuildExpr(value);
  return decl;
}

ast::Decl* AstBuilder::BuildTable(P::TableDeclContext* ctx) {
  auto* decl = context_.arena.Make<ast::TableDecl>();
  decl->name = Text(ctx->name);
  decl->name_range = Range(ctx->name);
  decl->range = Range(ctx);
  for (P::ColumnDeclContext* column : ctx->columnDecl()) {
    auto* field = context_.arena.Make<ast::FieldDecl>();
    field->name = Text(column->name);
    field->name_range = Range(column->name);
    field->type = BuildType(column->typeExpr());
    field->range = Range(column);
    decl->columns.push_back(field);
  }
  if (ctx->key != nullptr) {
    decl->key = Text(ctx->key);
    decl->key_range = Range(ctx->key);
  }
  for (P::TableRowContext* row : ctx->tableRow()) {
    ast::TableDecl::Row built;
    built.range = Range(row);
    for (P::ExprContext* cell : row->expr()) built.cells.push_back(BuildExpr(cell));
    decl->rows.push_back(std::move(built));
  }
  return decl;
}

ast::Decl* AstBuilder::BuildParam(P::ParamDeclContext* ctx) {
  auto* decl = context_.arena.Make<ast::ParamDecl>();
  decl->name = Text(ctx->name);
  decl->name_range = Range(ctx->name);
  decl->range = Range(ctx);
  decl->type = BuildType(ctx->typeExpr());
  decl->default_value = BuildExpr(ctx->value);
  if (ctx->note != nullptr) {
    decl->note = DecodeString(ctx->note);
    decl->note_range = Range(ctx->note);
  }
  return decl;
}

ast::Decl* AstBuilder::BuildProfile(P::ProfileDeclContext* ctx) {
  auto* decl = context_.arena.Make<ast::ProfileDecl>();
  decl->name = Kebab(ctx->name, &decl->name_range);
  decl->range = Range(ctx);
  if (ctx->base != nullptr) decl->base = Kebab(ctx->base, &decl->base_range);
  diag::SourceRange note_given;
  for (P::ProfileItemContext* item : ctx->profileItem()) {
    if (auto* note = As<P::ProfileNoteContext>(item)) {
      if (CheckOnce("note", "a profile", &note_given, Range(note))) decl->note = DecodeString(note->note);
    } else if (auto* assign = As<P::ProfileAssignContext>(item)) {
      decl->assignments.push_back({Text(assign->name), Range(assign->name), BuildExpr(assign->value)});
    }
  }
  return decl;
}

ast::Decl* AstBuilder::BuildFn(P::FnDeclContext* ctx) {
  auto* decl = context_.arena.Make<ast::FnDecl>();
  decl->name = Text(ctx->name);
  decl->name_range = Range(ctx->name);
  decl->range = Range(ctx);
  for (P::FnParamContext* param : ctx->fnParam()) {
    decl->params.push_back({Text(param->name), Range(param->name), BuildType(param->typeExpr())});
  }
  if (ctx->ret != nullptr) decl->result = BuildType(ctx->ret);
  decl->body = BuildExpr(ctx->body);
  return decl;
}

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
