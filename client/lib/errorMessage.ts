import { ERRORS, isErrorCode, isInputField, type ErrorCode, type InputField } from '../../shared/errors.js';
import type { Role } from '../../shared/roles.js';
import type { MessageKey } from '../i18n/en.js';
import type { Translate } from '../i18n/i18n.js';
import { ApiError } from './api.js';

// A registered code without a message, a field without a label or a role without a name does not compile.
type Covered<K extends string> = [K] extends [MessageKey] ? true : never;
export const EVERY_CODE_HAS_A_MESSAGE: Covered<`error.${ErrorCode}`> = true;
export const EVERY_FIELD_HAS_A_LABEL: Covered<`field.${InputField}`> = true;
export const EVERY_ROLE_HAS_A_NAME: Covered<`errorParam.role.${Role}`> = true;

export const errorKey = (code: ErrorCode): MessageKey => `error.${code}`;

function fieldLabel(name: string, t: Translate): string {
  return isInputField(name) ? t(`field.${name}`) : t('field.unknown');
}

function roleName(role: string, t: Translate): string {
  return role === 'view' || role === 'edit' || role === 'moderate' ? t(`errorParam.role.${role}`) : role;
}

/** For codes this client does not know (a newer server): what the status says, in the UI language. */
function byStatus(status: number, t: Translate): string {
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.unauthorized');
  if (status === 403) return t('error.forbidden');
  if (status === 404) return t('error.notFound');
  if (status >= 500) return t('error.internal');
  return t('common.error');
}

/**
 * The sentence to show for a failed request, in the UI language: from the
 * error's code and parameters, never from the server's English message. Role
 * and field parameters are translated too ("the moderator link", "Title").
 */
export function errorMessage(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('common.error');
  if (err.status === 0 || err.code === 'network') return t('error.network');
  if (!isErrorCode(err.code)) return byStatus(err.status, t);
  const vars: Record<string, string | number> = {};
  for (const [name, kind] of Object.entries(ERRORS[err.code].params) as [string, string][]) {
    const value = err.params?.[name];
    // A parameter missing would show as "{name}": better the plain sentence for the status.
    if (value === undefined) return byStatus(err.status, t);
    vars[name] = kind === 'role' ? roleName(String(value), t) : kind === 'field' ? fieldLabel(String(value), t) : value;
  }
  return t(errorKey(err.code), vars);
}
