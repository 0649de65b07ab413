/** Origin of the transactions a restore (or revert) applies to a live document. */
export const RESTORE_ORIGIN = Symbol('roundtable-restore');
/** Origin of an import's writes into a live document. */
export const IMPORT_ORIGIN = Symbol('roundtable-import');
/** Origin of the changes applied to a history copy that a restore undoes. */
export const TRACKED_ORIGIN = Symbol('history-tracked');
/** Origin of the changes applied to a history copy that a restore keeps. */
export const KEPT_ORIGIN = Symbol('history-kept');
