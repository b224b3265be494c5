import { createServer } from 'node:http';
import pg from 'pg';
import { readQueries, type Subjects } from '../reads.js';

/**
 * The floor of the read benchmark: node:http and pg with nothing between them. Each query of
 * the mix is one hand-written statement, prepared once by name; POST /<index> with the
 * subjects as the body answers its rows as JSON. No GraphQL, no validation, no limits: what
 * any server on this machine must at least spend to answer the same rows.
 *
 *   DATABASE_URL=… PORT=… node --import tsx bench/peers/floor.ts
 */

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
let statements = 0;

const server = createServer(async (req, res) => {
  if (req.url === '/statements') {
    res.end(String(statements));
    return;
  }
  const index = Number(req.url?.slice(1));
  const floor = readQueries[index]?.floor;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!floor) {
    res.writeHead(404).end();
    return;
  }
  try {
    const { sql, values } = floor(JSON.parse(Buffer.concat(chunks).toString()) as Subjects);
    statements += 1;
    const result = await pool.query({ name: `q${index}`, text: sql, values, rowMode: 'array' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { rows: result.rows } }));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.once('SIGTERM', () => {
  server.close();
  pool.end().finally(() => process.exit(0));
});
