/**
 * The package's own value checker: a few composable schemas that say, for each problem,
 * where it is and what was expected. It replaces a general-purpose validation library,
 * whose smallest bundle (7 KB min+gzip) was larger than a whole policy: the checks here
 * are what options and stored records need, and nothing more.
 *
 * A schema is a function that appends one `Issue` per problem found; it never throws
 * and never copies the value, so a value that passed is used as it is.
 */

/** Where a problem is: property names and array indexes from the checked value's root. */
export type Path = readonly PropertyKey[];

export interface Issue {
  readonly path: Path;
  /** What the value must be, phrased to follow its name: `must be ≥ 1`. Empty for unknown keys. */
  readonly message: string;
  /** Set when the problem is keys the object does not accept. */
  readonly unknownKeys?: readonly string[];
}

/**
 * Checks a value of type `T` (`type` is never set: it only carries `T` for the
 * compiler). An object schema is typed against its interface through `Shape`, so the
 * interface stays the one declaration and the compiler keeps the two in step.
 */
export interface Schema<T> {
  (value: unknown, path: Path, issues: Issue[]): void;
  readonly type?: T;
}

/** A schema that also accepts `undefined`: the property it checks may be left out. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const at = (path: Path, key: PropertyKey): Path => [...path, key];

/** The base of every leaf schema: one test, one expectation (`a Clock (…)`, after "must be"). */
/* @__NO_SIDE_EFFECTS__ */
export function custom<T>(test: (value: unknown) => boolean, expected: string): Schema<T> {
  return (value, path, issues) => {
    if (!test(value)) issues.push({ path, message: `must be ${expected}` });
  };
}

export const boolean: Schema<boolean> = /* @__PURE__ */ custom((v) => typeof v === 'boolean', 'a boolean');

export const unknown: Schema<unknown> = () => {};

/** A function-valued option (callbacks such as `retryIf`), typed by where it is used. */
/* @__NO_SIDE_EFFECTS__ */
export function fn<F extends (...args: never[]) => unknown>(): Schema<F> {
  return custom((v) => typeof v === 'function', 'a function');
}

interface Bounds {
  readonly int?: boolean;
  readonly gte?: number;
  readonly gt?: number;
  readonly lte?: number;
  readonly lt?: number;
}

/** A finite number (an integer with `int`), within the given bounds. */
/* @__NO_SIDE_EFFECTS__ */
export function number(bounds: Bounds = {}): Schema<number> {
  const { int, gte, gt, lte, lt } = bounds;
  return (value, path, issues) => {
    const fail = (message: string) => issues.push({ path, message });
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(int ? 'must be an integer' : 'must be a finite number');
    } else if (int && !Number.isInteger(value)) fail('must be an integer');
    else if (gte !== undefined && value < gte) fail(`must be ≥ ${gte}`);
    else if (gt !== undefined && value <= gt) fail(`must be > ${gt}`);
    else if (lte !== undefined && value > lte) fail(`must be ≤ ${lte}`);
    else if (lt !== undefined && value >= lt) fail(`must be < ${lt}`);
  };
}

interface Lengths {
  readonly min?: number;
  readonly max?: number;
}

function sized(value: { length: number }, { min, max }: Lengths, unit: string): string | undefined {
  if (min !== undefined && value.length < min) {
    return min === 1 ? 'must not be empty' : `must have at least ${min} ${unit}`;
  }
  if (max !== undefined && value.length > max) return `must have at most ${max} ${unit}`;
  return undefined;
}

/** A string, optionally of bounded length and matching a pattern. */
/* @__NO_SIDE_EFFECTS__ */
export function string(lengths: Lengths & { readonly pattern?: RegExp } = {}): Schema<string> {
  return (value, path, issues) => {
    const message =
      typeof value !== 'string'
        ? 'must be a string'
        : (sized(value, lengths, 'character(s)') ??
          (lengths.pattern && !lengths.pattern.test(value) ? 'is not in the expected format' : undefined));
    if (message) issues.push({ path, message });
  };
}

/** `"a"` or `one of "a", "b"`: how a choice of literal values is written. */
export function choices(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  return shown.length === 1 ? `${shown[0]}` : `one of ${shown.join(', ')}`;
}

/** One of the given primitive values. */
/* @__NO_SIDE_EFFECTS__ */
export function literal<const V extends readonly (string | number | boolean | null)[]>(
  ...values: V
): Schema<V[number]> {
  return custom((v) => values.includes(v as V[number]), choices(values));
}

/* @__NO_SIDE_EFFECTS__ */
export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  const check = (value: unknown, path: Path, issues: Issue[]) => {
    if (value !== undefined) schema(value, path, issues);
  };
  return Object.assign(check, { optional: true as const });
}

/* @__NO_SIDE_EFFECTS__ */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return (value, path, issues) => {
    if (value !== null) schema(value, path, issues);
  };
}

/** A plain object (not null, not an array): what `object` and `record` check values against. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each property's schema; a property that may be left out needs an `optional()` one. */
export type Shape<T> = {
  readonly [K in keyof T]-?: undefined extends T[K] ? OptionalSchema<Exclude<T[K], undefined>> : Schema<T[K]>;
};

/**
 * An object with the given properties. Unknown keys are refused (a typo in an option
 * must not be ignored) unless `loose`, for records that a newer version may extend.
 */
/* @__NO_SIDE_EFFECTS__ */
export function object<T>(shape: Shape<T>, loose = false): Schema<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value, path, issues) => {
    if (!isRecord(value)) {
      issues.push({ path, message: 'must be an object' });
      return;
    }
    if (!loose) {
      const unknownKeys = Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
      if (unknownKeys.length > 0) issues.push({ path, message: '', unknownKeys });
    }
    for (const key of keys) (shape[key] as Schema<unknown>)(value[key], at(path, key), issues);
  };
}

/** An array whose every item passes `item`, of bounded length. */
/* @__NO_SIDE_EFFECTS__ */
export function array<T>(item: Schema<T>, lengths: Lengths = {}): Schema<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: 'must be an array' });
      return;
    }
    const message = sized(value, lengths, 'item(s)');
    if (message) issues.push({ path, message });
    value.forEach((v, i) => item(v, at(path, i), issues));
  };
}

/** A fixed-length array, item by item. */
/* @__NO_SIDE_EFFECTS__ */
export function tuple<T extends readonly unknown[]>(items: {
  readonly [K in keyof T]: Schema<T[K]>;
}): Schema<T> {
  return (value, path, issues) => {
    if (!Array.isArray(value) || value.length !== items.length) {
      issues.push({ path, message: `must be a list of ${items.length}` });
      return;
    }
    items.forEach((item: Schema<unknown>, i) => item(value[i], at(path, i), issues));
  };
}

/** An object used as a dictionary: any key, every value passing `item`. */
/* @__NO_SIDE_EFFECTS__ */
export function record<T>(item: Schema<T>): Schema<Record<string, T>> {
  return (value, path, issues) => {
    if (!isRecord(value)) {
      issues.push({ path, message: 'must be an object' });
      return;
    }
    for (const key of Object.keys(value)) item(value[key], at(path, key), issues);
  };
}

/**
 * Any one of the schemas. When each one refused the value itself (not a field inside
 * it), the message lists what each accepts: `must be false or a RetryBudget`.
 */
/* @__NO_SIDE_EFFECTS__ */
export function union<S extends readonly Schema<unknown>[]>(...schemas: S): Schema<Infer<S[number]>> {
  return (value, path, issues) => {
    const expected: string[] = [];
    let deep = false;
    for (const schema of schemas) {
      const found: Issue[] = [];
      schema(value, path, found);
      const [only, ...more] = found;
      if (!only) return;
      if (more.length > 0 || only.path.length !== path.length || !only.message.startsWith('must be ')) {
        deep = true;
      } else expected.push(only.message.slice('must be '.length));
    }
    issues.push({
      path,
      message: deep ? 'does not match any accepted shape' : `must be ${mergeChoices(expected)}`,
    });
  };
}

/** `one of "a", "b"` twice becomes one `one of "a", "b", "c"`. */
function mergeChoices(expected: readonly string[]): string {
  const literals = expected.filter((e) => e.startsWith('one of ') || /^["\d]|^(true|false|null)$/.test(e));
  if (literals.length < 2) return expected.join(' or ');
  const merged = `one of ${literals.map((e) => e.replace(/^one of /, '')).join(', ')}`;
  return [merged, ...expected.filter((e) => !literals.includes(e))].join(' or ');
}

/**
 * A schema with a further rule that needs the whole value, checked only once the value
 * passed `schema`; the problem is reported at `where` inside it (its root by default).
 */
/* @__NO_SIDE_EFFECTS__ */
export function refine<T>(
  schema: Schema<T>,
  test: (value: T) => boolean,
  message: string,
  where: Path = [],
): Schema<T> {
  return (value, path, issues) => {
    const before = issues.length;
    schema(value, path, issues);
    if (issues.length === before && !test(value as T)) issues.push({ path: [...path, ...where], message });
  };
}
