// Exports and methods allowed to go without a TSDoc comment (wired in as TypeDoc's
// `intentionallyNotDocumented`). Empty, and meant to stay so: every new export and method must
// be documented, and `npm run docs` fails on one that is not.
export const undocumented = [];
