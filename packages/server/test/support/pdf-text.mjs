// Prints the page count and each page's text of the PDF on standard input, as JSON: the tests
// read Ordo's PDFs the way a reader would (pdf.js), in a process of its own since pdf.js is ESM.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)) }).promise;
const pages = [];
for (let i = 1; i <= doc.numPages; i++) {
  const content = await (await doc.getPage(i)).getTextContent();
  pages.push(content.items.map((item) => item.str).join(' '));
}
process.stdout.write(JSON.stringify({ pages, title: (await doc.getMetadata()).info.Title }));
