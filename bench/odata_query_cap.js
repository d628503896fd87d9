// Peer side of bench/odata_query.py: SAP CAP's own OData URL parser (the one the test server
// runs, @sap/cds libx/odata/parse) over the same URLs. Prints {"parse_ms": [...]} per round.
// Usage: node bench/odata_query_cap.js URLS.json ROUNDS REPEAT   (NODE_MODULES = npm peer cache)
const path = require('path')
const { parse } = require(path.join(process.env.NODE_MODULES, '@sap/cds/libx/odata/parse/parser'))
const [file, rounds, repeat] = [process.argv[2], Number(process.argv[3] || 5), Number(process.argv[4] || 200)]
const urls = JSON.parse(require('fs').readFileSync(file, 'utf8'))
const times = []
let keep = null
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < repeat; i++) for (const u of urls) keep = parse(u, {})
  times.push(Number(process.hrtime.bigint() - t0) / 1e6)
}
if (!keep) process.exit(1)
console.log(JSON.stringify({ parse_ms: times }))
