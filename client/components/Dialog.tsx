import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: showModal() gives the focus
 * trap, Escape and the inert page behind it for free, and closing hands focus
 * back to whatever opened it. Every modal in the app goes through this.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide = false,
  testId,
  closeOnEscape = true,
}: {
  title: ReactNode;
  /** Escape, or the caller's own buttons. */
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
  /** A dialog that must be answered (none today) can refuse Escape. */
  closeOnEscape?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      if (closeOnEscape) onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [closeOnEscape]);

  return (
    <dialog ref={ref} className={wide ? 'modal modal-wide' : 'modal'} aria-labelledby={titleId} data-testid={testId}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
