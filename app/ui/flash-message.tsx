import { useT } from '~/platform/document-context';
import type { Flash } from '~/platform/flash.server';

/** The message a redirect carried ("Invitation sent"), announced politely once. */
export function FlashMessage({ flash }: { flash: Flash }) {
  const t = useT();
  return (
    <div
      className={`flash flash--${flash.kind}`}
      role={flash.kind === 'error' ? 'alert' : 'status'}
    >
      {t(flash.key as never, flash.values ?? {}) as string}
    </div>
  );
}
