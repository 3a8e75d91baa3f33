// What the examples assume the app already has: its data type and a few of its own functions.
// Declared, not implemented: they stand for your code.

export interface Note {
  id: string;
  title: string;
  body: string;
}

/** The app's last good copy of the notes (localStorage, IndexedDB, a memory cache…). */
export declare function readCachedNotes(): Note[];
/** Tells the user the change is kept on this device. */
export declare function showSavedLocally(): void;
/** Shows a simpler search while the full one is switched off. */
export declare function showBasicSearch(): void;
/** Draws messages wherever the app shows them. */
export declare function render(banners: readonly unknown[], toasts: readonly unknown[]): void;
/** The app's session: a fresh access token, and a way to refresh it. */
export declare const session: { accessToken(): Promise<string>; refresh(): Promise<boolean> };
