/**
 * PostgreSQL LISTEN on one channel over a dedicated connection (not one of the pool's: a pooled connection is
 * handed to other queries and its LISTEN would be lost). The connection is made again after any error or
 * loss, with a growing pause; `onNotify` is also called after each (re)connection, since notifications sent
 * while no connection listened are gone and the listener's owner must look for itself.
 */
import pg from 'pg';

export interface NotificationListener {
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;

/** Listens on `channel` until closed; `onNotify` is called for every notification and after every connection. */
export function listenForNotifications(options: {
  databaseUrl: string;
  channel: string;
  onNotify: () => void;
  onError: (error: Error) => void;
}): NotificationListener {
  const { databaseUrl, channel, onNotify, onError } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: NodeJS.Timeout | null = null;

  const connect = async () => {
    retryTimer = null;
    const current = new pg.Client({ connectionString: databaseUrl });
    client = current;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      current.removeAllListeners('notification');
      current.end().catch(() => {});
      if (closed) return;
      onError(error);
      retryTimer = setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
    };
    current.on('error', fail);
    current.on('end', () => fail(new Error('the listening connection ended')));
    current.on('notification', () => onNotify());
    try {
      await current.connect();
      await current.query(`listen ${channel}`);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closed) {
      failed = true;
      await current.end().catch(() => {});
      return;
    }
    retryMs = FIRST_RETRY_MS;
    onNotify();
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      const last = client;
      client = null;
      if (last !== null) {
        last.removeAllListeners();
        last.on('error', () => {});
        await last.end().catch(() => {});
      }
    },
  };
}
