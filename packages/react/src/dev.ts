/**
 * True in the development build, false in the production one (as in the core, see its
 * `dev.ts`): what only a developer sees — the wording of a hook used outside its provider, say —
 * runs behind it, and the production build (the `default` export condition) is compiled with
 * `DEV` false, so an app's bundle carries a short message instead. Bundlers pick the development
 * build through the `development` export condition; the TypeScript sources are the development build.
 */
export const DEV: boolean = true;
