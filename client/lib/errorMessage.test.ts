import { describe, expect, it } from 'vitest';
import { ERRORS, INPUT_FIELDS, placeholdersOf, type ErrorCode } from '../../shared/errors.js';
import { ROLES } from '../../shared/roles.js';
import { en, type MessageKey } from '../i18n/en.js';
import { format, type Translate } from '../i18n/i18n.js';
import { ja } from '../i18n/ja.js';
import { ApiError } from './api.js';
import { errorKey, errorMessage } from './errorMessage.js';

const LANGS = { en, ja } as const;
const translator = (lang: keyof typeof LANGS): Translate => (key, vars) => format(LANGS[lang][key], vars);
const CODES = Object.keys(ERRORS) as ErrorCode[];

describe('error messages in the UI language', () => {
  it('every registered error code has an English and a Japanese message that uses only the parameters the code has', () => {
    for (const code of CODES) {
      const declared = Object.keys(ERRORS[code].params);
      for (const [lang, messages] of Object.entries(LANGS)) {
        const text = (messages as Record<string, string>)[errorKey(code)];
        expect(text, `${lang} ${code}`).toBeTruthy();
        for (const p of placeholdersOf(text!)) expect(declared, `${lang} ${code} uses {${p}}`).toContain(p);
      }
      // Japanese is really Japanese, not an English copy.
      expect(ja[errorKey(code)], code).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });

  it('every input field and every role has a name in both languages', () => {
    for (const f of INPUT_FIELDS) for (const messages of Object.values(LANGS)) expect(messages[`field.${f}` as MessageKey], f).toBeTruthy();
    for (const r of ROLES) for (const messages of Object.values(LANGS)) expect(messages[`errorParam.role.${r}` as MessageKey], r).toBeTruthy();
  });

  it('renders a code with its parameters, translating roles and field names, in English and Japanese', () => {
    const role = new ApiError(403, 'insufficient_role', 'this needs the moderate link; yours is the edit link', undefined, { needed: 'moderate', role: 'edit' });
    expect(errorMessage(role, translator('en'))).toBe('This needs the moderator link; you opened the edit link. Ask the organiser for the moderator link.');
    expect(errorMessage(role, translator('ja'))).toBe('この操作にはモデレーターリンクが必要です。開いているのは編集リンクです。主催者にモデレーターリンクを確認してください。');
    const long = new ApiError(400, 'field_too_long', 'title is too long (at most 300 characters)', undefined, { field: 'title', max: 300 });
    expect(errorMessage(long, translator('en'))).toBe('Title is too long: at most 300 characters.');
    expect(errorMessage(long, translator('ja'))).toBe('タイトルが長すぎます（300 文字まで）。');
    const slug = new ApiError(409, 'slug_taken', 'the short name "ops" is already in use', undefined, { slug: 'ops' });
    expect(errorMessage(slug, translator('ja'))).toBe('短い名前「ops」は別のイベントで使われています。別の名前を選んでください。');
  });

  it('never shows a JSON field name, zod wording or a raw placeholder, whatever the field', () => {
    for (const code of CODES) {
      const params: Record<string, string | number> = {};
      for (const [name, kind] of Object.entries(ERRORS[code].params)) params[name] = kind === 'count' ? 3 : kind === 'role' ? 'edit' : kind === 'field' ? 'startsAt' : 'x';
      for (const lang of ['en', 'ja'] as const) {
        const text = errorMessage(new ApiError(ERRORS[code].status, code, 'server English', undefined, params), translator(lang));
        expect(text, `${lang} ${code}`).not.toMatch(/\{\w+\}|startsAt|problem\(s\)|server English|Invalid input/);
        expect(text.length, `${lang} ${code}`).toBeGreaterThan(8);
      }
    }
    const field = new ApiError(400, 'field_required', 'x', undefined, { field: 'somethingNew' });
    expect(errorMessage(field, translator('en'))).toBe('One of the fields: please fill this in.');
  });

  it('codes it does not know, missing parameters, network failures and other errors fall back to a sentence for the status', () => {
    const t = translator('ja');
    expect(errorMessage(new ApiError(404, 'something_new', 'x'), t)).toBe(ja['error.notFound']);
    expect(errorMessage(new ApiError(401, 'something_new', 'x'), t)).toBe(ja['error.unauthorized']);
    expect(errorMessage(new ApiError(503, 'something_new', 'x'), t)).toBe(ja['error.internal']);
    expect(errorMessage(new ApiError(409, 'slug_taken', 'x'), t)).toBe(ja['common.error']);
    expect(errorMessage(new ApiError(0, 'network', 'network error'), t)).toBe(ja['error.network']);
    expect(errorMessage(new Error('boom'), t)).toBe(ja['common.error']);
  });
});
