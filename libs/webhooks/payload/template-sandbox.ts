import nunjucks from 'nunjucks';

/**
 * Names whose lookup leads from a template's data to JavaScript's own objects (and from there
 * to `Function`, that is to running code in the api or the dispatcher).
 */
const BLOCKED_MEMBERS = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** The process's globals: a template sees the event's data and the filters, nothing else. */
const BLOCKED_GLOBALS = new Set([
  'process',
  'global',
  'globalThis',
  'require',
  'module',
  'exports',
  'Function',
  'eval',
  'Buffer',
  'this',
  'constructor',
]);

export class TemplateSandboxError extends Error {
  override name = 'TemplateSandboxError';
}

interface TemplateRuntime {
  memberLookup(obj: unknown, val: unknown): unknown;
  callWrap(obj: unknown, name: string, context: unknown, args: unknown[]): unknown;
}

const FUNCTION_CONSTRUCTORS = new Set<unknown>([
  Function,
  Object.getPrototypeOf(async function () {}).constructor,
  Object.getPrototypeOf(function* () {}).constructor,
  Object.getPrototypeOf(async function* () {}).constructor,
]);

let hardened = false;

/**
 * Makes nunjucks templates in this process unable to reach JavaScript objects: a member lookup
 * sees only the own properties of the data (no methods, no prototypes), the names above are
 * refused, and no Function constructor can be called, however it was reached. nunjucks passes
 * one shared runtime to every compiled template, so this is done once, for the whole process
 * (odoo-stream uses nunjucks for subscription templates only).
 */
export function hardenTemplateRuntime(): void {
  if (hardened) return;
  hardened = true;
  const runtime = nunjucks.runtime as unknown as TemplateRuntime;
  const callWrap = runtime.callWrap;
  runtime.memberLookup = (obj: unknown, val: unknown) => {
    if (obj === undefined || obj === null) return undefined;
    const key = String(val);
    if (BLOCKED_MEMBERS.has(key)) {
      throw new TemplateSandboxError(`"${key}" is not accessible in templates`);
    }
    return Object.prototype.hasOwnProperty.call(Object(obj), key)
      ? (obj as Record<string, unknown>)[key]
      : undefined;
  };
  runtime.callWrap = (obj, name, context, args) => {
    if (FUNCTION_CONSTRUCTORS.has(obj)) {
      throw new TemplateSandboxError('creating functions is not allowed in templates');
    }
    return callWrap(obj, name, context, args);
  };
}

interface TemplateNode {
  typename: string;
  fields?: string[];
  children?: TemplateNode[];
  value?: unknown;
  [field: string]: unknown;
}

/**
 * Refuses, when a template is saved, what the sandbox would refuse when it runs: lookups of the
 * blocked members and the process's globals, wherever they stand (also in a branch the sample
 * event does not take). Throws TemplateSandboxError naming the first one.
 */
export function checkTemplateSource(source: string): void {
  const { parser } = nunjucks as unknown as { parser: { parse(src: string): TemplateNode } };
  visit(parser.parse(source));
}

function visit(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const n = node as TemplateNode;
  if (n.typename === 'LookupVal') {
    const key = (n.val as TemplateNode | undefined)?.value;
    if (typeof key === 'string' && BLOCKED_MEMBERS.has(key)) {
      throw new TemplateSandboxError(`"${key}" is not accessible in templates`);
    }
  }
  if (n.typename === 'Symbol' && typeof n.value === 'string' && BLOCKED_GLOBALS.has(n.value)) {
    throw new TemplateSandboxError(
      `"${n.value}" is not available in templates: use event, model, record_id, record, data, timestamp, priority, category, changed_fields, event_id and the filters`,
    );
  }
  for (const child of n.children ?? []) visit(child);
  for (const field of n.fields ?? []) visit(n[field]);
}
