import type { Trx } from '../db/database.server';
import type { Locale } from '../i18n/locales';

/** Who a stream belongs to: fragments are rendered for them, under their RLS context. */
export type Viewer = {
  userId: string;
  /** The session the stream was opened with: when it ends, so does the stream. */
  sessionId: string;
  workspaceId: string;
  role: string;
  locale: Locale;
  timeZone: string;
};

/** The viewer a signed-in member is, reading in their language and time zone. */
export function viewerOf(
  member: { user: { id: string }; sessionId: string; workspace: { id: string }; role: string },
  reader: { locale: Locale; timeZone: string },
): Viewer {
  return {
    userId: member.user.id,
    sessionId: member.sessionId,
    workspaceId: member.workspace.id,
    role: member.role,
    locale: reader.locale,
    timeZone: reader.timeZone,
  };
}

/** What Postgres carries on the `live` channel: ids only, never content. */
export type LiveEvent = {
  /** workspace id */
  w: string;
  /** topic, e.g. "conversation:<id>" */
  t: string;
  /** kind, e.g. "message.created"; the SSE event name */
  k: string;
  /** the changed row's id */
  id: string;
  /** the row's live_seq after the change: the SSE event id */
  s: string;
};

/** One SSE message: `event:` name, `data:` HTML (htmx swaps it), `id:` for Last-Event-ID. */
export type SseMessage = { event: string; data: string; id?: string };

/**
 * A module makes a kind of topic live by defining it: who may subscribe, how an event becomes
 * a fragment for one viewer, and what a reconnecting viewer missed after a given live_seq.
 */
export type TopicDefinition = {
  /** The part before the colon: "conversation" for "conversation:<id>". */
  kind: string;
  authorize(trx: Trx, viewer: Viewer, id: string): Promise<boolean>;
  replay(trx: Trx, viewer: Viewer, id: string, afterSeq: string): Promise<SseMessage[]>;
} & (
  | {
      /**
       * One event for one viewer, in that viewer's own transaction (RLS); null when this
       * viewer may not see it. Simple, and fine for topics a few streams follow.
       */
      render(trx: Trx, viewer: Viewer, event: LiveEvent): Promise<SseMessage | null>;
      fanOut?: never;
    }
  | {
      /**
       * One event for every stream of this process that follows the topic, at once: for topics
       * hundreds of streams follow (a busy conversation), where a transaction and a render per
       * stream would not keep up. The topic reads the rows once and renders each distinct view
       * once, and must itself answer null for a viewer who may no longer see the event. One
       * message (or null) per audience entry, in order.
       */
      fanOut(event: LiveEvent, audience: Audience[]): Promise<Array<SseMessage | null>>;
      render?: never;
    }
);

/** A stream an event may go to: whose it is, and every topic it follows. */
export type Audience = { viewer: Viewer; topics: readonly string[] };

const topics = new Map<string, TopicDefinition>();

export function defineTopic(definition: TopicDefinition): void {
  topics.set(definition.kind, definition);
}

export function findTopic(topic: string): { definition: TopicDefinition; id: string } | null {
  const colon = topic.indexOf(':');
  if (colon <= 0) return null;
  const definition = topics.get(topic.slice(0, colon));
  const id = topic.slice(colon + 1);
  return definition && id ? { definition, id } : null;
}
