/**
 * Text normalisation at every edge (API bodies and schedule files alike), so a
 * title can never carry a line break into a grid cell, a minutes header or an
 * iCalendar line.
 */

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RUN = /\s*[\u0000-\u001f\u007f-\u009f\u2028\u2029]+\s*/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_TAB_LF = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** One line: every run of control characters (CR, LF, tab, NUL, …) becomes one space; trimmed. */
export function singleLine(value: string): string {
  return value.replace(CONTROL_RUN, ' ').trim();
}

/** Several lines (descriptions): line breaks become LF, tabs stay, other control characters go; trimmed. */
export function multiLine(value: string): string {
  return value.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(CONTROL_EXCEPT_TAB_LF, '').trim();
}
