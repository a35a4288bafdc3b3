/**
 * Reads each template's Handlebars syntax tree to find, before anything
 * renders, what would stop a message: a syntax error, a helper or a field
 * that does not exist, a catalog key no catalog has, a partial no level
 * defines. Each problem is named at its file, line and column, in words a
 * template author acts on. It also says which catalog strings a template
 * draws on, and from which file each is served, so a check on a rendered
 * message can name the string it comes from.
 */
import Handlebars from 'handlebars';
import type { Channel, MessageKind } from '../runtime/event/message-kind.js';
import { type MessageValues, renderEmail } from '../runtime/render/render.js';
import {
  type CompiledTemplate,
  findTemplate,
  partialNames,
  type TemplatePack,
} from '../runtime/render/template-pack.js';
import { compileOptionsFor, type PackSource, type TemplateSource } from './pack-source.js';
import { placeAt, type SourcePlace } from './source-position.js';
import { problemAt, type TemplateProblem } from './template-errors.js';

type Program = hbs.AST.Program;
type Node = hbs.AST.Node;
type PathExpression = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

/** What one render of a kind, channel, brand and locale reads. */
export interface ScanTarget {
  kind: MessageKind;
  channel: Channel;
  brand: string;
  locale: string;
}

/** A catalog string a template uses, and the file and place it is served from for one brand and locale. */
export interface StringUse {
  key: string;
  text: string;
  place: SourcePlace | null;
}

/** The templates that serve one part of a message (with their partials) and the catalog strings they use. */
export interface ServedPart {
  templates: TemplateSource[];
  strings: StringUse[];
  /** Words written in the templates themselves, outside `{{…}}` (and outside HTML tags). */
  words: string[];
}

export interface TemplateScan {
  /** Everything that stops this target's templates rendering, or that only a branch not taken hides. */
  problemsFor(target: ScanTarget): TemplateProblem[];
  /** What serves the template `name` (`signUp.sms`, `layout.html`) for this target. */
  served(target: ScanTarget, name: string): ServedPart;
  /** Words outside `{{…}}` in one template file: text that no catalog translates. */
  wordsOf(path: string): string[];
}

/** The helpers a template may call: this pack's own and Handlebars' built-in ones. */
const OWN_HELPERS = Object.keys(compileOptionsFor('base/x.sms').knownHelpers ?? {});
const BUILT_IN_HELPERS = ['lookup', 'log'];
const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'];
const HELPERS = new Set([...OWN_HELPERS, ...BUILT_IN_HELPERS, ...BLOCK_HELPERS]);

/** The templates a part of a message starts from; partials follow from them. */
export function partTemplates(kind: MessageKind, channel: Channel): string[] {
  return channel === 'sms' ? [`${kind}.sms`] : [`${kind}.subject`, `${kind}.html`, 'layout.html'];
}

/** Scans every template of `source`, compiled as `pack`. */
export function scanTemplates(source: PackSource, pack: TemplatePack): TemplateScan {
  const fields = contextFields(pack);
  const byPath = new Map(source.templates.map((template) => [template.path, template]));
  const extraFields = new Map<string, Set<string>>();
  const trees = new Map(source.templates.map((template) => [template.path, parseTemplate(template)]));
  for (const tree of trees.values()) {
    if (tree.program) collectPartialHashKeys(tree.program, extraFields);
  }
  const scanned = new Map<string, ScannedTemplate>();
  for (const template of source.templates) {
    const tree = trees.get(template.path) ?? { program: null, problems: [] };
    const file = template.path.slice(template.path.lastIndexOf('/') + 1);
    const partial = file.startsWith('_') ? file.slice(1, -'.html'.length) : null;
    // A partial may be called from the layout too, so it may use the layout's fields.
    const root = file === 'layout.html' || partial !== null ? fields.layout : fields.body;
    const extra = partial === null ? undefined : extraFields.get(partial);
    scanned.set(template.path, scanTemplate(template, tree, extra ? withFields(root, extra) : root));
  }
  const partials = partialNames(pack).sort();
  const cache = new Map<string, Walked>();

  const walk = (target: ScanTarget, names: readonly string[]): Walked => {
    const id = [target.kind, target.brand, target.locale, ...names].join('|');
    const cached = cache.get(id);
    if (cached) return cached;
    const walked: Walked = { templates: [], strings: new Map(), problems: [] };
    const catalogs = catalogChain(source, pack, target.brand, target.locale);
    const visit = (path: string) => {
      const template = byPath.get(path);
      const scan = scanned.get(path);
      if (!template || !scan || walked.templates.includes(template)) return;
      walked.templates.push(template);
      walked.problems.push(...scan.problems);
      for (const use of scan.keys) {
        const key = use.key(target.kind);
        if (key === null) continue;
        const found = catalogs.find((layer) => Object.hasOwn(layer.messages, key));
        if (found) {
          walked.strings.set(key, { key, text: found.messages[key] ?? '', place: found.places?.get(key) ?? null });
        } else {
          const forKind = use.computed ? ` (for ${target.kind} messages)` : '';
          walked.problems.push(problemAt(use.place, missingKey(`${use.written}${forKind}`, key, source)));
        }
      }
      for (const call of scan.partials) {
        const found = findTemplate(pack, `_${call.name}.html`, target.brand, target.locale);
        if (found) visit(found.path);
        else walked.problems.push(problemAt(call.place, missingPartial(call.name, partials)));
      }
    };
    for (const name of names) {
      const found = findTemplate(pack, name, target.brand, target.locale);
      if (found) visit(found.path);
    }
    cache.set(id, walked);
    return walked;
  };

  return {
    problemsFor(target) {
      return unique(walk(target, partTemplates(target.kind, target.channel)).problems);
    },
    served(target, name) {
      const walked = walk(target, [name]);
      const words = walked.templates.flatMap((template) => scanned.get(template.path)?.words ?? []);
      return { templates: walked.templates, strings: [...walked.strings.values()], words };
    },
    wordsOf(path) {
      return scanned.get(path)?.words ?? [];
    },
  };
}

interface Walked {
  templates: TemplateSource[];
  strings: Map<string, StringUse>;
  problems: TemplateProblem[];
}

function unique(problems: readonly TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const id = `${problem.file}:${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

interface CatalogLayer {
  messages: Readonly<Record<string, string>>;
  places: ReadonlyMap<string, SourcePlace> | undefined;
}

/** The catalogs a brand and locale read a key from, first match wins: brand+locale, locale, brand+source, source. */
function catalogChain(source: PackSource, pack: TemplatePack, brand: string, locale: string): CatalogLayer[] {
  const scopes = [`${brand}/${locale}`, locale, `${brand}/${pack.sourceLocale}`, pack.sourceLocale];
  return scopes.flatMap((scope) => {
    const messages = scope.includes('/') ? pack.brandMessages.get(scope) : pack.locales.get(scope)?.messages;
    return messages ? [{ messages, places: source.stringPlaces.get(scope) }] : [];
  });
}

function missingKey(written: string, key: string, source: PackSource): string {
  const group = key.includes('.') ? key.slice(0, key.indexOf('.')) : key;
  const sourceKeys = Object.keys(source.locales.find((locale) => locale.tag === source.sourceLocale)?.messages ?? {});
  const siblings = sourceKeys
    .filter((candidate) => candidate.startsWith(`${group}.`))
    .map((k) => k.slice(group.length + 1));
  const suggestion = closest(key.slice(group.length + 1), siblings);
  const where = `no catalog has "${key}"`;
  const hint = suggestion ? `; did you mean "${group}.${suggestion}"?` : '';
  const list =
    siblings.length > 0 ? ` The ${group} strings are ${listed(siblings)}.` : ` No key starts with "${group}.".`;
  return `${written}: ${where}${hint}${list}`;
}

function missingPartial(name: string, partials: readonly string[]): string {
  const suggestion = closest(name, partials);
  const hint = suggestion ? `; did you mean {{> ${suggestion}}}?` : '';
  const list = partials.length > 0 ? ` The partials are ${listed(partials)}.` : ' There are no partials.';
  return `{{> ${name}}}: no level has the partial _${name}.html.hbs${hint}${list}`;
}

// ---------------------------------------------------------------------------
// The fields a template may use.

/** A field of the render context: a group of fields, a value, or something the scan cannot know (inside #each). */
type Field = { kind: 'group'; fields: ReadonlyMap<string, Field> } | { kind: 'value' } | { kind: 'unknown' };

const UNKNOWN: Field = { kind: 'unknown' };
const VALUE: Field = { kind: 'value' };

// Every value present, so every field the runtime passes shows in the probe.
const PROBE_VALUES: MessageValues = {
  code: 'x',
  username: 'x',
  cognitoLink: null,
  verifyUrl: 'x',
  signInUrl: 'x',
  name: 'x',
  accountTakeOver: {
    actionKey: 'actionBlock',
    time: 'x',
    ip: 'x',
    location: 'x',
    device: 'x',
    confirmUrl: 'x',
    denyUrl: 'x',
  },
};

/**
 * The fields of the render context, read from the renderer itself: a probe
 * pack whose templates keep the context they are given. So the fields a
 * check accepts are exactly those the handlers pass, for body templates and
 * for the layout (which also gets `subject` and `content`).
 */
function contextFields(pack: TemplatePack): { body: Field; layout: Field } {
  const brand = pack.brands.values().next().value;
  if (!brand) return { body: UNKNOWN, layout: UNKNOWN };
  const seen: { body?: unknown; layout?: unknown } = {};
  const keep =
    (slot: 'body' | 'layout'): CompiledTemplate =>
    (context) => {
      seen[slot] = context;
      return '';
    };
  const probe: TemplatePack = {
    ...pack,
    templates: new Map([
      ['base/signUp.subject', keep('body')],
      ['base/signUp.html', keep('body')],
      ['base/layout.html', keep('layout')],
    ]),
  };
  try {
    renderEmail(probe, { kind: 'signUp', locale: pack.sourceLocale, brand }, PROBE_VALUES);
  } catch {
    return { body: UNKNOWN, layout: UNKNOWN };
  }
  return { body: fieldOf(seen.body), layout: fieldOf(seen.layout) };
}

function fieldOf(value: unknown): Field {
  if (value === null || typeof value !== 'object') return value === undefined ? UNKNOWN : VALUE;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return VALUE;
  return { kind: 'group', fields: new Map(Object.entries(value).map(([name, child]) => [name, fieldOf(child)])) };
}

function withFields(root: Field, names: ReadonlySet<string>): Field {
  if (root.kind !== 'group') return root;
  return { kind: 'group', fields: new Map([...root.fields, ...[...names].map((name) => [name, UNKNOWN] as const)]) };
}

/** `kind, locale (tag, name, dir, start), brand (id, …), code`. */
function fieldList(field: Field, nested = true): string {
  if (field.kind !== 'group') return '';
  return listed(
    [...field.fields].map(([name, child]) =>
      nested && child.kind === 'group' ? `${name} (${fieldList(child, false)})` : name,
    ),
    false,
  );
}

// ---------------------------------------------------------------------------
// One template.

interface ParsedTree {
  program: Program | null;
  problems: TemplateProblem[];
}

interface KeyUse {
  /** The catalog key for a kind, or null when the template computes it in a way the scan cannot follow. */
  key: (kind: MessageKind) => string | null;
  /** The expression as written, `{{t "signUp.sms"}}`. */
  written: string;
  /** Whether the key is computed (`(concat kind ".intro")`), so it differs by kind. */
  computed: boolean;
  place: SourcePlace;
}

interface ScannedTemplate {
  problems: TemplateProblem[];
  keys: KeyUse[];
  partials: Array<{ name: string; place: SourcePlace }>;
  words: string[];
}

function parseTemplate(template: TemplateSource): ParsedTree {
  try {
    return { program: Handlebars.parse(template.source), problems: [] };
  } catch (error) {
    return { program: null, problems: [syntaxProblem(template, error as Error)] };
  }
}

/** Partials called with `key=value` get those keys as fields. */
function collectPartialHashKeys(program: Program, into: Map<string, Set<string>>): void {
  visitNodes(program, (node) => {
    if (node.type !== 'PartialStatement' && node.type !== 'PartialBlockStatement') return;
    const partial = node as hbs.AST.PartialStatement;
    if (partial.name.type !== 'PathExpression') return;
    const keys = into.get(partial.name.original) ?? new Set<string>();
    for (const pair of partial.hash?.pairs ?? []) keys.add(pair.key);
    into.set(partial.name.original, keys);
  });
}

function visitNodes(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visitNodes(child, visit);
    return;
  }
  if (node === null || typeof node !== 'object' || !('type' in node)) return;
  visit(node as Node);
  for (const [key, child] of Object.entries(node)) if (key !== 'loc') visitNodes(child, visit);
}

function scanTemplate(template: TemplateSource, tree: ParsedTree, root: Field): ScannedTemplate {
  const scanned: ScannedTemplate = { problems: [...tree.problems], keys: [], partials: [], words: [] };
  if (!tree.program) return scanned;
  const place = (node: Node): SourcePlace => ({
    file: template.file,
    line: node.loc.start.line,
    column: node.loc.start.column + 1,
  });
  const problem = (node: Node, message: string) => scanned.problems.push(problemAt(place(node), message));
  const text: string[] = [];

  /** Scopes from the template's root inward; `blockParams` names bound by `as |x|`. */
  interface Scope {
    field: Field;
    blockParams: ReadonlySet<string>;
  }

  /** How a path is named in a problem: `{{cod}}` for a mustache, `{{#cod}}` for a section, `"cod"` inside a call. */
  type Shown = 'mustache' | 'section' | 'param';

  const resolvePath = (path: PathExpression, scopes: readonly Scope[], shown: Shown): Field => {
    if (path.data) {
      if (path.parts[0] !== 'root') return UNKNOWN;
      return lookupParts(path, path.parts.slice(1), scopes[0]?.field ?? UNKNOWN, shown);
    }
    if (scopes.some((scope) => scope.blockParams.has(path.parts[0] ?? ''))) return UNKNOWN;
    const scope = scopes[scopes.length - 1 - path.depth];
    return scope ? lookupParts(path, path.parts, scope.field, shown) : UNKNOWN;
  };

  const lookupParts = (path: PathExpression, parts: readonly string[], start: Field, how: Shown): Field => {
    let field = start;
    const shown = { mustache: `{{${path.original}}}`, section: `{{#${path.original}}}`, param: `"${path.original}"` }[
      how
    ];
    const noun = how === 'section' ? 'a block helper (#if, #unless, #each, #with) or a field' : 'a field';
    const mention = (name: string) => (how === 'param' ? name : `{{${name}}}`);
    for (const [index, part] of parts.entries()) {
      if (field.kind === 'unknown') return UNKNOWN;
      const owner = parts.slice(0, index).join('.');
      if (field.kind === 'value') {
        problem(path, `${shown}: ${owner} is a value, not a group of fields`);
        return UNKNOWN;
      }
      const child = field.fields.get(part);
      if (!child) {
        const suggestion = closest(part, [...field.fields.keys()]);
        const hint = suggestion ? `; did you mean ${mention([...parts.slice(0, index), suggestion].join('.'))}?` : '.';
        const subject = index === 0 ? `${shown} is not ${noun}` : `${shown}: ${owner} has no field ${part}`;
        const list = index === 0 ? `The fields are ${fieldList(field)}` : `Its fields are ${fieldList(field, false)}`;
        problem(path, `${subject}${hint} ${list}.`);
        return UNKNOWN;
      }
      field = child;
    }
    return field;
  };

  const expression = (node: Node, scopes: readonly Scope[]): void => {
    if (node.type === 'PathExpression') resolvePath(node as PathExpression, scopes, 'param');
    else if (node.type === 'SubExpression') call(node as hbs.AST.SubExpression, scopes, 'param');
  };

  const call = (node: Call, scopes: readonly Scope[], shown: Shown): void => {
    for (const param of node.params) expression(param, scopes);
    for (const pair of node.hash?.pairs ?? []) expression(pair.value, scopes);
    if (node.path.type !== 'PathExpression') return;
    const path = node.path as PathExpression;
    const name = path.original;
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'SubExpression';
    if (!isCall || path.data || path.parts.length !== 1 || path.depth > 0) {
      if (!HELPERS.has(name)) resolvePath(path, scopes, shown);
      return;
    }
    if (!HELPERS.has(name)) {
      const written = node.type === 'BlockStatement' ? `{{#${name} …}}` : `{{${name} …}}`;
      const suggestion = closest(name, [...HELPERS]);
      const hint = suggestion ? `; did you mean ${suggestion}?` : '';
      problem(path, `${written}: "${name}" is not a helper${hint}. ${helperList()}.`);
      return;
    }
    if (name === 't') keyUse(node, scopes);
  };

  const keyUse = (node: Call, scopes: readonly Scope[]) => {
    const first = node.params[0];
    if (!first) return;
    scanned.keys.push({
      key: keyExpression(first, scopes),
      written: `{{t ${written(first)}}}`,
      computed: first.type !== 'StringLiteral',
      place: place(first),
    });
  };

  /** A key written as a string, or as `(concat … kind …)` of strings and the message kind. */
  const keyExpression = (node: Node, scopes: readonly Scope[]): ((kind: MessageKind) => string | null) => {
    if (node.type === 'StringLiteral') {
      const value = (node as hbs.AST.StringLiteral).value;
      return () => value;
    }
    if (node.type !== 'SubExpression') return () => null;
    const sub = node as hbs.AST.SubExpression;
    if (sub.path.original !== 'concat' || (sub.hash?.pairs.length ?? 0) > 0) return () => null;
    const parts = sub.params.map((param) => {
      if (param.type === 'StringLiteral') return (param as hbs.AST.StringLiteral).value;
      const path = param as PathExpression;
      const isKind = param.type === 'PathExpression' && path.original === 'kind' && scopes.length === 1;
      return isKind ? null : undefined;
    });
    if (parts.some((part) => part === undefined)) return () => null;
    return (kind) => parts.map((part) => part ?? kind).join('');
  };

  const statements = (program: Program | undefined, scopes: readonly Scope[]): void => {
    for (const node of program?.body ?? []) statement(node, scopes);
  };

  const statement = (node: Node, scopes: readonly Scope[]): void => {
    switch (node.type) {
      case 'ContentStatement':
        text.push((node as hbs.AST.ContentStatement).value);
        return;
      case 'MustacheStatement':
        call(node as hbs.AST.MustacheStatement, scopes, 'mustache');
        return;
      case 'BlockStatement':
        block(node as hbs.AST.BlockStatement, scopes);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialStatement & { program?: Program };
        for (const param of partial.params) expression(param, scopes);
        for (const pair of partial.hash?.pairs ?? []) expression(pair.value, scopes);
        if (partial.name.type === 'PathExpression') {
          scanned.partials.push({ name: partial.name.original, place: place(partial.name) });
        }
        statements(partial.program, scopes);
        return;
      }
      default:
        return;
    }
  };

  const block = (node: hbs.AST.BlockStatement, scopes: readonly Scope[]): void => {
    const name = node.path.original;
    const blockParams = new Set(node.program?.blockParams ?? []);
    const inner = (field: Field): Scope[] => [...scopes, { field, blockParams }];
    if (BLOCK_HELPERS.includes(name) && node.params.length === 0) {
      problem(node.path, `{{#${name}}} needs a value, e.g. {{#${name} name}}`);
      return;
    }
    if (BLOCK_HELPERS.includes(name)) {
      call(node, scopes, 'param');
      const first = node.params[0];
      if (name === 'if' || name === 'unless')
        statements(node.program, [...scopes.slice(0, -1), { ...lastScope(scopes), blockParams }]);
      else if (name === 'with' && first?.type === 'PathExpression') {
        statements(node.program, inner(resolvePath(first as PathExpression, scopes, 'param')));
      } else statements(node.program, inner(UNKNOWN));
      statements(node.inverse, scopes);
      return;
    }
    if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) {
      call(node, scopes, 'param');
      statements(node.program, inner(UNKNOWN));
      statements(node.inverse, scopes);
      return;
    }
    // `{{#brand}}…{{/brand}}`: a section over a field.
    const field = resolvePath(node.path, scopes, 'section');
    statements(node.program, inner(field.kind === 'group' ? field : UNKNOWN));
    statements(node.inverse, scopes);
  };

  const lastScope = (scopes: readonly Scope[]): Scope =>
    scopes[scopes.length - 1] ?? { field: UNKNOWN, blockParams: new Set() };

  statements(tree.program, [{ field: root, blockParams: new Set() }]);
  scanned.words = literalWords(text.join(' '), template.path.endsWith('.html'));
  if (scanned.problems.length === 0) {
    const compiled = compileProblem(template);
    if (compiled) scanned.problems.push(compiled);
  }
  return scanned;
}

/** Words in a template's own text: HTML tags, entities, addresses and placeholders aside. */
function literalWords(text: string, html: boolean): string[] {
  let own = html
    ? text
        .replace(/<!--[\s\S]*?-->/g, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&#?\w+;/g, ' ')
    : text;
  own = own.replace(URL_OR_ADDRESS, ' ').replace(/\{[^{}]*\}/g, ' ');
  return own.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
}

/** URLs and email addresses: no locale translates them. */
export const URL_OR_ADDRESS = /\b(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

/** Handlebars' own compiler, for anything the scan above does not know. */
function compileProblem(template: TemplateSource): TemplateProblem | null {
  try {
    Handlebars.precompile(template.source, compileOptionsFor(template.path));
    return null;
  } catch (error) {
    const { message, lineNumber, column } = error as Error & { lineNumber?: number; column?: number };
    const plain = message.replace(/ - \d+:\d+$/, '');
    const place = { file: template.file, line: lineNumber ?? 1, column: (column ?? 0) + 1 };
    return problemAt(place, `Handlebars cannot compile this: ${plain}`);
  }
}

// ---------------------------------------------------------------------------
// Syntax errors, in plain words.

const TOKEN_WORDS: Readonly<Record<string, string>> = {
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  CLOSE_RAW_BLOCK: '}}}}',
  OPEN_ENDBLOCK: '{{/…}}',
  INVERSE: '{{else}}',
  OPEN_INVERSE_CHAIN: '{{else …}}',
  EOF: 'the end of the file',
  ID: 'a name',
  STRING: 'a "string"',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  DATA: 'an @name',
  SEP: 'a . or /',
  OPEN_SEXPR: '(',
  CLOSE_SEXPR: ')',
  EQUALS: '=',
  OPEN_BLOCK_PARAMS: 'as |…|',
  CLOSE_BLOCK_PARAMS: '|',
  INVALID: 'a character Handlebars does not accept here',
};

function syntaxProblem(template: TemplateSource, error: Error): TemplateProblem {
  const { source, file } = template;
  const at = (offset: number) => placeAt(file, source, offset);
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)$/.exec(error.message);
  if (mismatch) {
    const [, opened, closed, line, column] = mismatch;
    return problemAt(
      { file, line: Number(line), column: Number(column) + 1 },
      `{{#${opened}}} is closed by {{/${closed}}}; close it with {{/${opened}}}`,
    );
  }
  const parse = /^(?:Parse|Lexical) error on line (\d+)[:.][^\n]*\n(.*)\n(-*)\^(?:\nExpecting (.*), got '(\w+)')?/.exec(
    error.message,
  );
  if (!parse) return problemAt({ file, line: 1, column: 1 }, `Handlebars cannot read this template: ${error.message}`);
  const [, line, excerpt = '', caret = '', expecting = '', got = 'INVALID'] = parse;
  const offset = errorOffset(source, Number(line), excerpt.slice(0, caret.length));
  if (got === 'EOF') {
    const open = unclosedBlock(source);
    if (open) return problemAt(at(open.offset), `{{#${open.name}}} is never closed; add {{/${open.name}}}`);
    return problemAt(at(offset), 'the file ends inside a {{…}}: a }} is missing');
  }
  if (got === 'INVALID') {
    return problemAt(
      at(offset),
      'Handlebars cannot read what starts here: a {{…}} is not closed with }}, or holds a character it does not accept',
    );
  }
  const expected = [
    ...new Set(expecting.split(', ').map((token) => TOKEN_WORDS[token.replace(/'/g, '')] ?? null)),
  ].filter((word): word is string => word !== null);
  const wanted =
    expected.length > 0 ? `expected ${listed(expected.slice(0, 4), true, 'or')}` : 'this is not Handlebars';
  return problemAt(at(offset), `${wanted}, not ${TOKEN_WORDS[got] ?? got}`);
}

/**
 * Where the parser stopped. Its message shows the last 20 characters read
 * (newlines dropped, `...` before when there were more) above a caret: find
 * the offset on `line` whose preceding text reads the same.
 */
function errorOffset(source: string, line: number, shownBefore: string): number {
  const truncated = shownBefore.startsWith('...');
  const before = truncated ? shownBefore.slice(3) : shownBefore;
  let best = truncated ? source.length : 0;
  let lineOfOffset = 1;
  for (let offset = 0; offset <= source.length; offset++) {
    if (offset > 0 && source[offset - 1] === '\n') lineOfOffset++;
    const read = (truncated ? source.slice(Math.max(0, offset - 20), offset) : source.slice(0, offset)).replace(
      /\n/g,
      '',
    );
    if (read === before && (!truncated || offset > 20)) {
      best = offset;
      if (lineOfOffset >= line) return offset;
    }
  }
  return best;
}

/** The innermost block opened and never closed, by a plain scan of `{{#x}}` and `{{/x}}`. */
function unclosedBlock(source: string): { name: string; offset: number } | null {
  const open: Array<{ name: string; offset: number }> = [];
  for (const match of source.matchAll(/\{\{~?\s*([#/^])\s*>?\s*([^\s}~]+)/g)) {
    const [, mark, name = ''] = match;
    if (mark === '/') open.pop();
    else open.push({ name, offset: match.index ?? 0 });
  }
  return open.at(-1) ?? null;
}

// ---------------------------------------------------------------------------
// Words.

function helperList(): string {
  return `The helpers are ${listed(OWN_HELPERS, true, 'and')} (and Handlebars' ${listed(BUILT_IN_HELPERS, true, 'and')}); the block helpers are ${listed(
    BLOCK_HELPERS.map((name) => `#${name}`),
    true,
    'and',
  )}`;
}

/** `a, b and c`. */
export function listed(items: readonly string[], last = true, word = 'and'): string {
  if (!last || items.length < 2) return items.join(', ');
  return `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/** The candidate nearest to `name` (one edit for short names, two for longer), if any. */
export function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = name.length <= 3 ? 1 : 2;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, candidate);
    if (candidate !== name && distance <= bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** An expression as a template would write it: `"signUp.sms"`, `(concat kind ".intro")`. */
function written(node: Node): string {
  if (node.type === 'StringLiteral') return JSON.stringify((node as hbs.AST.StringLiteral).value);
  if (node.type === 'PathExpression') return (node as PathExpression).original;
  if (node.type !== 'SubExpression') return String((node as Node & { original?: unknown }).original ?? '…');
  const sub = node as hbs.AST.SubExpression;
  return `(${[sub.path.original, ...sub.params.map(written)].join(' ')})`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
