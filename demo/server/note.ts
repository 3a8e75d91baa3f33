import * as z from 'zod/mini';

/**
 * The notes resource of the demo API. No Node imports: the demo app shares
 * these schemas and types.
 */

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 20_000;

/** Ids are chosen by clients too (offline-created notes keep theirs), so they must be URL-safe. */
export const noteIdSchema = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._~:-]{0,127}$/, {
    error: 'must be 1 to 128 letters, digits or . _ ~ : - (starting with a letter or digit)',
  }),
);

export const noteSchema = z.object({
  id: noteIdSchema,
  title: z.string().check(z.maxLength(MAX_TITLE_LENGTH)),
  body: z.string().check(z.maxLength(MAX_BODY_LENGTH)),
  /** Epoch milliseconds. */
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Note = z.infer<typeof noteSchema>;

/**
 * The body of `POST /api/notes` and `PUT /api/notes/:id`. Unknown fields
 * (such as `createdAt` echoed back from a GET) are ignored.
 */
export const noteInputSchema = z.object({
  id: z.optional(noteIdSchema),
  title: z.string().check(z.minLength(1), z.maxLength(MAX_TITLE_LENGTH)),
  body: z.optional(z.string().check(z.maxLength(MAX_BODY_LENGTH))),
});
export type NoteInput = z.infer<typeof noteInputSchema>;
