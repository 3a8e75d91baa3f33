// Degradation levels and feature gates on their own. Quoted in docs/degradation.md.
import { createDegradation } from '@bulletproof/core';

const degradation = createDegradation({ features: { search: 'moderate', upload: 'minimal' } });
degradation.propose('severe', ['server unreachable']); // applies at once
degradation.isAvailable('search'); // false: off at moderate and above
degradation.propose('none', []); // steps down one level per 10 s of calm: severe → moderate → minimal → none
degradation.override('critical', 'maintenance window'); // a manual level wins until override(null)
