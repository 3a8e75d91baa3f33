// The demo API stand-alone, as the tests start it. Quoted in demo/README.md.
import { startDemoServer } from '../../demo/server/start.js';

declare const dataDir: string;

const server = await startDemoServer({ dataDir, seed: 1, static: 'demo/dist' }); // port 0 = a free port
console.log(server.url, server.api.stats().writesApplied);
server.api.chaos = { latency: { fixedMs: 200, jitterMs: 100 } };
await server.close();
