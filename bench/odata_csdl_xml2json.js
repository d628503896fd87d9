// Times the OASIS converter (npm odata-csdl, xml2json) on one CSDL XML file.
// Usage: node bench/odata_csdl_xml2json.js FILE [REPEAT] [OUT.json]
// Prints one JSON line: {"convert_ms": [...], "cpu_ms": [...], "best_ms": n, "process_ms": n}
// (cpu_ms: process CPU time of each conversion, all threads, from process.cpuUsage()).
const t0 = process.hrtime.bigint();
const fs = require("fs");
const path = require("path");
const modules = process.env.NODE_MODULES || path.join(require("os").homedir(), ".cache/api-workbench-tests/npm/node_modules");
const { xml2json } = require(path.join(modules, "odata-csdl"));
const file = process.argv[2];
const repeat = Number(process.argv[3] || 3);
const out = process.argv[4];
const xml = fs.readFileSync(file, "utf8");
const times = [];
const cpu = [];
let json;
for (let i = 0; i < repeat; i++) {
  const s = process.hrtime.bigint();
  const c = process.cpuUsage();
  json = xml2json(xml, { messages: [] }); // the options its CLI uses
  const used = process.cpuUsage(c);
  times.push(Number(process.hrtime.bigint() - s) / 1e6);
  cpu.push((used.user + used.system) / 1000);
}
if (out) fs.writeFileSync(out, JSON.stringify(json));
const total = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ convert_ms: times, cpu_ms: cpu, best_ms: Math.min(...times), process_ms: total }));
