/**
 * The member-rule engine behind `applyMemberRules` (gate.md §A1.3): rebuilds an object with exactly
 * the members of a rule table. Signing a trace runs it twice and verifying once, over records that
 * are almost always normalized already, so it is written to cost little on that path:
 * - a rule table is read once into arrays, nested tables included (not `Object.entries` per call);
 * - a value the rules would leave as it is, is returned as it is (same reference, nothing
 *   allocated), at every depth; a changed value is rebuilt exactly as before.
 * Results may therefore share unchanged nested values with the input. The JSON (and JCS) text of a
 * result is the same as that of a fresh deep copy.
 */
import { canonicalTimestampText, formatTimestamp, ZERO_TIME } from '../../runtime/timestamp.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';

/** `always`: kept even when empty; `omit`: dropped when empty; `time`: zero-time rule (§A1.3). */
export type ScalarRule = 'always' | 'omit' | 'time';
/** A nested object (omitted when absent or null, emitted even when all its members are empty). */
export interface ObjectRule {
  readonly object: MemberRules;
}
/** An array of objects, omit-empty. */
export interface ObjectListRule {
  readonly objects: MemberRules;
}
export type MemberRule = ScalarRule | ObjectRule | ObjectListRule;
export type MemberRules = Readonly<Record<string, MemberRule>>;

/** A rule with its nested table compiled, so walking a record never looks a table up again. */
type CompiledRule = ScalarRule | { readonly object: CompiledRules } | { readonly objects: CompiledRules };

interface CompiledRules {
  readonly names: readonly string[];
  readonly rules: CompiledRule[];
  readonly nameSet: ReadonlySet<string>;
  /**
   * no name is an `Object.prototype` member, so for a plain object an absent name reads as
   * undefined, and `for…in` lists its own keys only (plain data has no enumerable inherited members)
   */
  readonly ownKeysSuffice: boolean;
}

// Rule tables are constants (typed read-only); each is read into arrays, nested tables included,
// the first time it is used (an entry is registered before its children, so shared tables compile once).
const compiledTables = new WeakMap<MemberRules, CompiledRules>();

function compile(table: MemberRules): CompiledRules {
  let compiled = compiledTables.get(table);
  if (compiled !== undefined) return compiled;
  const names = Object.keys(table);
  compiled = { names, rules: [], nameSet: new Set(names), ownKeysSuffice: !names.some((name) => name in Object.prototype) };
  compiledTables.set(table, compiled);
  for (const rule of Object.values(table)) {
    if (typeof rule === 'string') compiled.rules.push(rule);
    else if ('object' in rule) compiled.rules.push({ object: compile(rule.object) });
    else compiled.rules.push({ objects: compile(rule.objects) });
  }
  return compiled;
}

const ZERO_TIME_TEXT = formatTimestamp(ZERO_TIME);

// The last few timestamp texts found canonical. Signing a decision checks the same `created_at` and
// `observed_at` twice (building, then signing), and parsing a timestamp is most of such a check;
// the answer depends on the text alone, so remembering it is exact.
const recentCanonical = ['', '', '', ''];
let recentNext = 0;

function isEmpty(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  return Array.isArray(value) && value.length === 0;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Only a plain object may be returned as it is: any other object is copied into a plain one. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The original deep copy, for values that do change. */
function wellFormedCopy(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v)]));
  }
  return value;
}

/**
 * Strings decode lone surrogates to U+FFFD (gate.md §A1.3), as a Go decoder does. Returns `value`
 * itself when nothing in it changes (the common case: a check, no copy).
 */
function wellFormed(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.isWellFormed() ? value : value.toWellFormed();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue;
      if (wellFormed(item) !== item) return wellFormedCopy(value);
    }
    return value;
  }
  if (!isPlainObject(value)) return wellFormedCopy(value);
  for (const key of Object.keys(value)) {
    const member = value[key] as JsonValue;
    if (wellFormed(member) !== member) return wellFormedCopy(value);
  }
  return value;
}

/**
 * Re-renders a timestamp canonically, keeping its offset; unset (absent, null, "") is zero time.
 * @throws GaitError `input_time` for a value that is not RFC 3339
 */
function canonicalTime(value: JsonValue | undefined): string {
  if (value === undefined || value === null || value === '') return ZERO_TIME_TEXT;
  const text = String(value);
  if (text === recentCanonical[0] || text === recentCanonical[1] || text === recentCanonical[2] || text === recentCanonical[3]) {
    return text;
  }
  const canonical = canonicalTimestampText(text);
  if (canonical === text) {
    recentCanonical[recentNext] = text;
    recentNext = (recentNext + 1) % recentCanonical.length;
  }
  return canonical;
}

function applyItem(item: JsonValue, rules: CompiledRules): JsonValue {
  return isObject(item) ? rebuildWith(item, rules) : wellFormed(item);
}

// No closures here: under tsx every named closure created costs a `__name` defineProperty call.
function applyObjects(value: JsonValue | undefined, rules: CompiledRules): JsonValue[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i] as JsonValue;
    if (applyItem(item, rules) !== item) return value.map((v) => applyItem(v, rules));
  }
  return value;
}

function applyRule(rule: CompiledRule, value: JsonValue | undefined): JsonValue | undefined {
  if (rule === 'time') return canonicalTime(value);
  if (rule === 'always') return value === undefined ? undefined : wellFormed(value);
  if (rule === 'omit') return isEmpty(value) ? undefined : wellFormed(value as JsonValue);
  if ('object' in rule) return isObject(value) ? rebuildWith(value, rule.object) : undefined;
  return applyObjects(value, rule.objects);
}

/** A plain object holding `value`'s first `count` members (those the rules left unchanged). */
function prefixCopy(value: JsonObject, keys: readonly string[], count: number): JsonObject {
  const out: JsonObject = {};
  for (let k = 0; k < count; k++) {
    const key = keys[k] as string;
    out[key] = value[key] as JsonValue;
  }
  return out;
}

/** What the own-member check found: see `checkOwnMembers`. */
const NOT_SHOWN = 0;
const UNCHANGED = 1;
const UNCHANGED_BUT_EXTRA = 2;
type OwnCheck = typeof NOT_SHOWN | typeof UNCHANGED | typeof UNCHANGED_BUT_EXTRA;

/**
 * Whether the rules leave a plain `value` as it is, read from its own members only: a record holds
 * a few dozen of a table's names at most, while the rebuild below reads every name. The rules emit
 * exactly the table names among its own keys, in table order, with their values, iff: walking the
 * table alongside the keys, each key that is a table name comes later in the table than the one
 * before, no such value is undefined or changed by its rule, and no zero-time name is skipped (an
 * absent one would be emitted as zero time). The names skipped are absent, so the rules emit nothing
 * for them. Then the result is `value` itself (`UNCHANGED`) or, when `value` also has keys outside
 * the table (a verified record's `signature`), a copy of its table members (`UNCHANGED_BUT_EXTRA`).
 * `NOT_SHOWN` leaves it to the full rebuild. Members are checked in table order, so a member that
 * throws is the one the rebuild throws for.
 */
function checkOwnMembers(value: JsonObject, rules: CompiledRules): OwnCheck {
  const { names } = rules;
  const n = names.length;
  let i = 0;
  let extra = false;
  // `for…in` lists the own keys in `Object.keys` order (nothing enumerable is inherited: see
  // `ownKeysSuffice`) without allocating, and reads each member through the enum cache.
  for (const key in value) {
    let at = i;
    while (at < n && names[at] !== key) at++;
    if (at === n) {
      if (rules.nameSet.has(key)) return NOT_SHOWN; // out of table order
      extra = true;
      continue;
    }
    for (; i < at; i++) if (rules.rules[i] === 'time') return NOT_SHOWN;
    const before = value[key];
    if (before === undefined || applyRule(rules.rules[at] as CompiledRule, before) !== before) return NOT_SHOWN;
    i = at + 1;
  }
  for (; i < n; i++) if (rules.rules[i] === 'time') return NOT_SHOWN;
  return extra ? UNCHANGED_BUT_EXTRA : UNCHANGED;
}

/** A plain object with `value`'s own members that are table names, in their (table) order. */
function tableMembers(value: JsonObject, rules: CompiledRules): JsonObject {
  const out: JsonObject = {};
  for (const key in value) if (rules.nameSet.has(key)) out[key] = value[key] as JsonValue;
  return out;
}

function rebuildWith(value: JsonObject, rules: CompiledRules): JsonObject {
  const { names } = rules;
  const plain = isPlainObject(value);
  if (plain && rules.ownKeysSuffice) {
    const own = checkOwnMembers(value, rules);
    if (own === UNCHANGED) return value;
    if (own === UNCHANGED_BUT_EXTRA) return tableMembers(value, rules);
  }
  const keys = plain ? Object.keys(value) : undefined;
  // `value` is unchanged iff it is plain and its own keys are exactly the emitted names, in order,
  // each with an unchanged value. Until the first difference nothing is allocated.
  let out: JsonObject | undefined;
  let kept = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const before = value[name];
    const rule = rules.rules[i] as CompiledRule;
    // Most names of a table are absent; only the zero-time rule emits something for them.
    if (before === undefined && rule !== 'time') continue;
    const member = applyRule(rule, before);
    if (member === undefined) continue;
    if (out === undefined) {
      if (member === before && keys !== undefined && keys[kept] === name) {
        kept++;
        continue;
      }
      out = keys === undefined ? {} : prefixCopy(value, keys, kept);
    }
    out[name] = member;
  }
  if (out !== undefined) return out;
  return keys !== undefined && keys.length === kept ? value : prefixCopy(value, keys ?? [], kept);
}

/**
 * Rebuilds `value` with exactly the members of `rules` (in rule order): omit-empty members dropped,
 * timestamps re-rendered canonically (zero time when unset), nested objects rebuilt likewise;
 * members not in `rules` are dropped. Returns `value` itself when that changes nothing.
 * @throws GaitError `input_time` when a timestamp member is not RFC 3339
 */
export function rebuildMembers(value: JsonObject, rules: MemberRules): JsonObject {
  return rebuildWith(value, compile(rules));
}
