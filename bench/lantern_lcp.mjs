// node bench/lantern_lcp.mjs TRACE DEVTOOLSLOG URL
// Lantern's FCP and LCP for a saved Lighthouse run (lighthouse --save-assets: *-0.trace.json, *-0.devtoolslog.json) and
// what its optimistic and pessimistic LCP graphs hold, each node with its simulated start and end (ms) and, for CPU
// nodes, where the task started in the observed trace. Uses the modules of bench/.node's Lighthouse (12.2.3).
import fs from 'fs';
const LH = new URL('./.node/node_modules/lighthouse', import.meta.url).pathname;
const {LanternLargestContentfulPaint} = await import(LH + '/core/computed/metrics/lantern-largest-contentful-paint.js');
const {LanternFirstContentfulPaint} = await import(LH + '/core/computed/metrics/lantern-first-contentful-paint.js');
const {defaultSettings} = await import(LH + '/core/config/constants.js');
const [trace, dlog, url] = process.argv.slice(2);
const t = JSON.parse(fs.readFileSync(trace));
const data = {trace: t, devtoolsLog: JSON.parse(fs.readFileSync(dlog)), gatherContext: {gatherMode: 'navigation'},
  settings: {...defaultSettings}, simulator: null, URL: {requestedUrl: url, mainDocumentUrl: url, finalDisplayedUrl: url}};
const context = {computedCache: new Map()};
for (const [name, M] of [['FCP', LanternFirstContentfulPaint], ['LCP', LanternLargestContentfulPaint]]) {
  const r = await M.request(data, context);
  console.log(`${name} ${Math.round(r.timing)} optimistic ${Math.round(r.optimisticEstimate.timeInMs)} pessimistic ${Math.round(r.pessimisticEstimate.timeInMs)}`);
  if (name !== 'LCP' && !process.env.ALL) continue;
  for (const [label, est] of [['opt', r.optimisticEstimate], ['pess', r.pessimisticEstimate]]) {
    const rows = [...est.nodeTimings.entries()].sort((a, b) => a[1].endTime - b[1].endTime);
    for (const [node, tm] of rows) {
      const desc = node.type === 'network' ? `${node.request.resourceType} ${node.request.priority} ${Math.round(node.request.transferSize/1024)}KB ${node.request.url.replace(/.*dangjian\//, '')}` : `cpu ${Math.round(node.duration/1000)}ms obs-start ${Math.round((node.startTime - t0(t))/1000)}`;
      console.log(`  ${label} ${Math.round(tm.startTime)}-${Math.round(tm.endTime)} ${desc}`);
    }
  }
}
function t0(t) { const ev = t.traceEvents || t; return ev.find(e => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http')).ts; }
