export { createConnectivityMonitor, HEDGE_AFTER_MS, PROBE_GUARD_MS } from './create-connectivity-monitor.js';
export type {
  ConnectionQuality,
  ConnectivityMonitor,
  ConnectivityMonitorOptions,
  ConnectivitySnapshot,
  ConnectivityWindow,
  NetworkInformationLike,
  ProbeOptions,
  ProbeResult,
  Reachability,
  UnreachableCause,
} from './types.js';
