export { createPredictor } from './create-predictor.js';
export { phi } from './phi-accrual.js';
export { EMPTY_PREDICTION_ACCURACY } from './prediction-ledger.js';
export { ELEVATED_RISK, HIGH_RISK } from './risk-score.js';
export { watchFrustration } from './watch-frustration.js';
export type { FrustrationWatchOptions, FrustrationWatchSignal } from './watch-frustration.js';
export type {
  FrustrationKind,
  FrustrationSignal,
  Prediction,
  PredictionAccuracy,
  Predictor,
  PredictorOptions,
  PredictorSample,
  ProbeSample,
  RiskLevel,
  RiskSnapshot,
} from './types.js';
