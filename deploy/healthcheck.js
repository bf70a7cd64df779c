#!/usr/bin/env node
// The container's health check: exit 0 when Readout says it is ready (`/-/health` answers 200),
// 1 while it loads, when loading failed, or when it does not answer. The image copies this file
// to /usr/local/lib/readout-healthcheck.js; it needs nothing but Node.
const port = process.env.READOUT_PORT || "3000";
try {
  const res = await fetch(`http://127.0.0.1:${port}/-/health`, {
    signal: AbortSignal.timeout(4000),
  });
  const { status } = await res.json();
  console.log(`readout: ${status}`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (err) {
  console.log(`readout: no answer on port ${port} (${err.message})`);
  process.exit(1);
}
