import { ImportProblem } from '../../shared/notesImport/importProblem.js';
import { DomainError, type ErrorDetail } from '../domainError.js';
import type { ConvertedNotes, NotesConverter } from './convertNotes.js';
import type { ImportFormat } from './detectFormat.js';
import { summarizeNotes, type ImportSummary } from './summarizeNotes.js';

export interface PrepareJob {
  /** The file as text (null: it was not UTF-8). */
  text: string | null;
  format: ImportFormat;
  /** The session's local date, for year-less due dates in the preview (null when not yet known). */
  sessionDate: string | null;
}

export interface PreparedImport {
  converted: ConvertedNotes;
  summary: ImportSummary;
}

/** Where and what exactly, when the parser said (the UI shows it small, untranslated, for whoever repairs the file). */
function importProblemDetails(p: ImportProblem): ErrorDetail[] | undefined {
  if (!p.where && !p.detail) return undefined;
  return [{ ...(p.where ? { path: p.where } : {}), code: p.problem, ...(p.detail ? { params: { detail: p.detail } } : {}), message: p.message }];
}

/** A file → notes checked against the schema and counted; every refusal is the HTTP error the routes answer. */
export function prepareImport(converter: NotesConverter, job: PrepareJob): PreparedImport {
  if (job.text === null) throw new DomainError('invalid_import', { reason: 'the file is not UTF-8 text', problem: 'not_utf8' });
  let converted: ConvertedNotes;
  try {
    converted = converter.convert(job.text, job.format);
  } catch (err) {
    if (err instanceof ImportProblem) throw new DomainError('invalid_import', { reason: err.message, problem: err.problem }, importProblemDetails(err));
    throw err;
  }
  return { converted, summary: summarizeNotes(converted.doc, job.sessionDate) };
}
