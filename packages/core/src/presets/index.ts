export { presets } from './presets.js';
export type { UploadPresetOptions } from './presets.js';
export type { Preset, PresetBreakerOptions, PresetOptions } from './preset.js';
export { singleFlight } from './single-flight.js';
export { sendTelemetry, KEEPALIVE_BYTES } from './send-telemetry.js';
export type { SendTelemetryOptions } from './send-telemetry.js';
