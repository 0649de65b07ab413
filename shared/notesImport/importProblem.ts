/**
 * A file that cannot be imported, with a reason a person can act on. The
 * server answers 422 with it; nothing has touched a document at that point.
 */
export class ImportProblem extends Error {
  constructor(
    message: string,
    /** Where in the file (a JSON path, a line, a zip entry), when that helps. */
    readonly where?: string,
  ) {
    super(message);
  }
}
