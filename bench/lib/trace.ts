import fs from 'node:fs';
import zlib from 'node:zlib';

/** An editing trace in the josephg/editing-traces format. */
export interface EditingTrace {
  startContent: string;
  endContent: string;
  txns: { patches: [position: number, deleted: number, inserted: string][] }[];
}

/** Reads a .json.gz trace, or returns null when the file is not there. */
export function loadTrace(file: string): EditingTrace | null {
  if (!fs.existsSync(file)) return null;
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as EditingTrace;
  // Positions count code points, Y.Text counts UTF-16 units: they agree only without astral characters.
  const astral = /[\uD800-\uDFFF]/;
  if (astral.test(trace.startContent) || trace.txns.some((t) => t.patches.some((p) => astral.test(p[2])))) {
    throw new Error(`${file}: characters outside the BMP are not supported by this replay`);
  }
  return trace;
}
