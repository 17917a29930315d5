// Edict rule language: declarations (packs, schemas, rules, tests) around CEL expressions.
//
// Generated at build time by the Debian antlr4 tool (4.7.2) and linked with the 4.9 runtime.
// Binary operators are written as one flat loop (`a (op a)*`) rather than left recursion, so that a
// long chain such as `a + a + ... + a` yields a flat parse tree: the parse tree depth then grows
// only with bracket nesting, which the syntax layer bounds before ANTLR runs.
// Edict's own keywords are "soft": they stay usable as CEL identifiers and field names.
grammar Edict;

// ---------------------------------------------------------------------------------------------
// Files and declarations

file : packDecl? topDecl* EOF ;

// A bare CEL expression (edict eval, conformance tests, report-template holes).
celExpr : expr EOF ;

packDecl : PACK name=kebabName version=versionLit '{' manifestItem* '}' ;

versionLit : VERSION | NUM_FLOAT | NUM_INT ;

manifestItem
  : IMPORT name=kebabName (op=versionOp version=versionLit)?   # ManifestImport
  | key=anyName ':' value=expr                                 # ManifestEntry
  ;

versionOp : GREATER_EQUALS | EQUALS | GREATER | LESS | LESS_EQUALS ;

topDecl
  : recordDecl
  | structDecl
  | typeAlias
  | constDecl
  | setDecl
  | tableDecl
  | paramDecl
  | profileDecl
  | letDecl
  | fnDecl
  | ruleDecl
  | testDecl
  ;

recordDecl : RECORD name=anyName (':' base=anyName)? '{' fieldDecl* '}' ;
structDecl : STRUCT name=anyName (':' base=anyName)? '{' fieldDecl* '}' ;
fieldDecl  : name=anyName ':' typeExpr ('=' dflt=expr)? ','? ;
typeAlias  : TYPE name=anyName '=' typeExpr ;

typeExpr : typeAtom opt='?'? ;
typeAtom
  : name=qualifiedName LESS typeExpr (',' typeExpr)* GREATER   # GenericType
  | ENUM '(' STRING (',' STRING)* ','? ')'                     # EnumType
  | '{' fieldDecl* '}'                                         # InlineStructType
  | name=qualifiedName                                         # NamedType
  ;
qualifiedName : anyName ('.' anyName)* ;

constDecl : CONST name=anyName (':' typeExpr)? '=' value=expr ;
setDecl   : SET name=anyName (':' elem=typeExpr)? '=' value=expr ;
tableDecl : TABLE name=anyName '(' columnDecl (',' columnDecl)* ','? ')' (KEY key=anyName)?
            '{' tableRow* '}' ;
columnDecl : name=anyName ':' typeExpr ;
tableRow   : '(' expr (',' expr)* ','? ')' ','? ;

paramDecl : PARAM name=anyName ':' typeExpr '=' value=expr (NOTE note=STRING)? ;

profileDecl : PROFILE name=kebabName (':' base=kebabName)? '{' profileItem* '}' ;
profileItem
  : NOTE note=STRING                        # ProfileNote
  | name=anyName '=' value=expr ','?        # ProfileAssign
  ;

letDecl : LET name=anyName (':' typeExpr)? '=' value=expr ;

fnDecl  : FN name=anyName '(' (fnParam (',' fnParam)*)? ')' (':' ret=typeExpr)? '=' body=expr ;
fnParam : name=anyName ':' typeExpr ;

// ---------------------------------------------------------------------------------------------
// Rules

ruleDecl : RULE id=kebabName '{' ruleItem* '}' ;

ruleItem
  : NEEDS ':' '[' needItem (',' needItem)* ','? ']'            # RuleNeeds
  | MATCH binding (',' binding)*                               # RuleMatch
  | SEQUENCE first=binding seqStep+ seqWithout*                # RuleSequence
  | WHERE cond=expr                                            # RuleWhere
  | GROUP BY groupKey (',' groupKey)*                          # RuleGroupBy
  | WINDOW width=expr                                          # RuleWindow
  | HAVING cond=expr                                           # RuleHaving
  | key=anyName ':' value=expr                                 # RuleEntry
  ;

// `a | b`: either kind suffices; `(x)`: used only for an exemption (rule-catalog S1).
needItem
  : needPath (PIPE needPath)*          # NeedAlternatives
  | '(' needPath ')'                   # NeedExemptionOnly
  ;
needPath : anyName ('.' anyName)* ;

// `name: source` where source names a record kind (a stream) or is a list-valued expression.
binding : name=anyName ':' source=expr ;

seqStep    : THEN binding (WITHIN within=expr)? ;
seqWithout : WITHOUT binding (WHEN cond=expr)? ;

groupKey : (name=anyName ':')? value=expr ;

// ---------------------------------------------------------------------------------------------
// Tests

testDecl : TEST name=STRING '{' testItem* '}' ;

testItem
  : FACTS path=STRING                                         # TestFactsFile
  | FACTS '[' (expr (',' expr)* ','?)? ']'                    # TestFactsInline
  | PROFILE name=kebabName                                    # TestProfile
  | PARAM name=anyName '=' value=expr                         # TestParam
  | EXPECT ruleId=kebabName ':' expectation (',' expectation)*  # TestExpect
  ;

expectation
  : count=NUM_INT unit=anyName                                 # ExpectCount
  | key=anyName value=expectValue                              # ExpectField
  | outcome=anyName                                            # ExpectOutcome
  ;
expectValue : STRING | NUM_INT | '[' (expectValue (',' expectValue)* ','?)? ']' ;

// ---------------------------------------------------------------------------------------------
// Names

// A kebab-case name (`rerequest-after-denial`): the segments must touch; the AST builder checks
// that no whitespace separates them.
kebabName : kebabPart (MINUS kebabPart)* ;
kebabPart : anyName | NUM_INT | DURATION ;   // DURATION: `rerequest-48h`

// Identifiers usable for declarations and fields: CEL identifiers, Edict's soft keywords, and
// CEL's reserved words (legal as field names, e.g. `call_site.in`). `ident` written out: one
// parse-tree node less per name.
anyName : IDENTIFIER | softKeyword | reserved | TRUE | FALSE | NUL | IN ;

ident : IDENTIFIER | softKeyword ;

softKeyword
  : PACK | RECORD | STRUCT | TYPE | SET | TABLE | KEY | PARAM | NOTE | PROFILE | FN | RULE
  | NEEDS | MATCH | SEQUENCE | THEN | WITHIN | WITHOUT | WHEN | WHERE | GROUP | BY | WINDOW
  | HAVING | TEST | FACTS | EXPECT | ENUM
  ;

reserved
  : AS | BREAK | CONST | CONTINUE | ELSE | FOR | FUNCTION | IF | IMPORT | LET | LOOP | PACKAGE
  | NAMESPACE | RETURN | VAR | VOID | WHILE
  ;

// ---------------------------------------------------------------------------------------------
// CEL expressions (cel-spec syntax, plus Edict aggregates and duration literals)

// `c ? t : e` is right-associative; written as a loop (`a ? b : c ? d : e` lists a, b, c, d, e) so
// that a long chain of conditionals does not recurse once per `?` in the parser.
expr : parts+=binary ('?' parts+=binary ':' parts+=binary)* ;

// Every binary operator in one flat loop (`a op b op c ...`): the AST builder gives them CEL's
// precedence (`||` < `&&` < relations < `+ -` < `* / %`), so that an operand costs the parser one
// rule here rather than one per precedence level.
binary
  : operands+=unary (ops+=( LOGICAL_OR | LOGICAL_AND
                          | LESS | LESS_EQUALS | GREATER_EQUALS | GREATER | EQUALS | NOT_EQUALS | IN
                          | PLUS | MINUS | STAR | SLASH | PERCENT ) operands+=unary)*
  ;

// The member (`primary memberSuffix*`) is written out in each alternative rather than as a rule of
// its own: one parse-tree node less per operand. (Labels such as `operands+=` let the AST builder
// read the children without the generated accessors, which dynamic_cast every child.)
unary
  : operand=primary suffixes+=memberSuffix*                       # MemberExpr
  | (ops+=EXCLAM)+ operand=primary suffixes+=memberSuffix*        # LogicalNot
  | (ops+=MINUS)+ operand=primary suffixes+=memberSuffix*         # Negate
  ;

// `.name`, `.?name` and `.name(args)` share one alternative, so that each choice takes one token
// of lookahead rather than a prediction past the end of the member.
memberSuffix
  : '.' (opt='?' name=selectName | name=selectName (open='(' args=exprList? ')')?)  # SelectOrCallSuffix
  | '[' opt='?'? index=expr ']'                                                   # IndexSuffix
  ;

// After a dot every word is a field or method name, CEL's reserved words included.
selectName : anyName | ESC_IDENTIFIER ;

// A global call and an aggregate (`count(x: xs where ...)`, `min(x.t for x: xs)`) share
// `name(`; callTail then tells them apart by its first two tokens (`name:` starts a binding) or by
// `for` after the first expression, instead of predicting over a whole argument. With a leading
// dot, only a call. IdentOrCall spells `ident` out, and ConstantLiteral the literals (a sign only
// before a number): one parse-tree node less per name and per literal.
primary
  : (IDENTIFIER | softKeyword) (open='(' tail=callTail)?                     # IdentOrCall
  | leadingDot='.' id=ident ('(' args=exprList? ')')?                       # DotIdentOrCall
  | '(' inner=expr ')'                                                      # Nested
  | '[' elems=listInit? ','? ']'                                            # CreateList
  | '{' entries=mapInitList? ','? '}'                                       # CreateMap
  | leadingDot='.'? ids+=ident ('.' ids+=ident)* '{' fields=fieldInitList? ','? '}'  # CreateMessage
  | ( MINUS? (NUM_INT | NUM_FLOAT) | NUM_UINT | DURATION | STRING | BYTES
    | TRUE | FALSE | NUL )                                                  # ConstantLiteral
  ;

// What follows `name(`, the closing ')' included: where the ')' is matched decides which tokens
// a syntax error before it lists (see ReportSyntaxError).
callTail
  : ')'                                                               # NoArguments
  | aggregation                                                       # AggregateOver
  | first=expr (FOR of=aggregation | (',' rest=exprList)? ')')        # ArgumentsOrAggregateOf
  ;
aggregation : aggBinding (',' aggBinding)* (WHERE where=expr)? ')' ;
aggBinding : name=anyName ':' source=expr ;

exprList     : items+=expr (',' items+=expr)* ;
listInit     : optExpr (',' optExpr)* ;
optExpr      : opt='?'? value=expr ;
mapInitList  : mapEntry (',' mapEntry)* ;
mapEntry     : opt='?'? key=expr ':' value=expr ;
fieldInitList: fieldInit (',' fieldInit)* ;
fieldInit    : opt='?'? name=selectName ':' value=expr ;

// ---------------------------------------------------------------------------------------------
// Lexer

EQUALS : '==' ;
NOT_EQUALS : '!=' ;
IN : 'in' ;
LESS : '<' ;
LESS_EQUALS : '<=' ;
GREATER_EQUALS : '>=' ;
GREATER : '>' ;
LOGICAL_AND : '&&' ;
LOGICAL_OR : '||' ;
PIPE : '|' ;

LBRACKET : '[' ;
RBRACKET : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
DOT : '.' ;
COMMA : ',' ;
MINUS : '-' ;
EXCLAM : '!' ;
QUESTIONMARK : '?' ;
COLON : ':' ;
PLUS : '+' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
ASSIGN : '=' ;
TRUE : 'true' ;
FALSE : 'false' ;
NUL : 'null' ;

// CEL's reserved words: never identifiers, but legal after a dot.
AS : 'as' ;
BREAK : 'break' ;
CONST : 'const' ;
CONTINUE : 'continue' ;
ELSE : 'else' ;
FOR : 'for' ;
FUNCTION : 'function' ;
IF : 'if' ;
IMPORT : 'import' ;
LET : 'let' ;
LOOP : 'loop' ;
PACKAGE : 'package' ;
NAMESPACE : 'namespace' ;
RETURN : 'return' ;
VAR : 'var' ;
VOID : 'void' ;
WHILE : 'while' ;

// Edict's soft keywords.
PACK : 'pack' ;
RECORD : 'record' ;
STRUCT : 'struct' ;
TYPE : 'type' ;
SET : 'set' ;
TABLE : 'table' ;
KEY : 'key' ;
PARAM : 'param' ;
NOTE : 'note' ;
PROFILE : 'profile' ;
FN : 'fn' ;
RULE : 'rule' ;
NEEDS : 'needs' ;
MATCH : 'match' ;
SEQUENCE : 'sequence' ;
THEN : 'then' ;
WITHIN : 'within' ;
WITHOUT : 'without' ;
WHEN : 'when' ;
WHERE : 'where' ;
GROUP : 'group' ;
BY : 'by' ;
WINDOW : 'window' ;
HAVING : 'having' ;
TEST : 'test' ;
FACTS : 'facts' ;
EXPECT : 'expect' ;
ENUM : 'enum' ;

fragment BACKSLASH : '\\' ;
fragment LETTER : 'A'..'Z' | 'a'..'z' ;
fragment DIGIT : '0'..'9' ;
fragment EXPONENT : ('e' | 'E') ('+' | '-')? DIGIT+ ;
fragment HEXDIGIT : ('0'..'9' | 'a'..'f' | 'A'..'F') ;
fragment RAW : 'r' | 'R' ;

// Any backslash pair is accepted here and checked when the literal is decoded, so that a bad escape
// is reported as such (with its position) instead of breaking the string into stray characters.
fragment ESC_ANY : BACKSLASH ~('\n' | '\r') ;
fragment ESC_ANY_MULTILINE : BACKSLASH . ;

// U+FEFF: a byte order mark some editors put at the start of UTF-8 files.
WHITESPACE : ('\t' | ' ' | '\r' | '\n' | '\u000C' | '\uFEFF')+ -> channel(HIDDEN) ;
COMMENT : '//' (~'\n')* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;

// A semantic version (`1.0.0`, `1.2.0-rc.1`); longer than any float, so the lexer prefers it.
VERSION : DIGIT+ '.' DIGIT+ '.' DIGIT+ ('-' (LETTER | DIGIT | '.')+)? ;

// Duration sugar: `48h`, `5m`, `1h30m`, `250ms`.
DURATION : (DIGIT+ ('h' | 'm' | 's' | 'ms' | 'us' | 'ns'))+ ;

NUM_FLOAT
  : DIGIT+ ('.' DIGIT+) EXPONENT?
  | DIGIT+ EXPONENT
  | '.' DIGIT+ EXPONENT?
  ;

NUM_INT : DIGIT+ | '0x' HEXDIGIT+ ;

NUM_UINT : DIGIT+ ('u' | 'U') | '0x' HEXDIGIT+ ('u' | 'U') ;

STRING
  : '"' (ESC_ANY | ~('\\' | '"' | '\n' | '\r'))* '"'
  | '\'' (ESC_ANY | ~('\\' | '\'' | '\n' | '\r'))* '\''
  | '"""' (ESC_ANY_MULTILINE | ~'\\')*? '"""'
  | '\'\'\'' (ESC_ANY_MULTILINE | ~'\\')*? '\'\'\''
  | RAW '"' ~('"' | '\n' | '\r')* '"'
  | RAW '\'' ~('\'' | '\n' | '\r')* '\''
  | RAW '"""' .*? '"""'
  | RAW '\'\'\'' .*? '\'\'\''
  ;

BYTES : ('b' | 'B') STRING ;

IDENTIFIER : (LETTER | '_') (LETTER | DIGIT | '_')* ;

ESC_IDENTIFIER : '`' (LETTER | DIGIT | '_' | '.' | '-' | '/' | ' ')+ '`' ;

// Anything else becomes one error token, so the parser can report it in Edict's words.
ERROR_CHAR : . ;
