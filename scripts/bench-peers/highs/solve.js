// Solves a CPLEX LP file with HiGHS, the WebAssembly build of the npm
// package highs (pinned in package-lock.json beside this file), and prints
// one JSON line: status, objective, seconds of the solve, build, version.
//
//   node solve.js FILE.lp TIME_LIMIT_SECONDS
"use strict";
const fs = require("fs");
const path = require("path");
const loadHighs = require("highs");

async function main() {
  const [file, limit] = process.argv.slice(2);
  if (!file || !(Number(limit) > 0)) {
    throw new Error("usage: node solve.js FILE.lp TIME_LIMIT_SECONDS");
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve("highs")), "..", "package.json"), "utf8"));
  const highs = await loadHighs();
  const text = fs.readFileSync(file, "utf8");
  const t0 = process.hrtime.bigint();
  const r = highs.solve(text, { time_limit: Number(limit), output_flag: false, threads: 1 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ status: r.Status, objective: r.ObjectiveValue, seconds, build: "wasm", version: pkg.version }));
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
