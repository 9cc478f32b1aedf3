// Runs the built site's own search engine (site/assets/javascripts/search-engine.js) under node.
// Usage: node search_node.js SITE_DIR < queries.json  ->  {query: [result url, …]} on stdout, in rank order.
// Queries may carry filters: ["党课", {"年份": "2025"}]. The index files are read from disk under the
// same URLs the browser would fetch (the site root is "/").
"use strict";
const fs = require("fs");
const path = require("path");

const site = process.argv[2];
const engineLib = require(path.resolve(site, "assets/javascripts/search-engine.js"));
const load = (url) => fs.promises.readFile(path.join(site, url), "utf8").then(JSON.parse);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));

engineLib.open("/searchindex/", load).then(async (engine) => {
  const out = {};
  for (const q of queries) {
    const [query, filters] = Array.isArray(q) ? q : [q, {}];
    const hits = await engine.search(query, filters);
    const docs = await Promise.all(hits.map((h) => engine.doc(h.id)));
    out[JSON.stringify(q)] = docs.map((d, i) => ({ url: d.url, title: hits[i].title,
      excerpt: i < 3 ? engineLib.excerpt(d.text, query, 72) : undefined }));
  }
  process.stdout.write(JSON.stringify(out));
}).catch((e) => { console.error(e); process.exit(1); });
