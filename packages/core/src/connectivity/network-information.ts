import type { NetworkInformationLike } from './types.js';

export interface NetworkInformationReading {
  effectiveType?: string;
  saveData?: boolean;
  rtt?: number;
}

/** Reads the Network Information API's fields, keeping only the well-typed ones. */
export function readNetworkInformation(
  connection: NetworkInformationLike | undefined,
): NetworkInformationReading {
  const reading: NetworkInformationReading = {};
  if (!connection) return reading;
  if (typeof connection.effectiveType === 'string') reading.effectiveType = connection.effectiveType;
  if (typeof connection.saveData === 'boolean') reading.saveData = connection.saveData;
  if (typeof connection.rtt === 'number' && Number.isFinite(connection.rtt)) reading.rtt = connection.rtt;
  return reading;
}

/** Calls `onChange` when the browser's estimate changes; returns the unsubscribe. */
export function watchNetworkInformation(
  connection: NetworkInformationLike | undefined,
  onChange: () => void,
): () => void {
  if (!connection || typeof connection.addEventListener !== 'function') return () => {};
  connection.addEventListener('change', onChange);
  return () => connection.removeEventListener?.('change', onChange);
}
