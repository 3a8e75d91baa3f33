import type { ProtectionStatus } from '@bulletproof/core';
import { useProtection } from '../context/BulletproofProvider.js';
import { useObserved } from './use-observed.js';

/** Health, degradation, connectivity, breakers, outbox and predictions in one snapshot. */
export function useProtectionStatus(): ProtectionStatus {
  const protection = useProtection();
  return useObserved(protection.status$, () => protection.status());
}
