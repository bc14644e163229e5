// Loads an N-Triples file into an in-memory Oxigraph store with Store.load
// and prints "<triples> <seconds>" (the load alone, the file already read).
import { readFileSync } from "node:fs";
import oxigraph from "oxigraph";

const path = process.argv[2];
const text = readFileSync(path, "utf8");
const store = new oxigraph.Store();
const start = process.hrtime.bigint();
store.load(text, { format: "application/n-triples" });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${store.size} ${seconds.toFixed(3)}`);
