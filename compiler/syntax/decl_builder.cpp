// AstBuilder: the pack manifest and the declarations other than rules and tests (records, types,
// values, tables, params, profiles, functions), and the helpers for names and strings.
#include "compiler/syntax/ast_builder.h"

#include "compiler/syntax/literals.h"

namespace edict::syntax {

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

}  // namespace edict::syntax
