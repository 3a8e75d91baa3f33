// The predictor on its own, and how to read its accuracy. Quoted in docs/prediction.md.
import { createPredictor, watchFrustration } from '@bulletproof/core';

const predictor = createPredictor();
predictor.record({ key: 'api', ok: true, latencyMs: 120 });
predictor.probe({ ok: true, latencyMs: 35 }); // a connectivity probe, for every key
predictor.risk('api'); // { key: 'api', score: 0.86, level: 'high', reasons: ['calls 3.4× slower than their usual 120 ms, sustained over 5 observation(s) in 3.1 s'] }
predictor.predictions$.subscribe((p) => {
  console.log(p.reasons);
});
const { precision, recall, meanLeadTimeMs, late } = predictor.accuracy();
console.log(`precision ${precision}, recall ${recall}, lead ${meanLeadTimeMs} ms, ${late} late`);

// Rage clicks and repeat submits raise the risk a little (never to `high` on their own).
watchFrustration(document, (signal) => {
  predictor.signal(signal);
});
