import * as z from 'zod/mini';

/** One invalid field: its dotted path (`latency.fixedMs`) and what was wrong with it. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export type Validated<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: FieldIssue[] };

// zod/mini carries no messages of its own; English ones are passed per parse
// rather than configured globally, so nothing else in the process changes.
const english = z.locales.en().localeError;

export function validate<T>(schema: z.ZodMiniType<T>, input: unknown): Validated<T> {
  const result = schema.safeParse(input, { error: english });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toFieldIssues) };
}

/** `title: Too small…; latency.fixedMs: …` for error messages. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
}

function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const prefix = issue.path.map(String).join('.');
  // An unknown key is reported on its parent; name the key itself instead.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: prefix ? `${prefix}.${key}` : key, message: 'Unknown field' }));
  }
  return [{ field: prefix || '(body)', message: issue.message }];
}
