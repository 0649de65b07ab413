import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { DomainError } from '../domainError.js';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** Compressed bytes fed to the inflater at a time: one step can never unpack more than ~1,000× this. */
const CHUNK = 8 * 1024;

/**
 * Unpacks a zip with hard limits, refusing zip bombs before and while
 * unpacking: first the central directory is read without inflating
 * anything (entry count, each declared size, their total); then entries are
 * inflated in small steps and stopped the moment one unpacks to more than
 * it declared or than the limits allow. Directories are skipped.
 */
export function readZip(data: Uint8Array, limits: ZipLimits): ZipEntry[] {
  const declared = new Map<string, number>();
  let total = 0;
  try {
    unzipSync(data, {
      filter: (f) => {
        if (declared.size >= limits.maxEntries) throw new DomainError('too_many_files', { max: limits.maxEntries });
        if (!f.name.endsWith('/')) {
          if (f.originalSize > limits.maxEntryBytes) throw tooLarge(f.name, limits.maxEntryBytes);
          total += f.originalSize;
          if (total > limits.maxTotalBytes) throw new DomainError('too_large', { maxMiB: limits.maxTotalBytes / 1024 / 1024 });
          declared.set(f.name, f.originalSize);
        }
        return false;
      },
    });
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('invalid_zip', { reason: `this is not a zip file: ${err instanceof Error ? err.message : String(err)}`, problem: 'not_zip' });
  }

  const entries: ZipEntry[] = [];
  let unpacked = 0;
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    const limit = declared.get(file.name);
    if (limit === undefined || file.name.endsWith('/')) return;
    if (file.compression !== 0 && file.compression !== 8) {
      failure = new DomainError('invalid_zip', { reason: `${file.name}: compression method ${file.compression} is not supported (use deflate)`, problem: 'zip_compression' });
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new DomainError('invalid_zip', { reason: `${file.name}: ${err.message}`, problem: 'zip_damaged' });
        return;
      }
      size += chunk.length;
      unpacked += chunk.length;
      if (size > limit || size > limits.maxEntryBytes || unpacked > limits.maxTotalBytes) {
        failure = new DomainError('too_large', { maxMiB: limits.maxTotalBytes / 1024 / 1024 }, [{ path: file.name, message: 'unpacks to more than it declares or the limits allow' }]);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) entries.push({ name: file.name, bytes: concat(chunks, size) });
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < data.length && !failure; i += CHUNK) unzip.push(data.subarray(i, Math.min(i + CHUNK, data.length)), i + CHUNK >= data.length);
  } catch (err) {
    failure ??= new DomainError('invalid_zip', { reason: `the zip is damaged: ${err instanceof Error ? err.message : String(err)}`, problem: 'zip_damaged' });
  }
  if (failure) throw failure;
  const missing = [...declared.keys()].filter((name) => !entries.some((e) => e.name === name));
  if (missing.length) throw new DomainError('invalid_zip', { reason: `the zip is damaged: ${missing[0]} could not be unpacked`, problem: 'zip_damaged' });
  return entries;
}

function tooLarge(name: string, max: number): DomainError {
  return new DomainError('too_large', { maxMiB: max / 1024 / 1024 }, [{ path: name, message: `larger than ${max / 1024 / 1024} MiB` }]);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
