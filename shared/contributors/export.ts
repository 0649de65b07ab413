import { CSV_BOM, csvCell, escapeMarkdown } from '../actionItems/export.js';
import type { MinutesLabels } from '../minutes/labels.js';
import type { ContributorDto } from './report.js';

/** One row per person, formula-safe (the action-item CSV's cells, BOM included); an empty `characters` cell means "not measured". */
export function contributorsToCsv(rows: readonly ContributorDto[]): string {
  const header = ['name', 'also_written_as', 'notes_sessions', 'characters', 'moderated_sessions', 'action_items_owned', 'action_items_done', 'sessions'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const sessions = r.sessions.map((s) => {
      const roles = [s.tookNotes ? `notes${s.chars !== null ? ` ${s.chars}` : ''}` : '', s.moderated ? 'moderator' : ''].filter(Boolean).join(', ');
      return `${s.title} (${roles})`;
    });
    lines.push(
      [
        r.name,
        r.variants.slice(1).join('; '),
        String(r.sessions.filter((s) => s.tookNotes).length),
        r.chars === null ? '' : String(r.chars),
        String(r.sessions.filter((s) => s.moderated).length),
        String(r.actionItems.owned),
        String(r.actionItems.done),
        sessions.join('; '),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}

/** A Markdown table in the event's language; every name and title is escaped (no links, no HTML). */
export function contributorsToMarkdown(rows: readonly ContributorDto[], eventTitle: string, L: MinutesLabels): string {
  const cell = (s: string) => escapeMarkdown(s);
  const out = [`# ${cell(L.contributorsOf(eventTitle))}`, '', `| ${L.name} | ${L.noteTakers} | ${L.characters} | ${L.moderators} | ${L.actionItemsDoneOwned} |`, '| --- | --- | ---: | --- | ---: |'];
  for (const r of rows) {
    const notes = r.sessions.filter((s) => s.tookNotes).map((s) => cell(s.title));
    const moderated = r.sessions.filter((s) => s.moderated).map((s) => cell(s.title));
    const name = cell(r.name) + (r.variants.length > 1 ? ` (${r.variants.slice(1).map(cell).join(', ')})` : '');
    out.push(`| ${name} | ${notes.join(', ')} | ${r.chars === null ? '—' : r.chars} | ${moderated.join(', ')} | ${r.actionItems.done} / ${r.actionItems.owned} |`);
  }
  if (rows.length === 0) out.push('', `_${L.noContributors}_`);
  out.push('', `_${L.charactersNote}_`);
  return out.join('\n') + '\n';
}
