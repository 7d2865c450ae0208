import type { ReactNode } from 'react';
import { useFormat, useT } from '~/platform/document-context';
import type { Attachment } from '~/modules/files/files.server';
import { ErrorSummary, FileField, TextAreaField, useFormState, type FormResult } from '~/ui/form';
import type { ConversationSummary } from './conversations.server';
import type { MessageView } from './messages.server';
import type { PresenceState } from './presence.server';
import { MESSAGE_MAX_LENGTH, reactionEmoji, reactionNames } from './schema';

/** What a reader may do to messages: the one thing that differs between readers' fragments. */
export type MessageReader = { userId: string; isAdmin: boolean };

export const messageElementId = (messageId: string) => `message-${messageId}`;
/** The conversation's live log: only its newest page has it (older pages do not grow). */
export const TIMELINE_ID = 'messages';
/** Older messages are put at the top of the conversation's log, live or not. */
export const TIMELINE_CLASS = 'timeline';
export const repliesId = (messageId: string) => `replies-${messageId}`;
export const TYPING_ID = 'typing';
export const CHAT_UNREAD_ID = 'chat-unread';
export const presenceId = (userId: string) => `presence-${userId}`;

export const conversationPath = (slug: string, conversationId: string) =>
  `/w/${slug}/chat/${conversationId}`;
export const messagePath = (slug: string, conversationId: string, messageId: string) =>
  `${conversationPath(slug, conversationId)}/messages/${messageId}`;

function AttachmentList({ slug, files }: { slug: string; files: Attachment[] }) {
  const format = useFormat();
  if (files.length === 0) return null;
  return (
    <ul className="attachments">
      {files.map((file) => {
        const download = `/w/${slug}/files/${file.id}/download`;
        return (
          <li key={file.id}>
            {file.thumbnailKey ? (
              <a href={download}>
                <img
                  src={`/w/${slug}/files/${file.id}/thumbnail`}
                  alt={file.name}
                  loading="lazy"
                  className="attachment-thumbnail"
                />
              </a>
            ) : (
              <>
                <a href={download}>{file.name}</a>{' '}
                <span className="muted">
                  ({format.bytes(Number(file.sizeBytes))}, {file.contentType})
                </span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The reaction buttons: one per emoji in use (pressed if mine, with who reacted), and the rest
 * of the set under "Add reaction". Each is a form button: without JavaScript the page comes
 * back, with htmx only the message does.
 */
function Reactions({
  message,
  reader,
  action,
}: {
  message: MessageView;
  reader: MessageReader;
  action: string;
}) {
  const t = useT();
  const used = new Set(message.reactions.map((reaction) => reaction.name));
  const unused = reactionNames.filter((name) => !used.has(name));
  return (
    <form method="post" action={action} hx-post={action} hx-swap="none" className="reactions">
      {message.reactions.map((reaction) => {
        const label = t(`chat:reactions.names.${reaction.name}`);
        const people = reaction.people.join(', ');
        return (
          <button
            key={reaction.name}
            type="submit"
            name="emoji"
            value={reaction.name}
            aria-pressed={reaction.userIds.includes(reader.userId)}
            title={people}
          >
            <span aria-hidden="true">{reactionEmoji[reaction.name]}</span> {reaction.userIds.length}
            <span className="visually-hidden">
              {' '}
              {t('chat:reactions.by', { emoji: label, names: people })}
            </span>
          </button>
        );
      })}
      {unused.length ? (
        <details className="reaction-menu">
          <summary>{t('chat:reactions.add')}</summary>
          {unused.map((name) => (
            <button
              key={name}
              type="submit"
              name="emoji"
              value={name}
              aria-label={t(`chat:reactions.names.${name}`)}
            >
              {reactionEmoji[name]}
            </button>
          ))}
        </details>
      ) : null}
    </form>
  );
}

/**
 * One message. Rendered once per distinct reader for live events (see live.server.tsx), so
 * everything here may depend on the message and on `reader`, and on nothing else.
 */
export function MessageItem({
  message,
  reader,
  slug,
  inThread = false,
  oob = false,
}: {
  message: MessageView;
  reader: MessageReader;
  slug: string;
  /** A reply shown on its thread's page: no "reply" link of its own. */
  inThread?: boolean;
  oob?: boolean;
}) {
  const t = useT();
  const format = useFormat();
  const permalink = messagePath(slug, message.conversationId, message.id);
  const own = message.authorId === reader.userId;
  const deleted = message.deletedAt !== null;
  const created = new Date(message.createdAt);
  return (
    <li
      id={messageElementId(message.id)}
      className={deleted ? 'message message--deleted' : 'message'}
      hx-swap-oob={oob ? 'true' : undefined}
    >
      <p className="message__meta">
        <strong>{message.authorName ?? t('common:deletedUser')}</strong>{' '}
        <a href={permalink} className="muted">
          <time dateTime={created.toISOString()}>{format.date(created, 'dateTime')}</time>
        </a>
        {message.editedAt && !deleted ? (
          <span className="muted"> · {t('chat:message.edited')}</span>
        ) : null}
      </p>
      {deleted ? (
        <p className="muted">{t('chat:message.deleted')}</p>
      ) : (
        <>
          <div className="prose" dangerouslySetInnerHTML={{ __html: message.bodyHtml }} />
          <AttachmentList slug={slug} files={message.attachments} />
          <Reactions message={message} reader={reader} action={`${permalink}/reactions`} />
        </>
      )}
      <p className="message__actions">
        {!inThread && !message.parentId ? (
          <a href={permalink}>
            {message.replyCount > 0
              ? t('chat:thread.replies', { count: message.replyCount })
              : t('chat:thread.reply')}
          </a>
        ) : null}
        {!deleted ? (
          <>
            {!message.parentId ? (
              <a
                href={`${conversationPath(slug, message.conversationId)}?quote=${message.id}#composer`}
              >
                {t('chat:message.quote')}
              </a>
            ) : null}
            {own ? <a href={`${permalink}/edit`}>{t('chat:message.edit')}</a> : null}
            {own || reader.isAdmin ? (
              <a href={`${permalink}/delete`}>{t('chat:message.delete')}</a>
            ) : null}
          </>
        ) : null}
      </p>
    </li>
  );
}

/** The divider above the first message I have not read. */
export function UnreadDivider() {
  const t = useT();
  return (
    <li id="first-unread" className="unread-divider">
      <span>{t('chat:timeline.newMessages')}</span>
    </li>
  );
}

/**
 * The messages as a list inside a `role="log"` region: a screen reader announces what is
 * appended (a new message), once, and not the list around it. (A list cannot itself be the
 * log: its items would stop being list items.)
 */
export function MessageLog({
  id,
  label,
  timeline = false,
  children,
}: {
  id?: string;
  label: string;
  /** The conversation's own log (where "older messages" go), not a thread's. */
  timeline?: boolean;
  children: ReactNode;
}) {
  return (
    <div role="log" aria-label={label}>
      <ol id={id} className={timeline ? `messages ${TIMELINE_CLASS}` : 'messages'}>
        {children}
      </ol>
    </div>
  );
}

/**
 * Live: a new message for the conversation's log (or a reply for its thread's), appended; a
 * message the page shows already (the sender's own, or one replayed twice) is replaced in
 * place instead (public/app.js), so nothing appears twice.
 */
export function AppendMessage({ into, children }: { into: string; children: ReactNode }) {
  return <div hx-swap-oob={`beforeend:#${into}`}>{children}</div>;
}

export function TypingNotice({ names, oob = false }: { names: string[]; oob?: boolean }) {
  const t = useT();
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? t('chat:typing.one', { name: names[0] })
        : names.length === 2
          ? t('chat:typing.two', { first: names[0], second: names[1] })
          : t('chat:typing.many', { count: names.length });
  // The region stays; only its text changes, which is what a polite live region announces.
  if (oob) return <div hx-swap-oob={`innerHTML:#${TYPING_ID}`}>{text}</div>;
  return (
    <p id={TYPING_ID} className="typing muted" aria-live="polite">
      {text}
    </p>
  );
}

export function PresenceBadge({
  userId,
  state,
  offlineAt,
  oob = false,
}: {
  userId: string;
  state: PresenceState;
  /** For someone away: when they count as offline (see presence.server's offlineAt). */
  offlineAt?: string;
  oob?: boolean;
}) {
  const t = useT();
  return (
    <span
      id={presenceId(userId)}
      className={`presence presence--${state}`}
      hx-swap-oob={oob ? 'true' : undefined}
      data-offline-at={offlineAt}
      data-offline-label={offlineAt ? t('chat:presence.offline') : undefined}
    >
      {t(`chat:presence.${state}`)}
    </span>
  );
}

/** Who is in the conversation, with how they are: the page's aside, kept current live. */
export function ConversationPeople({
  members,
  oob = false,
}: {
  members: Array<{ id: string; name: string; state: PresenceState; offlineAt?: string }>;
  oob?: boolean;
}) {
  return (
    <ul id="conversation-people" className="member-presence" hx-swap-oob={oob ? 'true' : undefined}>
      {members.map((person) => (
        <li key={person.id}>
          {person.name}{' '}
          <PresenceBadge userId={person.id} state={person.state} offlineAt={person.offlineAt} />
        </li>
      ))}
    </ul>
  );
}

export type ComposerProps = {
  slug: string;
  conversationId: string;
  /** The server's answer to a failed post: errors and what was typed. */
  result?: FormResult;
  /** A reply in this message's thread. */
  parentId?: string;
  /** Prefilled text (a quote-reply). */
  initialBody?: string;
  /** An answer to htmx: focus goes back to the text box. */
  autoFocus?: boolean;
};

/**
 * The message box. Without JavaScript it posts to the page (which redirects to the new
 * message, or shows the errors); with htmx to the messages route, which answers with a fresh
 * composer and the new message for the log. While someone types, the box tells the others at
 * most every 3 s (typing route; no row is written).
 */
export function Composer({
  slug,
  conversationId,
  result,
  parentId,
  initialBody,
  autoFocus,
}: ComposerProps) {
  const t = useT();
  const form = useFormState(parentId ? 'reply' : 'message', result);
  const base = conversationPath(slug, conversationId);
  const page = parentId ? messagePath(slug, conversationId, parentId) : base;
  const body = form.field('body');
  return (
    <form
      id="composer"
      method="post"
      action={page}
      encType="multipart/form-data"
      hx-post={`${base}/messages${parentId ? `?parentId=${parentId}` : ''}`}
      hx-encoding="multipart/form-data"
      hx-target="this"
      hx-swap="outerHTML"
      className="composer"
    >
      <ErrorSummary form={form} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <TextAreaField
        field={{ ...body, defaultValue: body.defaultValue ?? initialBody }}
        label={parentId ? t('chat:composer.replyLabel') : t('chat:composer.label')}
        hint={t('chat:composer.hint', { max: MESSAGE_MAX_LENGTH })}
        rows={3}
        maxLength={MESSAGE_MAX_LENGTH}
        // eslint-disable-next-line jsx-a11y/no-autofocus -- only in htmx's answer to a post: the box the writer just used
        autoFocus={autoFocus}
        hx-post={`${base}/typing`}
        hx-trigger="input changed throttle:3s"
        hx-params="none"
        hx-swap="none"
      />
      <FileField field={form.field('files')} label={t('chat:composer.files')} multiple />
      <button type="submit">{t('chat:composer.send')}</button>
    </form>
  );
}

/** The conversation list's unread count, said in words to a screen reader. */
export function UnreadBadge({ unread, cap }: { unread: number; cap: number }) {
  const t = useT();
  const format = useFormat();
  if (unread <= 0) return null;
  const over = unread > cap;
  return (
    <>
      <span className="visually-hidden">
        {over
          ? t('chat:list.unreadOver', { count: cap })
          : t('chat:list.unread', { count: unread })}
      </span>{' '}
      <span className="badge" aria-hidden="true">
        {over ? `${format.number(cap)}+` : format.number(unread)}
      </span>
    </>
  );
}

export function ConversationList({
  slug,
  conversations,
  cap,
  oob = false,
}: {
  slug: string;
  conversations: ConversationSummary[];
  cap: number;
  oob?: boolean;
}) {
  const t = useT();
  const format = useFormat();
  return (
    <ul id="conversation-list" className="conversation-list" hx-swap-oob={oob ? 'true' : undefined}>
      {conversations.map((conversation) => {
        const preview = conversation.lastDeletedAt
          ? t('chat:message.deleted')
          : conversation.lastBody
            ? `${conversation.lastAuthorName ?? t('common:deletedUser')}: ${conversation.lastBody.slice(0, 120)}`
            : t('chat:list.noMessages');
        const at = conversation.lastMessageAt ?? conversation.createdAt;
        return (
          <li
            key={conversation.id}
            className={
              conversation.unread > 0 ? 'conversation conversation--unread' : 'conversation'
            }
          >
            <a href={conversationPath(slug, conversation.id)}>
              {conversation.title}
              <span className="visually-hidden"> ({t(`chat:kinds.${conversation.kind}`)})</span>
            </a>
            {conversation.unread > 0 && !conversation.muted ? (
              <UnreadBadge unread={conversation.unread} cap={cap} />
            ) : null}
            {conversation.muted ? <span className="muted"> · {t('chat:list.muted')}</span> : null}
            <p className="muted conversation__preview">
              {preview} ·{' '}
              <time dateTime={new Date(at).toISOString()}>{format.date(at, 'dateTime')}</time>
            </p>
          </li>
        );
      })}
    </ul>
  );
}

/** The header's link to chat with the unread count; live events swap only the count. */
export function ChatNavLink({
  slug,
  unread,
  cap,
  current = false,
}: {
  slug: string;
  unread: number;
  cap: number;
  current?: boolean;
}) {
  const t = useT();
  return (
    <a href={`/w/${slug}/chat`} aria-current={current ? 'page' : undefined}>
      {t('nav.chat')}
      <ChatUnreadCount unread={unread} cap={cap} />
    </a>
  );
}

/** The count inside the header's chat link (its own element, so the link keeps aria-current). */
export function ChatUnreadCount({
  unread,
  cap,
  oob = false,
}: {
  unread: number;
  cap: number;
  oob?: boolean;
}) {
  return (
    <span id={CHAT_UNREAD_ID} hx-swap-oob={oob ? 'true' : undefined}>
      <UnreadBadge unread={unread} cap={cap} />
    </span>
  );
}
