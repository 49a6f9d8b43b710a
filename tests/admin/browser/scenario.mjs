// The world the status page test looks at, all real and on 127.0.0.1:
// - a copy of the bundled example (examples/aluevaltuutetut-2022.*) that
//   also sends to the webhook "tiimi", with 24 more participants, a series whose titles are markup
//   (the page must show them as text), a weekly session with three dates,
//   and a broken series file;
// - the SMTP server fixture (tests/fixtures/smtp_server.py) refusing one
//   participant with 550;
// - a webhook receiver answering 410 to the first call and 204 after, so a
//   retried notification gets through;
// - `kutsu serve` with its clock started two seconds before the example's
//   invitation is due, and an admin token.
// Every wait is on an event (a line printed, a request received) with a
// deadline; stop() kills whatever was started.
//
// StoreOutageScenario (below) is a second, smaller world: `kutsu serve` with
// its state_dir on a tmpfs of a few MiB (SmallDisk) that the test fills, so
// the outbox cannot write.
import {execFile, execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import assert from 'node:assert/strict';

const run = promisify(execFile);

// A public page as anyone meets it: a screenshot into ARTIFACT, no
// violation of axe-core's WCAG 2.1 A and AA rules (AXE: axe.min.js), and
// nothing wider than the screen.
export async function expectAccessibleWithinScreen(page, axe, artifact) {
  await page.screenshot({path: artifact, fullPage: true});
  await page.addScriptTag({path: axe});
  const results = await page.evaluate(() =>
      window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}));
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), []);
  const widths = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth}));
  assert.ok(widths.scroll <= widths.inner, `the page is ${widths.scroll} px wide on a ${widths.inner} px screen`);
}

export const CLOCK_START = '2022-01-19T06:59:58Z';  // the invitation is due 07:00:00Z
export const REFUSED = 'elin.lindqvist@example.org';
export const REFUSAL = `550 5.1.1 <${REFUSED}>: Recipient address rejected`;
export const TOKEN = 'kutsu-browser-test-token-3f9a';
export const EXTRA_PARTICIPANTS = 24;  // added to the example's participants

// A child's output, line by line: waitFor() finds the next line matching a
// pattern, failing (with everything printed so far) at a deadline or exit.
export class ChildLines {
  constructor(name, child) {
    this.name = name;
    this.child = child;
    this.text = '';
    this.position = 0;
    this.waiters = new Set();
    this.exited = null;
    const take = (chunk) => {
      this.text += chunk.toString('utf8');
      this.wake();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code, signal) => {
      this.exited = signal || `exit ${code}`;
      this.wake();
    });
  }

  wake() {
    for (const waiter of [...this.waiters]) waiter();
  }

  waitFor(pattern, timeoutMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        let end;
        while ((end = this.text.indexOf('\n', this.position)) !== -1) {
          const line = this.text.slice(this.position, end);
          this.position = end + 1;
          const match = pattern.exec(line);
          if (match) return done(null, match);
        }
        if (this.exited) return done(new Error(`${this.name} ended (${this.exited})`));
        return undefined;
      };
      const done = (error, match) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) {
          reject(
              new Error(`${error.message} before printing ${pattern}; it printed:\n${this.text}`));
        } else {
          resolve(match);
        }
      };
      const timer =
          setTimeout(() => done(new Error(`${this.name}: ${timeoutMs} ms passed`)), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

// A webhook endpoint that says 410 Gone to its first call and 204 to the rest.
class WebhookReceiver {
  constructor() {
    this.requests = [];
    this.waiters = [];
    this.server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({headers: request.headers, body: Buffer.concat(chunks).toString()});
        if (this.requests.length === 1) {
          response.writeHead(410, {'Content-Type': 'text/plain'});
          response.end('this hook was removed');
        } else {
          response.writeHead(204);
          response.end();
        }
        for (const waiter of this.waiters) waiter();
      });
    });
  }

  async listen() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.server.address().port;
  }

  // Resolves once `count` calls have come in.
  waitForRequests(count, timeoutMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.requests.length < count) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(this.requests.slice(0, count));
      };
      const timer = setTimeout(
          () => reject(new Error(
              `webhook receiver: ${this.requests.length} of ${count} calls in ${timeoutMs} ms`)),
          timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

// Series whose titles are markup and script: shown as text, never run.
const MARKUP_SERIES = `id = "merkinnat"
title = "<img src=x onerror=\\"window.__kutsuInjected = 1\\"> & <b>lihava</b>"
timezone = "Europe/Helsinki"
organiser = { name = "Testi", email = "testi@example.org" }
join_url = "https://example.org/liity"
webhooks = ["tiimi"]

[[reminder]]
before = "P1D"
channels = ["webhook"]

[[session]]
id = "kesa"
title = "</td><script>window.__kutsuInjected = 2</script>"
start = 2022-06-01T18:00:00
duration = "PT1H"
`;

// A weekly session: its three dates are sessions, grouped under it on the page.
const WEEKLY_SERIES = `id = "viikoittain"
title = "Aamukahvit"
timezone = "Europe/Helsinki"
organiser = { name = "Testi", email = "testi@example.org" }

[[session]]
id = "kahvit"
title = "Aamukahvit"
start = 2022-03-01T08:30:00
duration = "PT45M"
repeat = "FREQ=WEEKLY;COUNT=3"
`;

// A series file with one mistake: a time zone that does not exist.
const BROKEN_SERIES = `id = "rikki"
title = "Rikki sarja"
timezone = "Europe/Helsingfors"
organiser = { name = "Testi", email = "testi@example.org" }
join_url = "https://example.org/liity"

[[session]]
id = "yksi"
title = "Yksi"
start = 2022-05-01T18:00:00
duration = "PT1H"
`;

// `kutsu serve --config CONFIG --clock-start CLOCK`, once its admin API listens.
export async function startServe(binary, config, clockStart) {
  const daemon = new ChildLines(
      'kutsu serve', spawn(binary, ['serve', '--config', config, '--clock-start', clockStart]));
  try {
    const [, address] = await daemon.waitFor(/admin API listening on (\S+)/, 30000);
    return {daemon, url: `http://${address}`};
  } catch (error) {
    daemon.kill();
    throw error;
  }
}

async function apiGet(url, pathAndQuery, method = 'GET') {
  const response = await fetch(url + pathAndQuery, {
    method,
    headers: {Authorization: `Bearer ${TOKEN}`},
  });
  if (!response.ok) throw new Error(`${method} ${pathAndQuery}: ${response.status}`);
  return response.json();
}

export class Scenario {
  constructor({binary, sourceDir}) {
    this.binary = binary;
    this.sourceDir = sourceDir;
    this.children = [];
    this.webhook = new WebhookReceiver();
  }

  write(name, text) {
    const file = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(file, text);
    return file;
  }

  writeSeries() {
    const example = path.join(this.sourceDir, 'examples', 'aluevaltuutetut-2022');
    const toml = fs.readFileSync(`${example}.toml`, 'utf8');
    const withWebhook = toml.replace(/^audience = .*$/m, (line) => `${line}\nwebhooks = ["tiimi"]`);
    if (withWebhook === toml)
      throw new Error('the example has no audience line to add webhooks after');
    this.exampleFile = this.write('series.d/aluevaltuutetut-2022.toml', withWebhook);
    // More participants than the example's twelve, so that "Recently sent"
    // has more than one page of twenty invitations.
    let csv = fs.readFileSync(`${example}.csv`, 'utf8');
    if (!csv.endsWith('\n')) csv += '\n';
    for (let i = 1; i <= EXTRA_PARTICIPANTS; ++i) {
      csv += `lisa${String(i).padStart(2, '0')}@example.org,Lisä ${i},aluevaltuutettu,fi,\n`;
    }
    this.write('series.d/aluevaltuutetut-2022.csv', csv);
    this.markupFile = this.write('series.d/merkinnat.toml', MARKUP_SERIES);
    this.weeklyFile = this.write('series.d/viikoittain.toml', WEEKLY_SERIES);
    this.brokenFile = this.write('series.d/rikki.toml', BROKEN_SERIES);
  }

  async startSmtp() {
    const smtp = spawn('/usr/bin/python3', [
      path.join(this.sourceDir, 'tests', 'fixtures', 'smtp_server.py'),
      '--rcpt-reply',
      REFUSAL,
      '--rcpt-reply-for',
      REFUSED,
    ]);
    this.smtp = new ChildLines('smtp server', smtp);
    this.children.push(this.smtp);
    const [, port] = await this.smtp.waitFor(/^ready (\d+)$/, 20000);
    return Number(port);
  }

  async start() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kutsu-status-page-'));
    this.writeSeries();
    const smtpPort = await this.startSmtp();
    const webhookPort = await this.webhook.listen();
    this.write('admin-token', `${TOKEN}\n`);
    this.write('tiimi.secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n');
    const config = this.write('kutsu.toml', `[daemon]
series_dir = "${path.join(this.dir, 'series.d')}"
state_dir = "${path.join(this.dir, 'state')}"

[http]
listen = "127.0.0.1:0"
token_file = "${path.join(this.dir, 'admin-token')}"

[email]
transport = "smtp"
url = "smtp://127.0.0.1:${smtpPort}"
starttls = "off"
from = "Webinaarit <webinaarit@example.org>"

[[webhook]]
name = "tiimi"
url = "http://127.0.0.1:${webhookPort}/tiimi"
secret_file = "${path.join(this.dir, 'tiimi.secret')}"
format = "json"
`);
    ({daemon: this.daemon, url: this.url} = await startServe(this.binary, config, CLOCK_START));
    this.children.push(this.daemon);
    return this;
  }

  // `kutsu plan --format json` of the example copy: what the daemon planned.
  async plan() {
    const {stdout} = await run(this.binary, ['plan', '--format', 'json', this.exampleFile]);
    return JSON.parse(stdout);
  }

  // `kutsu check` of the broken file: the lines the reload must report.
  async brokenFileErrors() {
    try {
      await run(this.binary, ['check', this.brokenFile]);
    } catch (error) {
      return error.stderr.split('\n').filter((line) => line.length > 0);
    }
    throw new Error(`kutsu check accepted ${this.brokenFile}`);
  }

  api(pathAndQuery, method = 'GET') {
    return apiGet(this.url, pathAndQuery, method);
  }

  stop() {
    for (const child of this.children) child.kill();
    this.webhook.close();
    if (this.dir) fs.rmSync(this.dir, {recursive: true, force: true});
  }
}

// A real file system of a few MiB: a tmpfs mounted on `dir` (which must
// exist and be empty). fill() takes every free byte with a filler file,
// freeSpace() gives them back, unmount() detaches it (`umount -l`: a daemon
// killed a moment ago may still hold a file open). Mounting needs root
// (CAP_SYS_ADMIN), which CI has; SmallDisk.available() says whether this
// process is root. The same as tests/fixtures/small_disk.h for the C++ tests.
export class SmallDisk {
  static available() {
    return typeof process.getuid === 'function' && process.getuid() === 0;
  }

  constructor(dir, size = '4m') {
    this.dir = dir;
    this.size = size;
    this.mounted = false;
    this.filler = path.join(dir, 'filler');
  }

  async mount() {
    await run(
        'mount',
        ['-t', 'tmpfs', '-o', `size=${this.size},mode=0755`, 'kutsu-browser-disk', this.dir]);
    this.mounted = true;
  }

  free() {
    const stats = fs.statfsSync(this.dir);
    return stats.bavail * stats.bsize;
  }

  // Writes until the disk says ENOSPC, halving the block to take the last
  // bytes too; returns how many bytes the filler took.
  fill() {
    const fd = fs.openSync(this.filler, 'a', 0o600);
    let block = Buffer.alloc(64 * 1024, 'x');
    let wrote = 0;
    try {
      for (;;) {
        try {
          wrote += fs.writeSync(fd, block);
        } catch (error) {
          if (error.code !== 'ENOSPC') throw error;
          if (block.length === 1) break;
          block = block.subarray(0, block.length / 2);
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    if (this.free() !== 0) throw new Error(`${this.dir} still has ${this.free()} bytes free`);
    return wrote;
  }

  freeSpace() {
    fs.rmSync(this.filler, {force: true});
  }

  // Synchronous, so that it can also run from a process 'exit' handler.
  unmount() {
    if (!this.mounted) return;
    this.mounted = false;
    execFileSync('umount', ['-l', this.dir]);
  }
}

// A calm series: one participant, its session days after the clock's start.
const CALM_SERIES = `id = "rauhallinen"
title = "Rauhallinen sarja"
timezone = "Europe/Helsinki"
organiser = { name = "Testi", email = "testi@example.org" }
join_url = "https://example.org/liity"
participants = "rauhallinen.csv"

[invitation]
before = "P2D"

[[reminder]]
before = "P1D"

[[session]]
id = "eka"
title = "Ensimmäinen tapaaminen"
start = 2022-03-10T18:00:00
duration = "PT1H"
`;

function participantsCsv(people) {
  let text = 'email,name\n';
  for (let i = 1; i <= people; ++i) text += `osallistuja${i}@example.org,Osallistuja ${i}\n`;
  return text;
}

// `kutsu serve` (mail to a maildir, the admin token TOKEN) with its state_dir
// on a SmallDisk of 4 MiB, serving a calm series so that the outbox exists.
// addBigSeries() then writes a series of `people` participants whose plan
// cannot be stored once the disk is full. Needs root (SmallDisk).
export class StoreOutageScenario {
  static CLOCK_START = '2022-03-01T08:00:00Z';  // every send is days away

  constructor({binary}) {
    this.binary = binary;
    this.daemon = null;
    this.disk = null;
  }

  write(name, text) {
    const file = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(file, text);
    return file;
  }

  async start() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kutsu-status-page-outbox-'));
    const state = path.join(this.dir, 'state');
    fs.mkdirSync(state);
    this.disk = new SmallDisk(state);
    await this.disk.mount();
    this.write('series.d/rauhallinen.toml', CALM_SERIES);
    this.write('series.d/rauhallinen.csv', participantsCsv(1));
    this.write('admin-token', `${TOKEN}\n`);
    const config = this.write('kutsu.toml', `[daemon]
series_dir = "${path.join(this.dir, 'series.d')}"
state_dir = "${state}"

[http]
listen = "127.0.0.1:0"
token_file = "${path.join(this.dir, 'admin-token')}"

[email]
transport = "maildir"
maildir = "${path.join(this.dir, 'maildir')}"
from = "Webinaarit <webinaarit@example.org>"
`);
    ({daemon: this.daemon, url: this.url} =
         await startServe(this.binary, config, StoreOutageScenario.CLOCK_START));
    return this;
  }

  // A new series `id` with `people` participants, its invitations due in
  // days: hundreds of rows for the outbox to store at the next reload.
  addBigSeries(id, people) {
    this.write(`series.d/${id}.csv`, participantsCsv(people));
    return this.write(
        `series.d/${id}.toml`,
        CALM_SERIES.replaceAll('rauhallinen', id).replace('Rauhallinen sarja', 'Suuri sarja'));
  }

  reload() {
    this.daemon.child.kill('SIGHUP');
  }

  api(pathAndQuery, method = 'GET') {
    return apiGet(this.url, pathAndQuery, method);
  }

  // Reads /api/v1/status until `accept(store)` holds: a reload's outcome is
  // in force a moment after its last line is printed, and no line says so.
  async storeWhen(accept, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const {store} = await this.api('/api/v1/status');
      if (accept(store)) return store;
      if (Date.now() > deadline) {
        throw new Error(`the status API's store stayed ${JSON.stringify(store)} for ${
            timeoutMs} ms; the daemon printed:\n${this.daemon.text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // Idempotent and synchronous (also run from a process 'exit' handler):
  // kills the daemon, unmounts the disk, removes the folders.
  stop() {
    if (this.daemon) this.daemon.kill();
    const problems = [];
    try {
      if (this.disk) this.disk.unmount();
    } catch (error) {
      problems.push(error.message);
    }
    if (this.dir) {
      try {
        fs.rmSync(this.dir, {recursive: true, force: true});
        this.dir = null;
      } catch (error) {
        problems.push(error.message);
      }
    }
    if (problems.length) throw new Error(`cleaning up: ${problems.join('; ')}`);
  }
}
