/**
 * What compiled JSX calls, imported from React in this one module (the library build points
 * its JSX here), so the per-module output shares one import instead of repeating it.
 */
export { Fragment, jsx, jsxs } from 'react/jsx-runtime';
