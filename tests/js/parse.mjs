// Parses a reading list with citation-js and prints how many entries it read
// and their titles, as JSON. Usage: node parse.mjs bibtex|ris|csljson FILE
// Exit code 1 when the file does not parse as that format.
import { readFileSync } from 'node:fs';
import { Cite, plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import '@citation-js/plugin-csl';

const [format, file] = process.argv.slice(2);
const forceType = { bibtex: '@bibtex/text', ris: '@ris/file', csljson: '@csl/list+object' }[format];
if (!forceType) {
  console.error(`unknown format ${format}`);
  process.exit(2);
}
try {
  let input = readFileSync(file, 'utf8');
  if (format === 'csljson') input = JSON.parse(input);
  const cite = await Cite.async(input, { forceType });
  const titles = cite.data.map((d) => d.title);
  if (cite.data.length === 0 || titles.some((t) => !t)) throw new Error('entries without titles');
  console.log(JSON.stringify({ count: cite.data.length, titles, dois: cite.data.map((d) => d.DOI || '') }));
} catch (e) {
  console.error(`${file}: not valid ${format}: ${e.message}`);
  process.exit(1);
}
