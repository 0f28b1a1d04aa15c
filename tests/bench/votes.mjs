#!/usr/bin/env node
// votes.mjs: the governance benchmark (issue 6). 200 concurrent clients, one
// member each, cast 10,000 ballots (one on each of 50 open proposals); half
// way through, the server is killed with SIGKILL and started again on the
// same database while the clients keep going (a request that got no reply is
// sent again). At the end every proposal is closed and its published tally
// is compared with what the clients were told:
//   - every ballot whose 2xx reply arrived is in the log, and it counts
//     unless the same member's later acknowledged ballot replaced it;
//   - no member counts twice: per proposal, the ballots that count equal
//     the members who voted, and never exceed the 200 clients;
//   - `carecoop verify-votes` finds every chain intact.
// Then it replaces the "Governance (issue 6)" section of BENCHMARKS_MD.
//
//   node tests/bench/votes.mjs BINARY WEB_DIR BENCHMARKS_MD [BUILD_TYPE]
//
// Usually `cmake --build --preset release --target bench_votes`. Needs
// sqlite3 (the command) to add the 200 member accounts quickly (they share
// one argon2id hash, so setting up does not take minutes of hashing).
// Environment: BENCH_CLIENTS (200), BENCH_PROPOSALS (50).

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [bin, web, md, buildType = ''] = process.argv.slice(2);
if (!bin || !web || !md) {
  console.error('usage: votes.mjs BINARY WEB_DIR BENCHMARKS_MD [BUILD_TYPE]');
  process.exit(2);
}
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 50);
const TOTAL = CLIENTS * PROPOSALS;
const PASSWORD = 'bench-password-1';
const SECTION = 'Governance (issue 6)';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'carecoop-votes-'));
const db = path.join(tmp, 'bench.db');
let server = null;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `carecoop serve`; resolves with its URL once it listens. */
function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', web], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CARECOOP_PER_IP_LIMIT: '1024', // every client is on 127.0.0.1
        CARECOOP_CONN_LIMIT: '2048',
        CARECOOP_LOGIN_CONCURRENCY: String(os.availableParallelism()),
      },
    });
    let log = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /carecoop: listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m && !proc.url) {
        proc.url = m[1];
        resolve(proc);
      }
      if (log.length > 1e6) log = log.slice(-1e5); // the access log grows
    });
    proc.on('exit', (code, signal) => {
      if (!proc.url) reject(new Error(`server exited (${code ?? signal}):\n${log}`));
    });
  });
}

/** The port stays the same across the restart: the clients keep their URL. */
function startServerOn(port) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', web], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CARECOOP_PER_IP_LIMIT: '1024',
        CARECOOP_CONN_LIMIT: '2048',
      },
    });
    let log = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      if (!proc.url && /carecoop: listening on/.test(log)) {
        proc.url = `http://127.0.0.1:${port}`;
        resolve(proc);
      }
      if (log.length > 1e6) log = log.slice(-1e5);
    });
    proc.on('exit', (code, signal) => {
      if (!proc.url) reject(new Error(`server exited (${code ?? signal}):\n${log}`));
    });
  });
}

function sql(text) {
  return execFileSync('sqlite3', [db], { input: text, encoding: 'utf8' });
}

/** A signed-in client: {call(method, path, body)} with its cookie and token. */
async function login(url, email) {
  for (;;) {
    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (res.status === 503) { await sleep(200); continue; }
    if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
    const body = await res.json();
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0])
      .find((c) => c.startsWith('carecoop_session='));
    return {
      email,
      call: async (method, p, data) => {
        const r = await fetch(`${url}${p}`, {
          method,
          headers: {
            Cookie: cookie, 'X-CSRF-Token': body.csrf_token, 'Content-Type': 'application/json',
          },
          body: data === undefined ? undefined : JSON.stringify(data),
        });
        const text = await r.text();
        return { status: r.status, body: text ? JSON.parse(text) : null };
      },
    };
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const loadBefore = os.loadavg();
  // --- a demo co-op, 200 more members, 50 open proposals ---------------------
  execFileSync(bin, ['demo', '--db', db, '--password', PASSWORD], { stdio: 'ignore' });
  sql(`
    BEGIN;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CLIENTS})
    INSERT INTO users (email, name, pwhash, created_at, password_changed_at)
      SELECT 'voter' || i || '@bench.example', 'Voter ' || i,
             (SELECT pwhash FROM users WHERE email = 'admin@carecoop.example'), 0, 0 FROM n;
    INSERT INTO user_roles (user_id, role)
      SELECT id, 'member' FROM users WHERE email LIKE 'voter%@bench.example';
    INSERT INTO people (full_name, known_as, user_id)
      SELECT name, name, id FROM users WHERE email LIKE 'voter%@bench.example';
    INSERT INTO memberships (person_id, class_id, joined_on)
      SELECT p.id, (SELECT id FROM member_classes WHERE code = CASE p.id % 4
                    WHEN 0 THEN 'worker' WHEN 1 THEN 'recipient' WHEN 2 THEN 'supporter'
                    ELSE 'investor' END), '2025-01-01'
      FROM people p JOIN users u ON u.id = p.user_id WHERE u.email LIKE 'voter%@bench.example';
    COMMIT;`);

  server = await startServer();
  const url = server.url;
  const port = Number(new URL(url).port);
  const admin = await login(url, 'admin@carecoop.example');
  const ids = [];
  for (let k = 0; k < PROPOSALS; k++) {
    const r = await admin.call('POST', '/api/proposals', {
      title: `Benchmark resolution ${k + 1}`, body: 'Counted by the benchmark.', kind: 'ordinary',
      closes_at: Math.floor(Date.now() / 1000) + 86400,
    });
    if (r.status !== 201) throw new Error(`create: ${JSON.stringify(r.body)}`);
    const o = await admin.call('POST', `/api/proposals/${r.body.proposal.id}/open`, {});
    if (o.status !== 200) throw new Error(`open: ${JSON.stringify(o.body)}`);
    ids.push(r.body.proposal.id);
  }

  // --- 200 clients sign in ----------------------------------------------------
  const t0 = Date.now();
  const clients = await Promise.all(Array.from({ length: CLIENTS },
    (_, i) => login(url, `voter${i + 1}@bench.example`)));
  const loginSeconds = (Date.now() - t0) / 1000;

  // --- the run: 10,000 ballots, SIGKILL half way -------------------------------
  const acked = []; // {client, proposal, receipt, seq}
  const latencies = [];
  let retries = 0; // no reply: the server was killed
  let busy = 0; // 5xx (e.g. the database stayed busy past the retries): sent again
  let killedAt = null;
  let restartMs = 0;
  let ackedAtKill = 0;
  let inFlightAtKill = 0;
  let inFlight = 0;
  let serverUp = true;
  const choices = ['for', 'against', 'abstain'];

  const killAndRestart = async () => {
    killedAt = Date.now();
    ackedAtKill = acked.length;
    inFlightAtKill = inFlight;
    serverUp = false;
    const gone = new Promise((r) => server.once('exit', r));
    server.kill('SIGKILL');
    await gone;
    server = await startServerOn(port);
    restartMs = Date.now() - killedAt;
    serverUp = true;
  };

  const runStart = Date.now();
  let restarting = null;
  await Promise.all(clients.map(async (c, i) => {
    for (let k = 0; k < PROPOSALS; k++) {
      const proposal = ids[(k + i) % PROPOSALS];
      const choice = choices[(i * 7 + k) % 3];
      for (;;) {
        if (!serverUp) { await sleep(50); continue; }
        const t = performance.now();
        inFlight++;
        try {
          const r = await c.call('POST', `/api/proposals/${proposal}/ballot`, { choice });
          inFlight--;
          if (r.status === 201 || r.status === 200) {
            latencies.push(performance.now() - t);
            acked.push({ client: i, proposal, receipt: r.body.receipt, seq: r.body.seq });
            if (acked.length === Math.floor(TOTAL / 2) && restarting === null) {
              restarting = killAndRestart();
            }
            break;
          }
          if (r.status >= 500) { busy++; await sleep(20); continue; }
          throw new Error(`ballot refused: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        } catch (err) {
          if (err.message.startsWith('ballot refused')) throw err;
          inFlight--;
          retries++; // no reply (killed server): send it again
          await sleep(50);
        }
      }
    }
  }));
  await restarting;
  const runSeconds = (Date.now() - runStart) / 1000;

  // --- close, fetch the tallies, compare ----------------------------------------
  const lastAck = new Map(); // "client/proposal" -> receipt of the last acknowledged ballot
  for (const a of acked) lastAck.set(`${a.client}/${a.proposal}`, a.receipt);
  let lost = 0; let wronglyCounted = 0; let twice = 0; let counted = 0; let entries = 0;
  for (const id of ids) {
    const c = await admin.call('POST', `/api/proposals/${id}/close`, {});
    if (c.status !== 200) throw new Error(`close ${id}: ${JSON.stringify(c.body)}`);
    const t = await admin.call('GET', `/api/proposals/${id}/tally.json`);
    const byReceipt = new Map(t.body.ballots.map((b) => [b.receipt, b]));
    const live = t.body.ballots.filter((b) => b.counts).length;
    counted += live;
    entries += t.body.ballots.length;
    if (live !== t.body.voters.length || live > CLIENTS) twice++;
    if (t.body.result.ballots !== live) twice++;
    for (const a of acked.filter((x) => x.proposal === id)) {
      const b = byReceipt.get(a.receipt);
      if (!b) { lost++; continue; }
      const last = lastAck.get(`${a.client}/${a.proposal}`) === a.receipt;
      if (last && !b.counts) wronglyCounted++;
    }
  }
  await new Promise((r) => { server.once('exit', r); server.kill('SIGTERM'); });
  let verify = '';
  let verifyOk = true;
  try {
    verify = execFileSync(bin, ['verify-votes', '--db', db], { encoding: 'utf8' });
  } catch (err) {
    verifyOk = false;
    verify = String(err.stdout ?? err.message);
  }
  const intact = verify.split('\n').filter((l) => / ok, /.test(l)).length;

  latencies.sort((a, b) => a - b);
  const distinctPairs = lastAck.size;
  const ok = lost === 0 && wronglyCounted === 0 && twice === 0 && verifyOk &&
    counted === TOTAL && distinctPairs === TOTAL;
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown CPU';
  const figures = {
    clients: CLIENTS, proposals: PROPOSALS, acked: acked.length, retries, busy, ackedAtKill, inFlightAtKill,
    restartMs, runSeconds, loginSeconds, counted, entries, lost, wronglyCounted, twice, intact,
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
  };
  console.log(JSON.stringify(figures, null, 1));

  const f1 = (x) => x.toFixed(1);
  const text = `## ${SECTION}

Measured with:

    cmake --build --preset release --target bench_votes   # tests/bench/votes.mjs

${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} CPUs (${cpu}), ${buildType || 'unknown'} build, Node ${process.version} clients on the same machine
(load average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}).
${CLIENTS} clients, each signed in as its own member (four classes), cast one ballot on each of
${PROPOSALS} open proposals: ${TOTAL.toLocaleString('en-GB')} ballots, each its own \`BEGIN IMMEDIATE\`
transaction with \`synchronous=FULL\`. When half had been acknowledged the server was killed with
SIGKILL and started again on the same database; clients resent every request that got no reply.

| figure | value |
|---|---|
| ballots acknowledged (2xx) | ${acked.length.toLocaleString('en-GB')} |
| acknowledged before the kill | ${ackedAtKill.toLocaleString('en-GB')} |
| requests in flight at the kill | ${inFlightAtKill} |
| requests sent again (no reply) | ${retries} |
| requests sent again after a 5xx | ${busy} |
| server down (kill to listening again) | ${restartMs} ms |
| wall time of the run (with the restart) | ${f1(runSeconds)} s |
| ballots/s over the run | ${f1(acked.length / runSeconds)} |
| ballot latency p50 / p95 / p99 / max | ${f1(figures.p50)} / ${f1(figures.p95)} / ${f1(figures.p99)} / ${f1(figures.max)} ms |
| ${CLIENTS} sign-ins at once (argon2id) | ${f1(loginSeconds)} s |
| ballot log entries (a resent ballot that had committed supersedes itself) | ${entries.toLocaleString('en-GB')} |
| ballots that count | ${counted.toLocaleString('en-GB')} (expected ${TOTAL.toLocaleString('en-GB')}) |
| acknowledged ballots missing from the log | ${lost} |
| last acknowledged ballots not counted | ${wronglyCounted} |
| proposals where a member counted twice | ${twice} |
| chains intact (\`carecoop verify-votes\`) | ${verifyOk ? `all ${intact} proposals` : `FAILED (${intact} intact)`} |

Result: ${ok ? 'every acknowledged ballot was counted, none twice, and every chain verified.' : '**FAILED** (see the figures).'}
`;
  let doc = fs.readFileSync(md, 'utf8');
  const start = doc.indexOf(`## ${SECTION}`);
  if (start >= 0) {
    const next = doc.indexOf('\n## ', start + 1);
    doc = doc.slice(0, start) + text + (next >= 0 ? `\n${doc.slice(next + 1)}` : '');
  } else {
    doc = `${doc.replace(/\n*$/, '\n\n')}${text}`;
  }
  fs.writeFileSync(md, doc);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(`bench_votes: ${err.stack ?? err}`);
  process.exit(1);
});
