import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

/**
 * The peer in the read benchmark: PostGraphile 5 (Amber preset, connection filters with
 * relation filters) over citegraph's database, as its documentation sets it up for production.
 * GET /statements answers the SQL statements sent so far, counted on the pool's clients.
 *
 *   NODE_ENV=production DATABASE_URL=… PORT=… node [--import ./with-resolvers.mjs] postgraphile.mjs
 */

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
let statements = 0;
pool.on('connect', (client) => {
  const query = client.query;
  client.query = function counted(...args) {
    statements += 1;
    return query.apply(this, args);
  };
});

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  schema: { connectionFilterRelations: true },
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const handler = serv.createHandler();
const server = createServer((req, res) => {
  if (req.url === '/statements') {
    res.end(String(statements));
    return;
  }
  handler(req, res);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.once('SIGTERM', () => {
  server.close();
  pgl.release().finally(() => pool.end().finally(() => process.exit(0)));
});
