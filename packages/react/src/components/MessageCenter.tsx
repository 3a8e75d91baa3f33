import type { Message } from '@bulletproof/core';
import { useEffect } from '../react.js';
import type { ReactNode } from 'react';
import { useBulletproofContext } from '../context/BulletproofProvider.js';
import { useMessages } from '../hooks/useMessages.js';
import { useText } from '../hooks/useText.js';
import { useMounted } from './use-mounted.js';
import { visuallyHidden } from './visually-hidden.js';

/** What `renderMessage` gets to answer one message with. */
export interface MessageControls {
  /** Removes the message. */
  dismiss: () => void;
  /** Runs the message's action `actionId` (see `MessageCenter.act` in the core). */
  act: (actionId: string) => Promise<void>;
}

/** Props of `MessageCenter`: where the toasts sit, the accessible names and how one message looks. */
export interface MessageCenterProps {
  className?: string;
  /** Corner the toasts sit in (`data-bp-toasts`). Default `'bottom-right'`. */
  position?: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
  /**
   * Accessible names: each message's close button, and the banner and toast areas,
   * which are labelled regions while they hold messages. Default: the templates
   * `actionDismiss`, `regionBanners` and `regionToasts`.
   */
  labels?: { dismiss?: string; banners?: string; toasts?: string };
  /** Replaces how one message looks; announcements stay as they are. */
  renderMessage?: (message: Message, controls: MessageControls) => ReactNode;
}

/**
 * Banners (lasting situations) in the flow where this is placed — put it above
 * the content — and toasts (events) in a corner. Text is rendered as text only.
 *
 * Screen readers hear each new or changed message through two visually hidden
 * live regions, polite and assertive, that are mounted empty and filled only
 * after mount: content present when a region appears is not announced. Nothing
 * here ever moves focus; actions are ordinary buttons.
 */
export function MessageCenter({
  className,
  position = 'bottom-right',
  labels,
  renderMessage,
}: MessageCenterProps): ReactNode {
  const { banners, toasts, dismiss, act } = useMessages();
  const { messageCenters } = useBulletproofContext('MessageCenter');
  const text = useText();
  const mounted = useMounted();
  // While mounted, this is where the lasting situation is told: other banners stay quiet.
  useEffect(() => messageCenters.mounted(), [messageCenters]);
  const all = mounted ? [...banners, ...toasts] : [];

  const show = (m: Message) => {
    const controls: MessageControls = {
      dismiss: () => {
        dismiss(m.key);
      },
      act: (actionId) => act(m.key, actionId),
    };
    return (
      <div key={m.key} data-bp-message={m.tone} data-bp-placement={m.placement}>
        {renderMessage ? (
          renderMessage(m, controls)
        ) : (
          <>
            <p data-bp-body="">
              {m.title && <strong data-bp-title="">{m.title} </strong>}
              {m.text}
            </p>
            {m.actions.map((a) => (
              <button key={a.id} type="button" data-bp-action={a.id} onClick={() => void controls.act(a.id)}>
                {a.label}
              </button>
            ))}
            <button
              type="button"
              data-bp-dismiss=""
              aria-label={labels?.dismiss ?? text('actionDismiss')}
              onClick={controls.dismiss}
            >
              <span aria-hidden="true">×</span>
            </button>
          </>
        )}
      </div>
    );
  };

  const announce = (politeness: Message['politeness']) =>
    all
      .filter((m) => m.politeness === politeness)
      .map((m) => <p key={m.key}>{m.title ? `${m.title}: ${m.text}` : m.text}</p>);

  return (
    <div className={className} data-bp-messages="">
      {banners.length > 0 && (
        <section aria-label={labels?.banners ?? text('regionBanners')} data-bp-banners="">
          {banners.map(show)}
        </section>
      )}
      {toasts.length > 0 && (
        <section aria-label={labels?.toasts ?? text('regionToasts')} data-bp-toasts={position}>
          {toasts.map(show)}
        </section>
      )}
      <div
        role="status"
        aria-atomic="false"
        aria-relevant="additions text"
        data-bp-live="polite"
        style={visuallyHidden}
      >
        {announce('polite')}
      </div>
      <div
        role="alert"
        aria-atomic="false"
        aria-relevant="additions text"
        data-bp-live="assertive"
        style={visuallyHidden}
      >
        {announce('assertive')}
      </div>
    </div>
  );
}
