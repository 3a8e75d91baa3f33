export { BulletproofBoundary, useBoundary } from './components/BulletproofBoundary.js';
export type {
  BoundaryFallbackProps,
  BoundaryResetDetails,
  BulletproofBoundaryProps,
} from './components/BulletproofBoundary.js';
