// The opt-out page as a participant meets it, in Debian's headless Chromium
// against a real `kutsu serve`: the link is taken from the List-Unsubscribe
// line of a real e-mail in the maildir, opened at phone and laptop width
// (axe-core's WCAG 2.1 A and AA rules, nothing wider than the screen), its
// button pressed; then the admin API and the status page list the opt-out.
// Run by ctest (tests/admin/browser/CMakeLists.txt), which sets
// KUTSU_BINARY, KUTSU_SOURCE_DIR, KUTSU_NODE_MODULES and KUTSU_ARTIFACTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {expectAccessibleWithinScreen, startServe, TOKEN} from './scenario.mjs';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through ctest`);
  return value;
}

const require = createRequire(path.join(env('KUTSU_NODE_MODULES'), 'package.json'));
const {chromium} = require('playwright-core');
const AXE = require.resolve('axe-core/axe.min.js');

const CLOCK_START = '2022-01-19T06:59:58Z';  // the example's invitation is due 07:00:00Z
const artifacts = env('KUTSU_ARTIFACTS');
const FINN = 'aino.virtanen@example.org';
const SWEDE = 'elin.lindqvist@example.org';

let dir;
let daemon;
let url;
let browser;

// The List-Unsubscribe link of the invitation to `recipient`, once it is in
// the maildir (polled: a maildir has no event to wait on).
async function linkFor(recipient, timeoutMs) {
  const folder = path.join(dir, 'mail', 'new');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
      const text = fs.readFileSync(path.join(folder, name), 'utf8');
      const headers = text.slice(0, text.indexOf('\r\n\r\n'));
      if (!new RegExp(`^To: .*<?${recipient}>?\\r?$`, 'mi').test(headers)) continue;
      const line = headers.match(/^List-Unsubscribe: <([^>]+)>\r?$/m);
      assert.ok(line, `no List-Unsubscribe line in:\n${headers}`);
      return line[1];
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${recipient}; daemon said:\n${daemon.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kutsu-opt-out-'));
  const series = path.join(dir, 'series.d');
  fs.mkdirSync(series);
  const example = path.join(env('KUTSU_SOURCE_DIR'), 'examples', 'aluevaltuutetut-2022');
  fs.copyFileSync(`${example}.toml`, path.join(series, 'aluevaltuutetut-2022.toml'));
  fs.copyFileSync(`${example}.csv`, path.join(series, 'aluevaltuutetut-2022.csv'));
  fs.writeFileSync(path.join(dir, 'admin-token'), `${TOKEN}\n`);
  const config = path.join(dir, 'kutsu.toml');
  fs.writeFileSync(config, `[daemon]
series_dir = "${series}"
state_dir = "${path.join(dir, 'state')}"

[http]
listen = "127.0.0.1:0"
token_file = "${path.join(dir, 'admin-token')}"

[email]
transport = "maildir"
maildir = "${path.join(dir, 'mail')}"
`);
  ({daemon, url} = await startServe(env('KUTSU_BINARY'), config, CLOCK_START));
  browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium'});
  fs.mkdirSync(artifacts, {recursive: true});
});

after(async () => {
  if (browser) await browser.close();
  if (daemon) daemon.kill();
  if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

test('the link in the e-mail leads to this daemon', async () => {
  const link = await linkFor(FINN, 20000);
  assert.ok(link.startsWith(`${url}/u/`), `${link} is not on ${url}`);
});

for (const [name, viewport] of [['phone', {width: 320, height: 700}], ['laptop', {width: 1280, height: 900}]]) {
  test(`the page at ${name} width: accessible, all on the screen, in the reader's language`, async () => {
    const context = await browser.newContext({viewport});
    const page = await context.newPage();
    const response = await page.goto(await linkFor(SWEDE, 20000));
    assert.equal(response.status(), 200);
    await expectAccessibleWithinScreen(page, AXE, path.join(artifacts, `opt-out-${name}.png`));
    assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
    assert.match(await page.locator('main').innerText(), new RegExp(`Adressen ${SWEDE} får påminnelser`));
    await context.close();
  });
}

test('pressing the button stops the reminders, and the status page lists it', async () => {
  const context = await browser.newContext({viewport: {width: 320, height: 700}});
  const page = await context.newPage();
  await page.goto(await linkFor(FINN, 20000));
  await page.getByRole('button', {name: 'Peru muistutukset'}).click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').innerText(),
               new RegExp(`^Valmis\\. Osoitteeseen ${FINN} ei enää tule muistutuksia`));
  await expectAccessibleWithinScreen(page, AXE, path.join(artifacts, 'opt-out-done.png'));

  const listed = await fetch(`${url}/api/v1/opt-outs`, {headers: {Authorization: `Bearer ${TOKEN}`}});
  const body = await listed.json();
  assert.deepEqual(body.opt_outs.map((o) => [o.series, o.recipient, o.scope]),
                   [['aluevaltuutetut-2022', FINN, 'reminders']]);

  const status = await context.newPage();
  await status.goto(`${url}/`);
  await status.getByLabel('Admin token').fill(TOKEN);
  await status.getByRole('button', {name: 'Show status'}).click();
  const row = status.locator('#opt-outs tbody tr');
  await row.first().waitFor();
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('td[data-label="Recipient"]').innerText(), FINN);
  assert.equal(await row.locator('td[data-label="Stopped"]').innerText(), 'reminders');
  assert.match(await row.locator('td[data-label="Since"]').innerText(), / UTC$/);
  await context.close();
});
