export { createConnectivityMonitor, HEDGE_AFTER_MS } from './create-connectivity-monitor.js';
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
} from './types.js';
