/**
 * True in the development build, false in the production one. Option checks, which
 * name every bad option and what it must be, run behind it: the production build (the
 * package's `default` export condition) is compiled with `DEV` false, so an app's
 * bundle carries neither the checks nor their messages, and `if (DEV)` blocks vanish.
 * Bundlers pick the development build through the `development` export condition
 * (Vite's dev server, webpack in development mode, Vitest); the TypeScript sources are
 * the development build. Checks of data the package did not make itself (stored
 * records, messages from other tabs) are not behind it: they run in every build.
 */
export const DEV: boolean = true;
