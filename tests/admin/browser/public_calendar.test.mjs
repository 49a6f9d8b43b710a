// The public event calendar as anyone meets it, in Debian's headless
// Chromium against a real `kutsu serve`: GET /calendar at phone and laptop
// width, checked by axe-core (WCAG 2.1 A and AA rules) with no violation,
// nothing wider than the screen, the public series' sessions in their own
// zones and nothing of the series that is not public, no join link; and
// GET /calendar.ics as Mozilla's ical.js reads it. No token is used.
// Run by ctest (tests/admin/browser/CMakeLists.txt), which sets
// KUTSU_BINARY, KUTSU_SOURCE_DIR, KUTSU_NODE_MODULES and KUTSU_ARTIFACTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {expectAccessibleWithinScreen, startServe} from './scenario.mjs';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through ctest`);
  return value;
}

const require = createRequire(path.join(env('KUTSU_NODE_MODULES'), 'package.json'));
const {chromium} = require('playwright-core');
const ICAL = require('ical.js');
const AXE = require.resolve('axe-core/axe.min.js');

const CLOCK_START = '2022-01-19T06:59:58Z';
const artifacts = env('KUTSU_ARTIFACTS');

// The example, public; a Stockholm series, public; an internal one, not.
const STOCKHOLM = `id = "tisdagar"
title = "Tisdagswebbinarier"
timezone = "Europe/Stockholm"
language = "sv"
public = true
organiser = { name = "Elin", email = "elin@example.se" }
join_url = "https://example.se/hemlig-lank"

[[session]]
id = "start"
title = "Långsiktig välfärdsplanering – en lång rubrik med sammansatta ord som välfärdsområdesstrategiarbete"
start = 2022-02-08T13:00:00
end = 2022-02-08T14:30:00
speakers = ["Elin Lindqvist"]
location = "Kommunhuset, Storgatan 1, Stockholm"
`;
const INTERNAL = `id = "sisainen"
title = "Sisäinen palaveri"
timezone = "Europe/Helsinki"
organiser = { name = "O", email = "o@example.org" }
join_url = "https://example.org/sisainen"

[[session]]
id = "palaveri"
title = "Salainen suunnittelupalaveri"
start = 2022-02-03T10:00:00
end = 2022-02-03T11:00:00
`;

let dir;
let daemon;
let url;
let browser;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kutsu-public-calendar-'));
  const series = path.join(dir, 'series.d');
  fs.mkdirSync(series);
  const example = path.join(env('KUTSU_SOURCE_DIR'), 'examples', 'aluevaltuutetut-2022');
  const toml = fs.readFileSync(`${example}.toml`, 'utf8').replace(/^language = "fi"$/m, 'language = "fi"\npublic = true');
  fs.writeFileSync(path.join(series, 'aluevaltuutetut-2022.toml'), toml);
  fs.copyFileSync(`${example}.csv`, path.join(series, 'aluevaltuutetut-2022.csv'));
  fs.writeFileSync(path.join(series, 'tisdagar.toml'), STOCKHOLM);
  fs.writeFileSync(path.join(series, 'sisainen.toml'), INTERNAL);
  const config = path.join(dir, 'kutsu.toml');
  fs.writeFileSync(config, `[daemon]
series_dir = "${series}"
state_dir = "${path.join(dir, 'state')}"

[http]
listen = "127.0.0.1:0"

[email]
transport = "maildir"
maildir = "${path.join(dir, 'mail')}"
`);
  ({daemon, url} = await startServe(env('KUTSU_BINARY'), config, CLOCK_START));
  await daemon.waitFor(/serving 3 series/, 30000);
  browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium'});
  fs.mkdirSync(artifacts, {recursive: true});
});

after(async () => {
  if (browser) await browser.close();
  if (daemon) daemon.kill();
  if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

for (const [name, viewport] of [['phone', {width: 320, height: 700}], ['laptop', {width: 1280, height: 900}]]) {
  test(`the page at ${name} width: accessible, all on the screen, only what is public`, async () => {
    const context = await browser.newContext({viewport, timezoneId: 'America/New_York'});
    const page = await context.newPage();
    const response = await page.goto(`${url}/calendar`);
    assert.equal(response.status(), 200);
    await expectAccessibleWithinScreen(page, AXE, path.join(artifacts, `public-calendar-${name}.png`));

    const text = await page.locator('main').innerText();
    assert.match(text, /Wednesday 2 February 2022/);
    assert.match(text, /Valtakunnallisen yhteistyön käynnistäminen/);
    assert.match(text, /18:00–19:30 \(Europe\/Helsinki\)/);
    assert.match(text, /13:00–14:30 \(Europe\/Stockholm\)/);
    assert.match(text, /Kommunhuset, Storgatan 1, Stockholm/);
    assert.doesNotMatch(text, /Salainen suunnittelupalaveri/);
    const html = await page.content();
    for (const secret of ['example.org/zoom', 'hemlig-lank', 'sisainen', '@example']) {
      assert.ok(!html.includes(secret), `the page shows ${secret}`);
    }
    assert.equal(await page.locator('li[lang="sv"]').count(), 1);
    await context.close();
  });
}

test('the feed as ical.js reads it: every public session in its zone, no link', async () => {
  const response = await fetch(`${url}/calendar.ics`);
  assert.equal(response.status, 200);
  const text = await response.text();
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid')).sort();
  assert.deepEqual(zones, ['Europe/Helsinki', 'Europe/Stockholm']);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
  assert.equal(events.length, 6);
  const stockholm = events.find((event) => event.uid === 'start.tisdagar@kutsu.invalid');
  assert.equal(stockholm.startDate.toJSDate().toISOString(), '2022-02-08T12:00:00.000Z');
  const first = events.find((event) => event.uid === 'verkosto.aluevaltuutetut-2022@kutsu.invalid');
  assert.equal(first.startDate.toJSDate().toISOString(), '2022-02-02T16:00:00.000Z');
  for (const event of events) assert.equal(event.component.getFirstPropertyValue('url'), null);
  assert.ok(!text.includes('hemlig-lank') && !text.includes('example.org/zoom') && !text.includes('sisainen'));
});
