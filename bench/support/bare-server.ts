/**
 * The baseline server: bare Fastify (no logger, no hooks, no plugins) with one route answering a constant
 * JSON body. Run as its own process: BENCH_PORT, BENCH_PATH (default /bare) and BENCH_BODY (JSON text).
 */
import Fastify from 'fastify';

const port = Number(process.env.BENCH_PORT);
const route = process.env.BENCH_PATH ?? '/bare';
const body = JSON.parse(process.env.BENCH_BODY ?? '{"hello":"world"}') as unknown;

const app = Fastify({ logger: false });
app.get(route, async () => body);
await app.listen({ port, host: '127.0.0.1' });

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
