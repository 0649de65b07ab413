import { useId, useMemo, useState, type ReactNode } from 'react';
import type { SessionDto } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient, ApiError } from '../lib/api.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Dialog } from './Dialog.js';
import { checkSessionForm, formValues, type SessionFormErrors, type SessionFormField, type SessionFormValues } from './sessionForm.js';

/**
 * The moderator's fixes on the day: title, day and times (in the event's
 * zone), rooms, moderators, tags and description; or delete the session
 * (the caller offers Undo). Every change reaches other screens over the
 * event stream.
 */
export function SessionEditDialog({
  session,
  token,
  tz,
  knownRooms,
  onClose,
  onSaved,
  onDeleted,
}: {
  session: SessionDto;
  token: string;
  tz: string;
  /** Rooms used elsewhere in the event, offered as suggestions. */
  knownRooms: readonly string[];
  onClose: () => void;
  onSaved: (s: SessionDto) => void;
  onDeleted: (s: SessionDto) => void;
}) {
  const { t } = useI18n();
  const initial = useMemo(() => formValues(session, tz), [session, tz]);
  const [values, setValues] = useState<SessionFormValues>(initial);
  const [errors, setErrors] = useState<SessionFormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Deleting asks first, like every destructive action: it takes the session off everyone's schedule.
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const ids = useId();
  const roomList = `${ids}-rooms`;
  const set = (field: SessionFormField) => (e: { target: { value: string } }) => setValues({ ...values, [field]: e.target.value });
  const failed = (err: unknown) =>
    setFailure(
      err instanceof ApiError && err.status === 403 ? t('session.edit.error.forbidden') : err instanceof ApiError && err.status === 404 ? t('session.edit.error.gone') : t('session.edit.error.failed'),
    );

  const field = (name: SessionFormField, label: string, input: ReactNode, hint?: string) => (
    <label className={`edit-field edit-${name}`}>
      <span>{label}</span>
      {input}
      {hint ? <small className="muted">{hint}</small> : null}
      {errors[name] ? (
        <small className="error" role="alert" data-testid={`edit-error-${name}`}>
          {t(errors[name]!.key, errors[name]!.vars)}
        </small>
      ) : null}
    </label>
  );
  const invalid = (name: SessionFormField) => (errors[name] ? { 'aria-invalid': true } : {});

  return (
    <>
    <Dialog title={t('session.edit.title')} onClose={onClose} wide testId="session-edit-dialog">
      <form
        className="session-edit"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setFailure(null);
          const { errors: found, patch } = checkSessionForm(values, initial, tz);
          setErrors(found);
          if (Object.keys(found).length > 0) return;
          if (Object.keys(patch).length === 0) return onClose();
          setBusy(true);
          apiClient(token).patchSession(session.id, patch)
            .then(onSaved, failed)
            .finally(() => setBusy(false));
        }}
      >
        {field('title', t('event.session.title'), <input data-testid="edit-title" value={values.title} maxLength={400} onChange={set('title')} {...invalid('title')} />)}
        <div className="row">
          {field('date', t('event.session.date'), <input type="date" data-testid="edit-date" value={values.date} onChange={set('date')} {...invalid('date')} />)}
          {field('start', t('event.session.start'), <input type="time" data-testid="edit-start" value={values.start} onChange={set('start')} {...invalid('start')} />)}
          {field('end', t('event.session.end'), <input type="time" data-testid="edit-end" value={values.end} onChange={set('end')} {...invalid('end')} />)}
        </div>
        {field(
          'rooms',
          t('session.edit.rooms'),
          <>
            <input data-testid="edit-rooms" list={roomList} value={values.rooms} onChange={set('rooms')} {...invalid('rooms')} />
            <datalist id={roomList}>
              {knownRooms.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
          </>,
          t('session.edit.roomsHint'),
        )}
        <div className="row">
          {field('moderators', t('session.edit.moderators'), <input data-testid="edit-moderators" value={values.moderators} onChange={set('moderators')} {...invalid('moderators')} />)}
          {field('tags', t('session.edit.tags'), <input data-testid="edit-tags" value={values.tags} onChange={set('tags')} {...invalid('tags')} />)}
        </div>
        {field('description', t('session.edit.description'), <textarea rows={3} data-testid="edit-description" value={values.description} onChange={set('description')} {...invalid('description')} />)}
        {failure ? (
          <p className="error" role="alert" data-testid="edit-failure">
            {failure}
          </p>
        ) : null}
        <div className="modal-actions edit-actions">
          <button
            type="button"
            className="btn btn-danger"
            data-testid="edit-delete"
            title={t('session.edit.deleteHint')}
            disabled={busy}
            onClick={() => setConfirmingDelete(true)}
          >
            {t('session.edit.delete')}
          </button>
          <span className="spacer" />
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn" data-testid="edit-save" disabled={busy}>
            {t('session.edit.save')}
          </button>
        </div>
      </form>
    </Dialog>
    {/* A sibling, not inside the edit dialog: the one on top is the only modal, and Tab stays inside it. */}
    {confirmingDelete ? (
      <ConfirmDialog
        title={t('session.edit.deleteTitle', { title: session.title })}
        confirmLabel={t('session.edit.delete')}
        danger
        testId="delete-confirm"
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => {
          setConfirmingDelete(false);
          setBusy(true);
          apiClient(token).deleteSession(session.id)
            .then(() => onDeleted(session), failed)
            .finally(() => setBusy(false));
        }}
      >
        <p>{t('session.edit.deleteConfirm')}</p>
      </ConfirmDialog>
    ) : null}
    </>
  );
}
